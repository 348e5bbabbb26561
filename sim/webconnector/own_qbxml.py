"""The qbXML Web Connector sends on its own behalf, and QuickBooks' answers to it, as published logs dump them.

Besides what the service sends, Web Connector talks to QuickBooks itself: adding an application it
looks for its FileID and creates the FileID and AppLock data extensions; each session reads and sets
the AppLock (sim.webconnector.company_file_lock). Its requests are one line; QuickBooks' answers one
element to a line (FIELD: SHAPES.md sections 4, 9, 10). The dumps carry what the company file holds:
its company information as the office filled it in (sim.quickbooks.company_info), the lock, the FileID.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.quickbooks.company_info import company_record, data_ext_ret

__all__ = [
    "company_query",
    "company_answer",
    "data_ext_mod",
    "data_ext_mod_answer",
    "data_ext_def_query",
    "data_ext_def_add",
    "data_ext_add",
    "answer",
]


# Web Connector's own qbXML for the AppLock, as published VERBOSE logs show it (FIELD: SHAPES.md
# section 10): requests on one line, QuickBooks' answers one element to a line.
def _request(version: str) -> str:
    return f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="stopOnError">'


def company_query(owner_id: str, version: str) -> str:
    return (
        _request(version)
        + f'<CompanyQueryRq requestID="1"><OwnerID>{owner_id}</OwnerID></CompanyQueryRq></QBXMLMsgsRq></QBXML>'
    )


def company_answer(sdk: Any) -> Iterator[str]:
    """QuickBooks' answer: the company file's record, with the application's AppLock and FileID
    (sim.quickbooks.company_info.company_record), in pieces, the record made only when read (a DEBUG
    log keeps the answer's first 75 characters, all in the first piece: sim.webconnector.log.QwcLog.dump)."""
    yield (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<CompanyQueryRs requestID="1" '
        'statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n'
    )
    yield company_record(sdk.company, sdk.owner_id)
    yield "</CompanyQueryRs>\n</QBXMLMsgsRs>\n</QBXML>\n"


def data_ext_mod(owner_id: str, value: str, version: str) -> str:
    return _request(version) + (
        f'<DataExtModRq requestID="1"><DataExtMod><OwnerID>{owner_id}</OwnerID><DataExtName>AppLock</DataExtName>'
        f"<OtherDataExtType>Company</OtherDataExtType><DataExtValue>{value}</DataExtValue></DataExtMod></DataExtModRq></QBXMLMsgsRq></QBXML>"
    )


def data_ext_mod_answer(owner_id: str, value: str) -> str:
    return (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<DataExtModRs requestID="1" '
        'statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n'
        + data_ext_ret(owner_id, "AppLock", value)
        + "</DataExtModRs>\n</QBXMLMsgsRs>\n</QBXML>\n"
    )


# Adding an application (DEBUG keeps the first 75 characters of each dump).
def data_ext_def_query(owner_id: str, version: str) -> str:
    return (
        _request(version)
        + f"<DataExtDefQueryRq><OwnerID>{owner_id}</OwnerID></DataExtDefQueryRq></QBXMLMsgsRq></QBXML>"
    )


def data_ext_def_add(owner_id: str, name: str, version: str) -> str:
    return (
        _request(version)
        + f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner_id}</OwnerID><DataExtName>{name}</DataExtName>"
        "<DataExtType>STR255TYPE</DataExtType><AssignToObject>Company</AssignToObject></DataExtDefAdd></DataExtDefAddRq></QBXMLMsgsRq></QBXML>"
    )


def data_ext_add(owner_id: str, name: str, value: str, version: str) -> str:
    return (
        _request(version) + f"<DataExtAddRq><DataExtAdd><OwnerID>{owner_id}</OwnerID><DataExtName>{name}</DataExtName>"
        f"<DataExtValue>{value}</DataExtValue></DataExtAdd></DataExtAddRq></QBXMLMsgsRq></QBXML>"
    )


def answer(element: str, code: str, message: str, severity: str = "Info") -> str:
    return (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n'
        f'<{element} requestID="1" statusCode="{code}" statusSeverity="{severity}" '
        f'statusMessage="{message}" />\n</QBXMLMsgsRs>\n</QBXML>\n'
    )
