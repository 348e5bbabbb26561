"""What each year-version of QuickBooks Desktop says about itself: its product name, its major
version and the newest qbXML it supports.

The Web Connector passes the newest qbXML version to the service in sendRequestXML
(`qbXMLMajorVers`, PG ch.2) and logs it when it adds an application (`findFileIDinQB() :
Latest QBXML version supported = v16.0`, FIELD: published QWCLog.txt files); HostQuery's
ProductName and MajorVersion are what a service reads from strHCPResponse. The year-to-major
mapping is Intuit's release numbering (QuickBooks 2024 is release 34). qbXML 16.0 is the SDK
16 that QuickBooks 2021 and later support (issue 21 and published logs: "16 for a 2024
release"); earlier years are taken to support 13.0 (assumed: the model's requests use 13.0).
"""

from __future__ import annotations

__all__ = ["major_version", "newest_qbxml", "product_name"]


def major_version(year: int) -> int:
    """QuickBooks 2024 is release 34, 2023 is 33, and so on."""
    return year - 1990


def newest_qbxml(year: int) -> tuple[int, int]:
    """The newest qbXML version (major, minor) a year-version of QuickBooks supports."""
    return (16, 0) if year >= 2021 else (13, 0)


def product_name(edition: str, year: int) -> str:
    """HostQuery's ProductName, as QuickBooks writes it (e.g. "QuickBooks Pro 2024")."""
    return f"QuickBooks {edition} {year}"
