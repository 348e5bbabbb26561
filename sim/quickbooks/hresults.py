"""The QuickBooks SDK HRESULTs the request processor can answer (DOMAIN.md section 5).

This module only names the codes and gives their SDK texts; it decides nothing.
Which code a connection gets is worked out from the state of the office in
`sim.quickbooks.request_processor`.
"""

from __future__ import annotations

__all__ = ["HRESULT_TEXT", "name_of", "text_of"]

PARSE_ERROR = 0x80040400
CANNOT_ACCESS_QUICKBOOKS = 0x80040401
COULD_NOT_START_QUICKBOOKS = 0x80040408
VERSION_CANNOT_WORK_WITH_FILE = 0x80040409
DIFFERENT_FILE_OPEN = 0x8004040A
FILE_OPEN_IN_OTHER_MODE = 0x80040410
MODAL_DIALOG_SHOWING = 0x80040414
NOT_RUNNING_NO_FILE_NAME = 0x80040416
NO_COMPANY_FILE_OPEN = 0x80040417
FIRST_ACCESS_NEEDS_ADMIN = 0x80040418
NO_PERMISSION = 0x8004041A
CANNOT_LOCK_DATA = 0x8004041B
UNATTENDED_NOT_ALLOWED = 0x8004041D
CERTIFICATE_EXPIRED = 0x8004041E
USER_DENIED_ACCESS = 0x80040420
NEEDS_SINGLE_USER = 0x80040422
NOT_INITIALIZED = 0x80040424
AUTOMATIC_LOGIN_LOST = 0x80040430

#: The SDK's words. Sources (tests/data/vendor_pages/): sdk-hresult-messages.md (0x8004041B, 0x8004041E,
#: 0x80040422, 0x80040424, the SDK's texts as an integrator's error handler writes them), propelware-2021056.md
#: and webgility-automatic-login.md (0x80040430's text; its number is DOMAIN.md section 10's); 0x80040400 and
#: 0x80040416 as issue 21 quotes the SDK and the PG; 0x80040417's text is assumed from what integrators' code
#: says it means ("QuickBooks is open, but no company file is open").
HRESULT_TEXT = {
    PARSE_ERROR: "QuickBooks found an error when parsing the provided XML text stream.",
    CANNOT_ACCESS_QUICKBOOKS: "Could not access QuickBooks.",
    COULD_NOT_START_QUICKBOOKS: "Could not start QuickBooks.",
    VERSION_CANNOT_WORK_WITH_FILE: "The version of QuickBooks currently running cannot work with this company file.",
    DIFFERENT_FILE_OPEN: "A QuickBooks company data file is already open and it is different from the one requested.",
    FILE_OPEN_IN_OTHER_MODE: "The QuickBooks company data file is currently open in a mode other than the one "
    "specified by your application.",
    MODAL_DIALOG_SHOWING: "A modal dialog box is showing in the QuickBooks user interface. Your application "
    "cannot access QuickBooks until the user dismisses the dialog box.",
    NOT_RUNNING_NO_FILE_NAME: "If QuickBooks is not running, the company data file name must be supplied to "
    "BeginSession.",
    NO_COMPANY_FILE_OPEN: "QuickBooks is open, but no company data file is open. The company data file name "
    "must be supplied to BeginSession.",
    FIRST_ACCESS_NEEDS_ADMIN: "This application has not accessed this QuickBooks company data file before. Only "
    "the QuickBooks administrator can grant an application permission to access a "
    "QuickBooks company data file for the first time.",
    NO_PERMISSION: "This application does not have permission to access this QuickBooks company data "
    "file. The QuickBooks administrator can grant access permission through the "
    "Integrated Application preferences.",
    CANNOT_LOCK_DATA: "Unable to lock the necessary information to allow this application to access "
    "this company data file. Try again later.",
    UNATTENDED_NOT_ALLOWED: "This application is not allowed to log into this QuickBooks company data file "
    "automatically. The QuickBooks administrator can grant permission for automatic "
    "login through the Integrated Application preferences.",
    USER_DENIED_ACCESS: "The QuickBooks user has denied access.",
    CERTIFICATE_EXPIRED: "This applications certificate is expired. If you want to allow the application "
    "to log into QuickBooks automatically, log into QuickBooks and try again. Then "
    "click Allow Always when you are notified that the certificate has expired.",
    NEEDS_SINGLE_USER: "This application requires Single User file access mode and there is already "
    "another application sharing data with this QuickBooks company data file.",
    NOT_INITIALIZED: "QuickBooks did not finish its initialization. Please try again later.",
    AUTOMATIC_LOGIN_LOST: "This application is unable to log into this QuickBooks company data file "
    "automatically. The QuickBooks administrator must grant permission for an "
    "automatic login through the Integrated Application preferences. If such "
    "permission is already granted, save preferences and then grant the permission "
    "again.",
}

_NAMES = {value: name for name, value in globals().items() if name.isupper() and isinstance(value, int)}


def name_of(hresult: int) -> str:
    return _NAMES.get(hresult, "UNKNOWN")


def text_of(hresult: int) -> str:
    return HRESULT_TEXT.get(hresult, "Unknown QuickBooks error.")


def code(hresult: int) -> str:
    """The HRESULT as Web Connector writes it: 0x80040408."""
    return f"0x{hresult:08X}"
