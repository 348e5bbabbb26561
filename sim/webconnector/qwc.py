"""QWC files: reading, validating and writing the XML that registers an application.

The rules are the Programmer's Guide's (DOMAIN.md section 2): the required
elements, GUID OwnerID and FileID, QBFS or QBPOS, https for any AppURL but
localhost, AppURL and AppSupport on the same domain and not IP addresses, and the
first of RunEveryNMinutes / RunEveryNSeconds. A bad file raises `QWCError` with
the code Web Connector shows (QBWC1000, 1001, 1002, 1010 or, for newer builds,
1051, or its general
QBWC1039 "problem adding the application" where the guide gives no code of its
own, which is an assumption) and the element it is about.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, fields
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from sim.errors import QWCError

__all__ = ["QwcFile", "read_qwc", "write_qwc", "contents_as_logged", "GUID_PATTERN"]

GUID_PATTERN = re.compile(r"^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$")
REQUIRED = ("AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName", "OwnerID", "FileID", "QBType")
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class QwcFile:
    app_name: str
    app_id: str
    app_url: str
    app_description: str
    app_support: str
    user_name: str
    owner_id: str
    file_id: str
    qb_type: str = "QBFS"
    is_read_only: bool = False
    unattended_mode_pref: str = ""
    personal_data_pref: str = ""
    auth_flags: str = ""
    style: str = ""
    run_every_seconds: int | None = None
    app_display_name: str = ""
    app_unique_name: str = ""
    cert_url: str = ""
    notify: bool = False


_ELEMENT_OF = {
    "app_name": "AppName",
    "app_id": "AppID",
    "app_url": "AppURL",
    "app_description": "AppDescription",
    "app_support": "AppSupport",
    "user_name": "UserName",
    "owner_id": "OwnerID",
    "file_id": "FileID",
    "qb_type": "QBType",
    "is_read_only": "IsReadOnly",
    "unattended_mode_pref": "UnattendedModePref",
    "personal_data_pref": "PersonalDataPref",
    "auth_flags": "AuthFlags",
    "style": "Style",
    "app_display_name": "AppDisplayName",
    "app_unique_name": "AppUniqueName",
    "cert_url": "CertURL",
    "notify": "Notify",
}


def _host_of(url: str, element: str, where: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates it (ValueError past 65535)
    except ValueError as error:
        raise QWCError("QBWC1039", f"<{element}> {url[:200]!r} is not a valid URL ({error})", where) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QWCError("QBWC1039", f"<{element}> {url[:200]!r} is not an http(s) URL", where)
    return parts.hostname.lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _domain(host: str) -> str:
    return ".".join(host.split(".")[-2:])


#: FIELD (RappidDevelopment/quickbooks-js#26): newer builds refuse a non-https AppURL as
#: "QBWC1051: The new application was not added" where the PG names QBWC1010. Which
#: build changed it is not public: assumed to be 2.3.0.200 and later.
QBWC1051_FROM = (2, 3, 0, 200)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def read_qwc(text: str | bytes, where: str = "QWC file", client_version: str = "2.3.0.215") -> QwcFile:
    """Parse and validate a QWC file as Web Connector `client_version` does when it is added."""
    try:
        # No DTD at all: an external one (<!DOCTYPE x SYSTEM "http://...">) was accepted as long as
        # it declared no entity, though nothing here fetches it (nor should anything try).
        root = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise QWCError(
            "QBWC1039",
            f"refused XML ({type(error).__name__}: document type declarations, entities and "
            "external references are not allowed)",
            where,
        ) from None
    except ParseError as error:
        raise QWCError("QBWC1039", f"not well-formed XML ({error})", where) from None
    except (LookupError, ValueError) as error:  # an unknown encoding= declaration, say
        raise QWCError("QBWC1039", f"cannot be read ({error})", where) from None
    if root.tag != "QBWCXML":
        raise QWCError("QBWC1039", f"root element is <{root.tag}>, expected <QBWCXML>", where)
    values: dict[str, str] = {}
    for child in root:
        if child.tag not in values:  # the first occurrence wins, as for the scheduler
            values[child.tag] = (child.text or "").strip()
    missing = [name for name in REQUIRED if name not in values]
    if missing:
        raise QWCError(
            "QBWC1039",
            f"missing required element <{missing[0]}>"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            where,
        )
    for name in REQUIRED:
        if name != "AppID" and not values[name]:
            raise QWCError("QBWC1039", f"<{name}> is empty", where)
    for name in ("OwnerID", "FileID"):
        if not GUID_PATTERN.match(values[name]):
            raise QWCError(
                "QBWC1039",
                f"<{name}> {values[name]!r} is not a GUID like {{6B063959-81B0-4D51-8F8D-5BC9C5A5C3D1}}",
                where,
            )
    if values["QBType"] not in ("QBFS", "QBPOS"):
        raise QWCError("QBWC1039", f"<QBType> must be QBFS or QBPOS, not {values['QBType']!r}", where)
    url_host = _host_of(values["AppURL"], "AppURL", where)
    support_host = _host_of(values["AppSupport"], "AppSupport", where)
    local = url_host in LOCAL_NAMES
    if urlsplit(values["AppURL"]).scheme != "https" and not local:
        if _version(client_version) >= QBWC1051_FROM:
            raise QWCError(
                "QBWC1051",
                f"The new application was not added: <AppURL> {values['AppURL']!r} is not https "
                "(http is accepted only for localhost)",
                where,
            )
        raise QWCError(
            "QBWC1010", f"<AppURL> {values['AppURL']!r} must use https (http is accepted only for localhost)", where
        )
    if not local:
        if _is_ip(url_host):
            raise QWCError(
                "QBWC1001", f"<AppURL> {values['AppURL']!r} uses an IP address instead of a domain name", where
            )
        if _is_ip(support_host):
            raise QWCError(
                "QBWC1002", f"<AppSupport> {values['AppSupport']!r} uses an IP address instead of a domain name", where
            )
        if _domain(url_host) != _domain(support_host):
            raise QWCError(
                "QBWC1000",
                f"<AppURL> domain {_domain(url_host)!r} differs from <AppSupport> domain {_domain(support_host)!r}",
                where,
            )
    for name, allowed in (
        ("Style", ("Document", "DocWrapped", "RPC")),
        ("UnattendedModePref", ("umpRequired", "umpOptional")),
        ("PersonalDataPref", ("pdpNotNeeded", "pdpOptional", "pdpRequired")),
    ):
        if values.get(name) and values[name] not in allowed:
            raise QWCError(
                "QBWC1039", f"<{name}> must be one of {', '.join(allowed)}, not {values[name][:40]!r}", where
            )
    if values.get("AuthFlags"):
        try:
            flags = int(values["AuthFlags"], 0)
        except ValueError:
            flags = -1
        if not 0 <= flags <= 0xF:
            raise QWCError(
                "QBWC1039",
                f"<AuthFlags> {values['AuthFlags'][:40]!r} is not a combination of 0x1, 0x2, 0x4 and 0x8",
                where,
            )
    run_every = None
    scheduler = root.find("Scheduler")
    if scheduler is not None and len(scheduler):
        first = scheduler[0]
        factor = {"RunEveryNMinutes": 60, "RunEveryNSeconds": 1}.get(first.tag)
        if factor is None:
            raise QWCError(
                "QBWC1039", f"<Scheduler> holds <{first.tag}>, expected RunEveryNMinutes or RunEveryNSeconds", where
            )
        try:
            run_every = int((first.text or "").strip()) * factor
        except ValueError:
            raise QWCError("QBWC1039", f"<{first.tag}> {first.text!r} is not a whole number", where) from None
        if run_every <= 0:
            raise QWCError("QBWC1039", f"<{first.tag}> must be positive", where)
    return QwcFile(
        app_name=values["AppName"],
        app_id=values["AppID"],
        app_url=values["AppURL"],
        app_description=values["AppDescription"],
        app_support=values["AppSupport"],
        user_name=values["UserName"],
        owner_id=values["OwnerID"].upper(),
        file_id=values["FileID"].upper(),
        qb_type=values["QBType"],
        is_read_only=values.get("IsReadOnly", "false").lower() == "true",
        unattended_mode_pref=values.get("UnattendedModePref", ""),
        personal_data_pref=values.get("PersonalDataPref", ""),
        auth_flags=values.get("AuthFlags", ""),
        style=values.get("Style", ""),
        run_every_seconds=run_every,
        app_display_name=values.get("AppDisplayName", ""),
        app_unique_name=values.get("AppUniqueName", ""),
        cert_url=values.get("CertURL", ""),
        notify=values.get("Notify", "false").lower() == "true",
    )


def write_qwc(qwc: QwcFile) -> str:
    """The XML text of a QWC file, in the element order Intuit's samples use."""
    root = Element("QBWCXML")
    for field in fields(QwcFile):
        if field.name == "run_every_seconds":
            continue
        value = getattr(qwc, field.name)
        if field.name in ("is_read_only", "notify"):
            if value:
                SubElement(root, _ELEMENT_OF[field.name]).text = "true"
            continue
        if value or field.name in ("app_id",):
            SubElement(root, _ELEMENT_OF[field.name]).text = str(value)
    if qwc.run_every_seconds:
        scheduler = SubElement(root, "Scheduler")
        if qwc.run_every_seconds % 60 == 0:
            SubElement(scheduler, "RunEveryNMinutes").text = str(qwc.run_every_seconds // 60)
        else:
            SubElement(scheduler, "RunEveryNSeconds").text = str(qwc.run_every_seconds)
    return '<?xml version="1.0"?>\n' + tostring(root, encoding="unicode") + "\n"


def contents_as_logged(text: str | bytes) -> list[str]:
    """The QWC file's contents as `ParseQWC()` writes them to QWCLog.txt: the file parsed and written
    again, without its XML declaration, each child on its own line indented two spaces a level and an
    empty element as `<AppID />` (FIELD: the QBWC 33 log in tests/data/real_qwclog/, whose file's own
    layout is not what it shows; that the 2.x builds write it the same way is assumed). `text` has
    been read by `read_qwc` already."""
    root = fromstring(text, forbid_dtd=True)
    for element in root.iter():
        if len(element) and element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    indent(root, space="  ")
    return tostring(root, encoding="unicode").splitlines()
