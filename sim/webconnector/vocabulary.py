r"""QWCLog.txt's vocabulary: every line the simulated Web Connector writes, as a named template.

Each `Line` is one prefix (`QBWebConnector.<Class>.<method>()`) and one message, with
`{placeholders}` for what varies, and says whether published logs show it (`seen`: the
excerpts in tests/data/real_qwclog/, with their URLs) or it is the simulator's
assumption (a PG callback no published log shows, or wording no log gives). The
session, the program and the add sequence write only through these templates, so the
list below is the whole of what the simulator can write; `tests/test_qwclog_realism.py`
holds every seen line to the real corpus and README lists the assumed ones.

Both builds, the standalone 2.x (2.3.0.x) and the 33.0.x that ships with QuickBooks 2024 and
later, write the same lines in a session (published logs of both, SHAPES.md section 14);
they differ at start-up, which the Web Connector writes (`WebConnector.restart`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

__all__ = [
    "Line",
    "LINES",
    "LINE",
    "WS",
    "SOAP",
    "REGISTRY",
    "LOCK",
    "APPS_KEY_TEXT",
    "pattern_of",
    "clock_time",
    "ASSUMED_LINES",
    "ASSUMED_PREFIXES",
]

WS = "QBWebConnector.WebServiceManager"
SOAP = "QBWebConnector.SOAPWebService"
REGISTRY = "QBWebConnector.RegistryManager"
LOCK = "QBWebConnector.CompanyFileLock"
APPS_KEY_TEXT = r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector"


@dataclass(frozen=True)
class Line:
    """One kind of QWCLog.txt line."""

    prefix: str
    message: str  # a str.format template
    seen: bool = True  # False: assumed (no published log shows this line)
    #: The characters the prefix takes in the file, or -1 when it has placeholders; and those prefix
    #: and message take when the line is written without values (its message as it is), or -1 when
    #: the message would be escaped. Counted once here: QwcLog.say counts the rest, or all, itself.
    prefix_size: int = field(init=False, repr=False, compare=False)
    plain_size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # (a prefix is written as it is; a message through sim.text.one_line)
        object.__setattr__(self, "prefix_size", -1 if "{" in self.prefix else len(self.prefix))
        plain = len(self.prefix) + len(self.message) if self.message.isprintable() else -1
        object.__setattr__(self, "plain_size", plain)

    def text(self, **values: object) -> str:
        return self.message.format(**values) if values else self.message


def _line(prefix: str, message: str, seen: bool = True) -> Line:
    return Line(prefix, message, seen)


#: Written bare, without its class, by 2.x and 33 alike (FIELD: SHAPES.md section 5).
_SCHEDULED = "UpdateThisScheduledApp()"

#: Every line, by name. Names say what happens, in the log's own words where it has them.
LINES: dict[str, Line] = {
    # --- the program starts (after the header block) ---------------------------------------
    "notify_window_on": _line(
        f"{REGISTRY}.setNotifyWindowOn()", APPS_KEY_TEXT + r"\NotifyWindowOn has been set to False"
    ),
    "max_connection_retries": _line(
        f"{REGISTRY}.setMaxConnRetries()", "Maximum connection retries count has been set to {retries}"
    ),
    "process_args": _line("WebConnectorWPF()", "ProcessArgs(): Args Length = 1 String: System.String[]"),
    "loaded_banner": _line(
        "QBWebConnector_Load()", ""
    ),  # then "QuickBooks Web Connector <VER> has started." and the local time
    "form_loaded": _line("QBWebConnector_Load()", "QBWC Form Loaded"),
    # --- the UpdateLock (one global registry value) -----------------------------------------
    "update_lock_read": _line(f"{REGISTRY}.getUpdateLock()", APPS_KEY_TEXT + r"\UpdateLock = {value}"),
    "update_lock_set": _line(f"{REGISTRY}.setUpdateLock()", APPS_KEY_TEXT + r"\UpdateLock has been set to {value}"),
    "update_session_locked": _line(
        f"{REGISTRY}.setUpdateLock()", "********************* Update session locked *********************"
    ),
    "update_session_unlocked": _line(
        f"{REGISTRY}.setUpdateLock()", "********************* Update session unlocked *********************"
    ),
    "current_web_service_name": _line(
        f"{REGISTRY}.setCurrentWebServiceName()", APPS_KEY_TEXT + r"\CurrentWebServiceName has been set to {app}"
    ),
    "current_session_ticket": _line(
        f"{REGISTRY}.setCurrentWebServiceSessionTicket()",
        APPS_KEY_TEXT + r"\CurrentWebServiceSessionTicket has been set to {ticket}",
    ),
    # --- a session begins ---------------------------------------------------------------------
    "password_management_started": _line(_SCHEDULED, "Password management - Started"),
    "password_management_ended": _line(_SCHEDULED, "Password management - Ended"),
    "scheduled_update": _line(_SCHEDULED, "Performing SCHEDULED UPDATE for application = {app}"),
    "manual_update_started": _line(f"{WS}.DoUpdateSelected()", "updateWS() for application = '{app}' has STARTED"),
    "instantiate": _line(f"{SOAP}.instantiateWebService()", "Initiated connection to the following application."),
    "instantiate_name": _line(f"{SOAP}.instantiateWebService()", "AppName: {app}"),
    "instantiate_unique_name": _line(f"{SOAP}.instantiateWebService()", "AppUniqueName (if available): {app}"),
    "instantiate_url": _line(f"{SOAP}.instantiateWebService()", "AppURL: {url}"),
    # --- the callbacks ------------------------------------------------------------------------
    "server_version_call": _line(f"{SOAP}.do_serverVersion()", "*** Calling serverVersion()."),
    "server_version_answer": _line(
        f"{SOAP}.do_serverVersion()", 'Received from serverVersion() following parameter:<serverVersionRet="{version}">'
    ),
    "server_version_error": _line(
        f"{SOAP}.do_serverVersion()", "Actual error received from web service for serverVersion call: <{error}>"
    ),
    "client_version_call": _line(
        f"{SOAP}.do_clientVersion()",
        '*** Calling clientVersion() with following parameter:<productVersion="{version}">',
    ),
    "client_version_answer": _line(
        f"{SOAP}.do_clientVersion()", 'Received from clientVersion() following parameter:<clientVersionRet="{answer}">'
    ),
    "client_version_agrees": _line(
        f"{SOAP}.do_clientVersion()",
        "This application agrees with the current version of QBWebConnector. Allowing update operation.",
    ),
    "client_version_error": _line(
        f"{SOAP}.do_clientVersion()", "The application has stopped this update: {message}", seen=False
    ),
    "client_version_warning": _line(
        f"{SOAP}.do_clientVersion()", "Warning from the application: {message}", seen=False
    ),
    "client_version_needs": _line(
        f"{SOAP}.do_clientVersion()",
        "The application requires QBWebConnector version {version} or later. Update stopped.",
        seen=False,
    ),
    "authenticating": _line(f"{SOAP}.do_authenticate()", "Authenticating to application '{app}', username = '{user}'"),
    "authenticate_call": _line(
        f"{SOAP}.do_authenticate()",
        '*** Calling authenticate() with following parameters:<userName="{user}"><password=<MaskedForSecurity>',
    ),
    "authenticate_failed": _line(
        f"{SOAP}.do_authenticate()", "QBWC1012: Authentication failed due to following error message."
    ),
    "authenticate_done": _line(f"{SOAP}.do_authenticate()", "Done."),
    "authenticate_answer": _line(f"{SOAP}.updateWS()", "Received from authenticate() following parameters:{answers}"),
    "not_valid_user": _line(f"{SOAP}.CheckCFNResponse()", "{app}: Not a valid username and password. Job ending."),
    "no_data": _line(f"{SOAP}.CheckCFNResponse()", "No data to exchange for this application. Job ending."),
    "busy": _line(f"{SOAP}.CheckCFNResponse()", "The application is busy. Job ending.", seen=False),
    "postponed": _line(
        f"{SOAP}.HandleDelayRequest()",
        "Update has been postponed at {local_time} by '{app}' for next {seconds} seconds",
    ),
    # --- QuickBooks ------------------------------------------------------------------------------
    "connecting": _line(f"{SOAP}.ConnectToQB()", "Connecting to QuickBooks..."),
    "connected": _line(f"{SOAP}.ConnectToQB()", "Connected., Session started"),
    "connect_failed": _line(
        f"{SOAP}.ConnectToQB()",
        "QBWC1013: Error connecting to QuickBooks. Returning error message to application.",
        seen=False,
    ),  # PG appendix A's words
    "company_query_dump": _line(f"{LOCK}.Send_CompanyQueryRqXML()", "XML dump follows: -"),
    "got_lock": _line(f"{LOCK}.getLock()", "Got Lock = {lock}"),
    "lock_held": _line(
        f"{LOCK}.getLock()",
        "Could not get lock. Lock = {lock}. Another instance of QBWebConnector is already "
        "working with this company file.",
        seen=False,
    ),
    "data_ext_mod_dump": _line(f"{LOCK}.Send_DataExtModRqXML()", "XML dump follows: -"),
    "lock_unset": _line(f"{LOCK}.unsetLock()", "Company file has been unlocked for ownerID = <{owner_id}>"),
    "company_unlocked": _line(f"{SOAP}.update()", "Company file has been unlocked."),
    "ending_session": _line(f"{SOAP}.update()", "Ending session to QuickBooks."),
    "disconnected": _line(f"{SOAP}.DisconnectFromQB()", "Session ended and connection closed"),
    "enter_password": _line(
        f"{SOAP}.update()", "Enter a password. You need to enter a password before you can update."
    ),
    "update_completed": _line(f"{SOAP}.update()", "update completed."),
    # --- requests and responses --------------------------------------------------------------------
    "asking_for_request": _line(f"{SOAP}.do_sendRequestXML()", "Asking application to send request no. {number}"),
    "send_request_call": _line(
        f"{SOAP}.do_sendRequestXML()", "*** Calling sendRequestXML() with following parameters:"
    ),
    "send_request_parameter": _line(f"{SOAP}.do_sendRequestXML()", "{parameter}"),
    "send_request_answer": _line(f"{SOAP}.do_sendRequestXML()", "Received from sendRequestXML() following parameter:"),
    "send_request_dump": _line(f"{SOAP}.do_sendRequestXML()", "XML dump follows: -"),
    "request_received": _line(f"{SOAP}.do_sendRequestXML()", "Request xml received."),
    "processing_request": _line(f"{SOAP}.ProcessRequestXML()", "Processing request #{number}"),
    "request_size": _line(f"{SOAP}.ProcessRequestXML()", "REQUEST: received from application: size (bytes) = {size}"),
    "sending_to_quickbooks": _line(f"{SOAP}.ProcessRequestXML()", "Sending request to QuickBooks."),
    "response_size": _line(f"{SOAP}.ProcessRequestXML()", "Response received from QuickBooks: size (bytes) = {size}"),
    "sending_response": _line(f"{SOAP}.ProcessRequestXML()", "Sending response back to application."),
    "sending_error": _line(f"{SOAP}.ProcessRequestXML()", "Sending error message back to application:"),
    "receive_response_call": _line(
        f"{SOAP}.do_receiveResponseXML()", "*** Calling receiveResponseXML() with following parameters:"
    ),
    "receive_response_parameter": _line(f"{SOAP}.do_receiveResponseXML()", "{parameter}"),
    "receive_response_dump": _line(f"{SOAP}.do_receiveResponseXML()", "XML dump follows: -"),
    "receive_response_answer": _line(
        f"{SOAP}.do_receiveResponseXML()", "Received from receiveResponseXML() following parameters:"
    ),
    "more": _line(f"{SOAP}.do_receiveResponseXML()", 'more="{percent}">'),
    "more_to_process": _line(f"{SOAP}.do_receiveResponseXML()", "There are more requests to process."),
    "no_more": _line(f"{SOAP}.do_receiveResponseXML()", "Done. No more to process."),
    "callback_failed": _line(f"{SOAP}.do_{{callback}}()", "{code}: {message}", seen=False),
    # --- errors and the rest of the contract (PG ch.2; no published log shows them) -------------------
    "connection_error_call": _line(
        f"{SOAP}.do_connectionError()",
        "*** Calling connectionError() with following "
        'parameters:<wcTicket="{ticket}"><hresult="{hresult}"><message="{message}">',
        seen=False,
    ),
    "connection_error_answer": _line(
        f"{SOAP}.do_connectionError()",
        'Received from connectionError() following parameter:<connectionErrorRet="{answer}">',
        seen=False,
    ),
    "get_last_error_call": _line(
        f"{SOAP}.do_getLastError()",
        '*** Calling getLastError() with following parameter:<wcTicket="{ticket}">',
        seen=False,
    ),
    "get_last_error_answer": _line(
        f"{SOAP}.do_getLastError()",
        'Received from getLastError() following parameter:<getLastErrorRet="{text}">',
        seen=False,
    ),
    "interactive_url_call": _line(
        f"{SOAP}.do_getInteractiveURL()",
        '*** Calling getInteractiveURL() with following parameters:<wcTicket="{ticket}">',
        seen=False,
    ),
    "interactive_url_answer": _line(
        f"{SOAP}.do_getInteractiveURL()",
        'Received from getInteractiveURL() following parameter:<getInteractiveURLRet="{url}">',
        seen=False,
    ),
    "interactive_done": _line(
        f"{SOAP}.do_interactiveDone()",
        'Received from interactiveDone() following parameter:<interactiveDoneRet="{answer}">',
        seen=False,
    ),
    "interactive_rejected": _line(
        f"{SOAP}.do_interactiveRejected()",
        'Received from interactiveRejected() following parameter:<interactiveRejectedRet="{answer}">',
        seen=False,
    ),
    # --- a session ends ------------------------------------------------------------------------------
    "close_call": _line(
        f"{SOAP}.do_closeConnection()", '*** Calling closeConnection() with following parameter:<wcTicket="{ticket}">'
    ),
    "close_answer": _line(
        f"{SOAP}.do_closeConnection()", 'Received from closeConnection() following parameter:<ccResponse="{answer}">'
    ),
    "close_called": _line(f"{SOAP}.do_closeConnection()", "CloseConnection called to application."),
    "close_response": _line(f"{SOAP}.do_closeConnection()", "Response received from application = {answer}"),
    "no_data_for_application": _line(f"{WS}.DoUpdate()", "No data to exchange for the application:  {app}"),
    "completed_with_errors": _line(
        f"{WS}.DoUpdate()", "Update completed with errors. See log (QWClog.txt) for details."
    ),
    "manual_completed_with_errors": _line(
        f"{WS}.DoUpdateSelected()", "Update completed with errors. See log (QWClog.txt) for details."
    ),
    "some_error": _line(
        _SCHEDULED,
        "QBWC1031: Update completed with some error. Application has been notified of the "
        "error accordingly. See QWCLog for further information.",
    ),
    "manual_completed": _line(f"{WS}.DoUpdateSelected()", "Update for application = '{app}' has COMPLETED"),
    "update_session_ended": _line(f"{WS}.DoUpdateSelected()", "Update session has ended."),
    # --- passwords ------------------------------------------------------------------------------------------
    "no_password": _line(
        _SCHEDULED,
        "QBWC1030: Password is not available for application named '{app}'. Please set password for this application.",
    ),
    "password_undecryptable": _line(
        _SCHEDULED,
        "QBWC1029: The password for application '{app}' could not be decrypted. Please set the password again.",
        seen=False,
    ),
    "password_undecryptable_manual": _line(
        f"{SOAP}.update()",
        "QBWC1029: The password for application '{app}' could not be decrypted. Please set the password again.",
        seen=False,
    ),
    # --- adding an application -------------------------------------------------------------------------------
    "read_qwc": _line(
        f"{WS}.ReadQWC(QWCReader QWC)", "Parsing application configuration xml file to load its content to variables"
    ),
    "qwc_contents": _line("QWCReader.ParseQWC()", "Contents of QWC file: -"),
    "adding": _line(f"{SOAP}.AddToQuickBooks()", "Application name = {app}"),
    "querying_file_id": _line(f"{SOAP}.AddToQuickBooks()", "Querying company file to find if owner/file id exists."),
    "find_file_id_dump": _line(f"{SOAP}.findFileIDinQB()", "XML dump follows: -"),
    "find_file_id_status": _line(f"{SOAP}.findFileIDinQB()", "Status message: {message}"),
    "register_data_ext_dump": _line(f"{SOAP}.registerDataExtInQB()", "XML dump follows: -"),
    "enter_data_ext_dump": _line(f"{SOAP}.enterDataExtValueInQB()", "XML dump follows: -"),
    "data_ext_value_created": _line(
        f"{SOAP}.enterDataExtValueInQB()", "Data extension value has been created in QuickBooks for {name}"
    ),
    "file_id_entered": _line(f"{SOAP}.AddToQuickBooks()", "Entered FileID value to company file successfully."),
    "lock_def_add_dump": _line(f"{LOCK}.Send_DataExtDefAddRqXML()", "XML dump follows: -"),
    "lock_add_dump": _line(f"{LOCK}.Send_DataExtAddRqXML()", "XML dump follows: -"),
    "latest_qbxml": _line(f"{SOAP}.findFileIDinQB()", "Latest QBXML version supported = v{version}"),
    "querying_owner_file_id": _line(f"{SOAP}.findFileIDinQB()", "Querying QuickBooks for existance of owner/file id"),
    "creating_file_id": _line(f"{SOAP}.AddToQuickBooks()", "FileID did not exist. Creating new FileID in company file"),
    "creating_data_ext": _line(
        f"{SOAP}.registerDataExtInQB()",
        "Creating DataExtDef named {name} assigned to Company object for the ownerID = {owner_id}",
    ),
    "data_ext_created": _line(
        f"{SOAP}.registerDataExtInQB()", "Data extension definition has been created in QuickBooks for owner id."
    ),
    "file_id_registered": _line(f"{SOAP}.AddToQuickBooks()", "Registered FileID to company file successfully."),
    "app_lock_registered": _line(f"{SOAP}.AddToQuickBooks()", "Registered the AppLock to company file successfully."),
    "lock_initialized": _line(
        f"{LOCK}.initialize()",
        "Company file has been initialized with AppLock = UNLOCKED:{host} for ownerID = <{owner_id}>",
    ),
    "app_added": _line(f"{SOAP}.AddToQuickBooks()", "Application {app} has been added to QuickBooks."),
    "modal_dialog": _line(
        f"{SOAP}.handleModalDialogError()",
        "QuickBooks Web Connector failed to connect. QuickBooks returned the following "
        "error: <{code}: {message}>. Fix the problem and then click OK to try again.",
    ),
    "add_failed": _line(
        f"{SOAP}.AddToQuickBooks()", "{code}: There was a problem adding the application {app}. {message}", seen=False
    ),
    # --- removing, exiting ---------------------------------------------------------------------------------------
    "remove_failed": _line(
        f"{WS}.RemoveApplication()",
        "Cannot remove {app}: the company file '{path}' could not be reached ({code}: {message})",
        seen=False,
    ),
    "removed": _line(f"{WS}.RemoveApplication()", "Application {app} removed", seen=False),
}

#: The same lines as attributes: `LINE.scheduled_update`.
LINE = SimpleNamespace(**LINES)

#: The lines no published log shows (README lists them; a test keeps the two lists equal).
ASSUMED_LINES = tuple(sorted(name for name, line in LINES.items() if not line.seen))
#: Prefixes only assumed lines use (the callbacks exist in the PG; the names follow the real ones').
ASSUMED_PREFIXES = frozenset(line.prefix for line in LINES.values() if "{" not in line.prefix) - frozenset(
    line.prefix for line in LINES.values() if line.seen
)


def clock_time(moment) -> str:
    """A time as the Web Connector writes local times in messages: "9:33:54 AM"."""
    return f"{moment.hour % 12 or 12}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


def pattern_of(line: Line) -> re.Pattern[str]:
    """A regular expression matching the written text of `line` (its placeholders as any text)."""
    pieces = re.split(r"\{\w+\}", line.message)
    message = "(?:.*)".join(re.escape(piece) for piece in pieces)
    prefix = "(?:.*)".join(re.escape(piece) for piece in re.split(r"\{\w+\}", line.prefix))
    return re.compile(rf"{prefix} : {message}\Z")
