"""One update session: the Web Connector's side of the callback contract, as a state machine.

Each state is one thing the real Web Connector does, named after the callback it
makes or the step of the Programmer's Guide it takes (PG ch.2, ch.10, DOMAIN.md
section 3); each state returns the name of the next. A reader can follow a session
in the PG and here side by side:

    start -> server_version -> client_version -> authenticate -> connect_to_quickbooks
      connect_to_quickbooks -> send_request | connection_error (-> connect_to_quickbooks | close)
      send_request -> process_request | get_last_error
      process_request -> receive_response -> send_request | get_last_error | close
      get_last_error -> send_request (NoOp, after 5 s) | interactive | close
      interactive -> send_request | close
      close -> (end)

Everything a state does goes to QWCLog.txt in the real vocabulary (QWCLOG.md) and,
where it changes the office, to the trace. A host that sleeps, shuts down or logs
out mid-session interrupts it ("interrupted", the company file released). The
registry's global `UpdateLock` (FIELD: published logs) is what keeps two updates of
one Windows user from running at once. The company file opened is the one
authenticate names (the service remembers it, PG ch.10) or, for "", the file open in
QuickBooks; the path stored when the application was added plays no part here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator

import simpy

from sim.errors import QuickBooksError
from sim.quickbooks.request_processor import DONT_CARE, AppOptions
from sim.webconnector.app_list import APPS_KEY, read_app, reveal
from sim.webconnector.contract import CALL_SECONDS, TransportError
from sim.webconnector.log import REGISTRY, SOAP, WS
from sim.windows.host import ENDED, HostInterruption

if TYPE_CHECKING:
    from sim.webconnector.connector import WebConnector

__all__ = ["UpdateResult", "UpdateSession", "run_update", "CLIENT_VERSION", "NOOP_WAIT_SECONDS", "UPDATE_LOCK"]

CLIENT_VERSION = "2.3.0.215"
QBXML_MAJOR, QBXML_MINOR = 13, 0
NOOP_WAIT_SECONDS = 5  # PG: after "NoOp", QBWC waits 5 seconds, then calls sendRequestXML again
UPDATE_LOCK = "UpdateLock"
#: PG appendix A: each attempt to reach QuickBooks connects twice before it fails.
TRIES_PER_CONNECTION = 2
#: Assumed bounds: the real client loops for as long as the service asks it to.
MAX_CONNECTION_RETRIES = 10
MAX_NOOPS = 120
MAX_EXCHANGES = 10_000
#: Assumed: how long an update waits for another update's UpdateLock, polling it.
LOCK_POLL_SECONDS = 5
LOCK_WAIT_SECONDS = 600
#: Assumed: how long a person takes in the service's page in interactive mode.
INTERACTIVE_SECONDS = 60


@dataclass(frozen=True)
class UpdateResult:
    """How one update of one application ended."""

    app: str
    trigger: str  # "manual" or "scheduled"
    outcome: str  # "succeeded", "no work", "busy", "postponed", "failed", "interrupted" (or "not started")
    code: str = ""  # the HRESULT or QBWC error behind a failure
    message: str = ""
    started: float = 0.0
    ended: float = 0.0
    postpone_seconds: int = 0
    min_interval_seconds: int = 0

    @property
    def succeeded(self) -> bool:
        return self.outcome in ("succeeded", "no work")


class _Stop(Exception):
    """Ends the session early with a result."""

    def __init__(self, outcome: str, code: str = "", message: str = "") -> None:
        super().__init__(message)
        self.outcome, self.code, self.message = outcome, code, message


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


class UpdateSession:
    """One update of one application, state by state."""

    def __init__(self, connector: "WebConnector", app_name: str, trigger: str, person_present: bool) -> None:
        self.connector, self.app_name, self.trigger, self.person_present = connector, app_name, trigger, person_present
        self.world, self.host, self.log = connector.world, connector.host, connector.log
        self.env = self.world.env
        self.rp = self.host.quickbooks.request_processor
        self.app = None
        self.transport = None
        self.ticket = ""
        self.path = ""
        self.sdk = None  # the QuickBooks session, once connected
        self.locked = False
        self.postpone = self.minimum = 0
        self.connection_retries = self.exchanges = self.noops = 0
        self.hcp = ""
        self.request = self.response = ""
        self.hresult = self.message = ""
        self.last_error_code = ""
        self.started_at: float | None = None
        self.options = AppOptions()
        self.ended_abruptly = False

    def _started(self) -> None:
        """The update has begun: once it holds the UpdateLock, or when it fails before."""
        if self.started_at is None:
            self.started_at = self.world.seconds
            self.world.record(self.host.name, "update.started", app=self.app_name, trigger=self.trigger, source="PG")

    # --- running ------------------------------------------------------------------------------
    def run(self) -> Generator[Any, Any, UpdateResult]:
        outcome, code, message = "failed", "", ""
        try:
            state: str | None = "start"
            while state is not None:
                state = yield from getattr(self, state)()
            outcome = "succeeded"
        except _Stop as stop:
            outcome, code, message = stop.outcome, stop.code, stop.message
        except TransportError as error:
            outcome, code, message = "failed", error.code, error.message
        except simpy.Interrupt as interrupt:
            if not isinstance(interrupt.cause, HostInterruption):
                raise
            outcome, code, message = "interrupted", "", f"the computer went {interrupt.cause.reason}"
            if interrupt.cause.reason == ENDED:
                # The Web Connector itself was ended mid-session: nothing of it runs on to end the session.
                self.ended_abruptly, message = True, "Web Connector was ended in Task Manager"
        finally:
            self._release()
        self._started()
        self._log_end(outcome, code)
        result = UpdateResult(self.app_name, self.trigger, outcome, code, message, self.started_at, self.world.seconds, self.postpone, self.minimum)
        details = {"app": self.app_name, "trigger": self.trigger, "outcome": outcome, "code": code or "-"}
        if outcome == "failed":
            details["reason"] = message[:140]
        self.world.record(self.host.name, "update.finished", source="PG" if outcome != "interrupted" else "assumed", **details)
        return result

    def call(self, method: str, **arguments: Any):
        """One callback through the transport; a failure there ends the session with that
        callback's QBWC code (the transport raises it, PG appendix A)."""
        try:
            result = self.transport.call(method, **arguments)
        except TransportError as error:
            if method == "authenticate":
                self.log.write(f"{SOAP}.do_authenticate()", "QBWC1012: Authentication failed due to following error message.", [error.message])
            elif method == "serverVersion" and error.code == "QBWC1012":
                # A connection that failed: as published logs write it, with no code on the line (QWCLog.txt vocabulary).
                self.log.write(f"{SOAP}.do_serverVersion()", f"Actual error received from web service for serverVersion call: <{error.message}>")
            else:
                self.log.write(f"{SOAP}.do_{method}()", f"{error.code}: {error.message}")
            raise
        yield self.env.timeout(CALL_SECONDS)
        return result

    # --- the states ------------------------------------------------------------------------------
    def start(self):
        connector, log = self.connector, self.log
        if self.trigger == "scheduled":
            log.write(f"{WS}.UpdateThisScheduledApp()", "Password management - Started")
        self.app = read_app(self.host, connector.user, self.app_name)
        if self.app is None:
            raise _Stop("failed", "QBWC1032", f"application {self.app_name!r} was not found in the registry")
        self.password = self._stored_password()
        self.options = connector.app_options(self.app.auth_flags, self.app.is_read_only, self.app.unattended_mode_pref)
        if self.trigger == "scheduled":
            log.write(f"{WS}.UpdateThisScheduledApp()", "Password management - Ended")
            log.write(f"{WS}.UpdateThisScheduledApp()", f"Performing SCHEDULED UPDATE for application = {self.app_name}")
        else:
            log.write(f"{WS}.DoUpdateSelected()", f"updateWS() for application = '{self.app_name}' has STARTED")
        yield from self._take_update_lock()
        log.write(f"{REGISTRY}.setCurrentWebServiceName()", rf"{APPS_KEY}\CurrentWebServiceName has been set to {self.app_name}")
        log.write(f"{SOAP}.instantiateWebService()", "Initiated connection to the following application.")
        log.write(f"{SOAP}.instantiateWebService()", f"AppName: {self.app_name}")
        log.write(f"{SOAP}.instantiateWebService()", f"AppUniqueName (if available): {self.app_name}")
        log.write(f"{SOAP}.instantiateWebService()", f"AppURL: {self.app.app_url}")
        self.transport = connector.transport_for(self.app.app_url, self.app.style)
        return "server_version"

    def server_version(self):
        self.log.write(f"{SOAP}.do_serverVersion()", "*** Calling serverVersion().")
        version = yield from self.call("serverVersion")
        self.log.write(f"{SOAP}.do_serverVersion()", f'Received from serverVersion() following parameter:<serverVersionRet="{version}">')
        return "client_version"

    def client_version(self):
        prefix = f"{SOAP}.do_clientVersion()"
        self.log.write(prefix, f'*** Calling clientVersion() with following parameter:<productVersion="{self.connector.version}">')
        answer = str((yield from self.call("clientVersion", strVersion=self.connector.version)) or "")
        self.log.write(prefix, f'Received from clientVersion() following parameter:<clientVersionRet="{answer}">')
        if answer.startswith("E:"):
            # PG: "E:" aborts the update with the service's message.
            self.log.write(prefix, f"The application has stopped this update: {answer[2:]}")
            raise _Stop("failed", "clientVersion", answer[2:] or answer)
        if answer.startswith("W:"):
            self.log.write(prefix, f"Warning from the application: {answer[2:]}")
        elif answer.startswith("O:"):
            # PG: the user is told a newer Web Connector is needed; it does not say the update stops.
            self.log.write(prefix, f"The application needs QBWebConnector version {answer[2:]} or later.")
        else:
            self.log.write(prefix, "This application agrees with the current version of QBWebConnector. Allowing update operation.")
        return "authenticate"

    def authenticate(self):
        prefix = f"{SOAP}.do_authenticate()"
        self.log.write(prefix, f"Authenticating to application '{self.app_name}', username = '{self.app.user_name}'")
        self.log.write(prefix, f'*** Calling authenticate() with following parameters:<userName="{self.app.user_name}"><password=<MaskedForSecurity>')
        result = yield from self.call("authenticate", strUserName=self.app.user_name, strPassword=self.password)
        if isinstance(result, str) or not isinstance(result, (list, tuple)) or not result or len(result) > 4:
            problem = f"authenticate returned {result!r:.100}: expected an array of one to four strings"
            self.log.write(prefix, "QBWC1012: Authentication failed due to following error message.", [problem])
            raise _Stop("failed", "QBWC1012", problem)
        answers = [("" if item is None else str(item)) for item in result] + ["", "", ""]
        self.ticket, status = answers[0], answers[1]
        self.postpone, self.minimum = _int(answers[2]), _int(answers[3])
        shown = "".join(f'<authRet[{n}]="{value}">' for n, value in enumerate(answers[: len(result)]))
        self.log.write(f"{SOAP}.updateWS()", f"Received from authenticate() following parameters:{shown}")
        self.log.write(f"{REGISTRY}.setCurrentWebServiceSessionTicket()", rf"{APPS_KEY}\CurrentWebServiceSessionTicket has been set to {self.ticket if status.casefold() not in ('nvu', 'none') else ''}")
        if status.casefold() == "nvu":
            self.log.write(f"{SOAP}.CheckCFNResponse()", f"{self.app_name}: Not a valid username and password. Job ending.")
            raise _Stop("failed", "QBWC1040", "the web service did not accept the user name or password (nvu)")
        if status.casefold() == "none":
            self.log.write(f"{SOAP}.CheckCFNResponse()", "No data to exchange for this application. Job ending.")
            self.log.write(f"{WS}.DoUpdate()", f"No data to exchange for the application:  {self.app_name}")
            raise _Stop("no work")
        if status.casefold() == "busy":
            self.log.write(f"{SOAP}.CheckCFNResponse()", "The application is busy. Job ending.")
            raise _Stop("busy", "", "the web service is busy")
        if self.app.auto_run:  # PG: [2] and [3] act only while Auto-Run is on
            self._raise_every_min()
            if self.postpone > 0:
                local = self.world.now
                when = f"{local.month}/{local.day}/{local.year} {local.hour % 12 or 12}:{local:%M:%S} {'AM' if local.hour < 12 else 'PM'}"
                self.log.write(f"{SOAP}.HandleDelayRequest()", f"Update has been postponed at {when} by '{self.app_name}' for next {self.postpone} seconds")
                raise _Stop("postponed", "", f"postponed by the application for {self.postpone} seconds")
        # "" means the file open in QuickBooks (PG ch.10; FIELD: it works only with QuickBooks open).
        self.path = status
        return "connect_to_quickbooks"

    def connect_to_quickbooks(self):
        prefix = f"{SOAP}.ConnectToQB()"
        self.log.write(prefix, "Connecting to QuickBooks...")
        error = None
        for _ in range(TRIES_PER_CONNECTION):
            try:
                self.sdk = self.rp.begin_session(self.app_name, self.app.owner_id, self.path, DONT_CARE, self.person_present, options=self.options)
                break
            except QuickBooksError as failure:
                error = failure
        if self.sdk is not None:
            self.log.write(prefix, "Connected., Session started")
            yield self.env.timeout(self.sdk.open_seconds)
            self.hcp = self.rp.host_company_preferences(self.sdk)
            return "send_request"
        self.hresult, self.message = error.code, error.message
        self.log.write(prefix, f"QBWC1013: Error connecting to QuickBooks. Company file = '{self.path}'", [f"HRESULT = {error.code}", f"Message: {error.message}"])
        return "connection_error"

    def connection_error(self):
        prefix = f"{SOAP}.do_connectionError()"
        self.log.write(prefix, f'*** Calling connectionError() with following parameters:<wcTicket="{self.ticket}"><hresult="{self.hresult}"><message="{self.message}">')
        reply = str((yield from self.call("connectionError", ticket=self.ticket, hresult=self.hresult, message=self.message)) or "")
        self.log.write(prefix, f'Received from connectionError() following parameter:<connectionErrorRet="{reply}">')
        if reply.casefold() == "done" or self.connection_retries >= MAX_CONNECTION_RETRIES:
            self.last_error_code = self.hresult
            return "close"
        self.connection_retries += 1
        self.path = reply
        return "connect_to_quickbooks"

    def send_request(self):
        if self.exchanges >= MAX_EXCHANGES:
            self.last_error_code, self.message = "assumed-limit", f"stopped after {MAX_EXCHANGES} exchanges"
            return "close"
        self.exchanges += 1
        prefix = f"{SOAP}.do_sendRequestXML()"
        self.log.write(prefix, f"Asking application to send request no. {self.exchanges}")
        self.log.write(prefix, "*** Calling sendRequestXML() with following parameters:", [
            f'wcTicket="{self.ticket}"', "HCPResponseXML=" + ("(HostQuery, CompanyQuery and PreferencesQuery responses)" if self.hcp else ""),
            f'cfn="{self.sdk.path}"', 'qbNationality="US"', f'qbXMLMajorVers="{QBXML_MAJOR}"', f'qbXMLMinorVers="{QBXML_MINOR}"',
        ])
        request = yield from self.call(
            "sendRequestXML", ticket=self.ticket, strHCPResponse=self.hcp, strCompanyFileName=self.sdk.path,
            qbXMLCountry="US", qbXMLMajorVers=QBXML_MAJOR, qbXMLMinorVers=QBXML_MINOR,
        )
        self.hcp = ""
        self.request = "" if request is None else request if isinstance(request, str) else str(request)
        if not self.request:
            self.log.write(prefix, "Received from sendRequestXML() following parameter:", ["strRequestXML ="])
            return "get_last_error"
        self.log.dump(prefix, "Received from sendRequestXML() following parameter:", self.request)
        self.log.write(prefix, "Request xml received.")
        return "process_request"

    def process_request(self):
        prefix = f"{SOAP}.ProcessRequestXML()"
        self.log.write(prefix, f"Processing request #{self.exchanges}")
        self.log.write(prefix, f"REQUEST: received from application: size (bytes) = {len(self.request.encode('utf-8'))}")
        self.log.write(prefix, "Sending request to QuickBooks.")
        try:
            self.response, seconds = self.rp.process(self.sdk, self.request)
            self.hresult = self.message = ""
            self.log.write(prefix, f"Response received from QuickBooks: size (bytes) = {len(self.response.encode('utf-8'))}")
            self.log.write(prefix, "Sending response back to application.")
        except QuickBooksError as error:
            self.response, seconds, self.hresult, self.message = "", 0.0, error.code, error.message
            self.log.write(prefix, "Sending error message back to application:", [f"HRESULT = {error.code}", f"Message: {error.message}"])
        yield self.env.timeout(seconds * self.host.quickbooks.slowdown_factor())
        return "receive_response"

    def receive_response(self):
        prefix = f"{SOAP}.do_receiveResponseXML()"
        self.log.dump(prefix, "*** Calling receiveResponseXML() with following parameters:", self.response)
        self.log.write(prefix, f'wcTicket="{self.ticket}" hresult="{self.hresult}" message="{self.message}"')
        percent = _int((yield from self.call("receiveResponseXML", ticket=self.ticket, response=self.response, hresult=self.hresult, message=self.message)))
        self.log.write(prefix, f'Received from receiveResponseXML() following parameters:<more="{percent}">')
        if percent < 0:
            self.last_error_code = self.hresult or "receiveResponseXML"
            return "get_last_error"
        if percent >= 100:
            self.log.write(prefix, "Done. No more to process.")
            return "close"
        self.log.write(prefix, "There are more requests to process.")
        return "send_request"

    def get_last_error(self):
        prefix = f"{SOAP}.do_getLastError()"
        self.log.write(prefix, f'*** Calling getLastError() with following parameter:<wcTicket="{self.ticket}">')
        text = str((yield from self.call("getLastError", ticket=self.ticket)) or "")
        self.log.write(prefix, f'Received from getLastError() following parameter:<getLastErrorRet="{text}">')
        if text == "NoOp" and self.noops < MAX_NOOPS:
            self.noops += 1
            yield self.env.timeout(NOOP_WAIT_SECONDS)
            return "send_request"
        if text == "Interactive mode":
            return "interactive"
        self.last_error_code = self.last_error_code or "sendRequestXML"
        self.message = text
        return "close"

    def interactive(self):
        """PG ch.10: the service asks for a person: QBWC opens its page in a browser and
        hears back through interactiveDone / interactiveRejected."""
        prefix = f"{SOAP}.do_getInteractiveURL()"
        self.log.write(prefix, f'*** Calling getInteractiveURL() with following parameters:<wcTicket="{self.ticket}">')
        url = str((yield from self.call("getInteractiveURL", wcTicket=self.ticket, sessionID=self.ticket)) or "")
        self.log.write(prefix, f'Received from getInteractiveURL() following parameter:<getInteractiveURLRet="{url}">')
        if url and self.person_present:
            self.world.record(self.host.name, "qbwc.interactive_page", source="PG", app=self.app_name, url=url[:200])
            yield self.env.timeout(INTERACTIVE_SECONDS)
            answer = str((yield from self.call("interactiveDone", wcTicket=self.ticket)) or "")
            self.log.write(f"{SOAP}.do_interactiveDone()", f'Received from interactiveDone() following parameter:<interactiveDoneRet="{answer}">')
            return "send_request"
        reason = "no user is present to complete the interactive session" if url else "the application gave no interactive URL"
        answer = str((yield from self.call("interactiveRejected", wcTicket=self.ticket, reason=reason)) or "")
        self.log.write(f"{SOAP}.do_interactiveRejected()", f'Received from interactiveRejected() following parameter:<interactiveRejectedRet="{answer}">')
        self.last_error_code, self.message = "interactive", reason
        return "close"

    def close(self):
        prefix = f"{SOAP}.do_closeConnection()"
        self.log.write(prefix, f'*** Calling closeConnection() with following parameter:<wcTicket="{self.ticket}">')
        text = yield from self.call("closeConnection", ticket=self.ticket)
        self.log.write(prefix, f'Received from closeConnection() following parameter:<ccResponse="{text}">')
        if self.last_error_code:
            raise _Stop("failed", self.last_error_code, self.message)
        return None

    def _stored_password(self) -> str:
        """The password Web Connector keeps for the application (PG: QBWC1030 when there is
        none, QBWC1038 when it cannot be decrypted)."""
        log, connector = self.log, self.connector
        stored = self.host.registry.get_value(self.app.key, "Password", default="", user=connector.user)
        if not stored:
            if self.trigger == "scheduled":
                log.write(f"{WS}.UpdateThisScheduledApp()", f"QBWC1030: Password is not available for application named '{self.app_name}'. Please set password for this application.")
            else:
                log.write(f"{SOAP}.update()", "Enter a password. You need to enter a password before you can update.")
            raise _Stop("failed", "QBWC1030", "no password has been set for this application")
        try:
            return reveal(str(stored))
        except ValueError:  # base64 or UTF-8 decoding: the key that encrypted it is gone
            log.write(f"{WS}.UpdateThisScheduledApp()" if self.trigger == "scheduled" else f"{SOAP}.update()", f"QBWC1038: The password for application '{self.app_name}' could not be decrypted. Please set the password again.")
            raise _Stop("failed", "QBWC1038", "the stored password cannot be decrypted (QBWC's key is lost)")

    # --- around the states ----------------------------------------------------------------------
    def _take_update_lock(self):
        """The global UpdateLock: one update at a time for this Windows user; another one
        waits for it (assumed: polling), and gives up if it never comes free."""
        registry, user = self.host.registry, self.connector.user
        waited = 0
        while self.connector.update_lock:
            self.log.write(f"{REGISTRY}.getUpdateLock()", rf"{APPS_KEY}\{UPDATE_LOCK} = TRUE")
            if waited == 0:
                self.world.record(self.host.name, "update.waiting_for_lock", source="FIELD", app=self.app_name)
            if waited >= LOCK_WAIT_SECONDS:
                raise _Stop("busy", UPDATE_LOCK, "another update holds the Web Connector's UpdateLock")
            yield self.env.timeout(LOCK_POLL_SECONDS)
            waited += LOCK_POLL_SECONDS
        self.log.write(f"{REGISTRY}.getUpdateLock()", rf"{APPS_KEY}\{UPDATE_LOCK} = FALSE")
        registry.set_value(APPS_KEY, UPDATE_LOCK, "True", user=user)
        self.locked = True
        self._started()
        self.log.write(f"{REGISTRY}.setUpdateLock()", rf"{APPS_KEY}\{UPDATE_LOCK} has been set to True")
        self.log.write(f"{REGISTRY}.setUpdateLock()", "********************* Update session locked *********************")

    def _raise_every_min(self) -> None:
        """authenticate [3]: the service asks for at least this many seconds between runs."""
        if self.minimum > self.app.every_seconds:
            registry, user = self.host.registry, self.connector.user
            registry.set_value(self.app.key, "Every_Sec", self.minimum, user=user)
            registry.set_value(self.app.key, "Every_Min", -(-self.minimum // 60), user=user)
            self.world.record(self.host.name, "qbwc.every_min_raised", source="PG", app=self.app_name, seconds=self.minimum)

    def _release(self) -> None:
        if self.ended_abruptly:
            # Killed, the program neither ends its QuickBooks session nor clears its UpdateLock.
            if self.sdk is not None:
                self.rp.abandon(self.sdk)
            return
        if self.sdk is not None:
            self.rp.end_session(self.sdk)
            self.log.write(f"{SOAP}.update()", "Ending session to QuickBooks.")
            self.log.write(f"{SOAP}.DisconnectFromQB()", "Session ended and connection closed")
        if self.locked:
            self.host.registry.set_value(APPS_KEY, UPDATE_LOCK, "False", user=self.connector.user)
            self.log.write(f"{REGISTRY}.setUpdateLock()", rf"{APPS_KEY}\{UPDATE_LOCK} has been set to False")
            self.log.write(f"{REGISTRY}.setUpdateLock()", "********************* Update session unlocked *********************")

    def _log_end(self, outcome: str, code: str) -> None:
        if outcome in ("interrupted", "postponed"):
            return
        if outcome in ("succeeded", "no work"):
            if self.trigger == "manual":
                self.log.write(f"{WS}.DoUpdateSelected()", f"Update for application = '{self.app_name}' has COMPLETED")
            self.log.write(f"{WS}.DoUpdateSelected()", "Update session has ended.")
            return
        if self.trigger == "scheduled":
            self.log.write(f"{WS}.UpdateThisScheduledApp()", "QBWC1031: Update completed with some error. Application has been notified of the error accordingly. See QWCLog for further information.")
        self.log.write(f"{WS}.DoUpdate()", "Update completed with errors. See log (QWClog.txt) for details.")


def run_update(connector: "WebConnector", app_name: str, trigger: str, person_present: bool) -> Generator[Any, Any, UpdateResult]:
    """The update session as a generator for `Host.spawn`; its value is an `UpdateResult`."""
    return UpdateSession(connector, app_name, trigger, person_present).run()
