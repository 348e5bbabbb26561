"""One update session: the Web Connector's side of the callback contract, step by step.

For one registered application this runs, as a SimPy process on its host, what
the real Web Connector does (DOMAIN.md section 3, DESIGN.md "One update"):
serverVersion, clientVersion, authenticate; then it asks the request processor to
begin a session on the company file (the path authenticate gave, or the one the
app's registry key remembers), calling connectionError on each failure until the
service says "done"; then the sendRequestXML / receiveResponseXML loop with
getLastError, NoOp waits of 5 simulated seconds and percent-done; then
closeConnection. Everything it does goes to QWCLog.txt and the trace. A host that
sleeps, shuts down or logs out mid-session interrupts it; the session then ends
as "interrupted", releasing the company file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator

import simpy

from sim.errors import QuickBooksError
from sim.quickbooks.request_processor import DONT_CARE
from sim.webconnector.app_list import APPS_KEY, read_app, reveal
from sim.webconnector.contract import CALL_SECONDS, TransportError
from sim.windows.host import HostInterruption

if TYPE_CHECKING:
    from sim.webconnector.connector import WebConnector

__all__ = ["UpdateResult", "run_update", "CLIENT_VERSION", "NOOP_WAIT_SECONDS"]

CLIENT_VERSION = "2.3.0.215"
QBXML_MAJOR, QBXML_MINOR = 13, 0
NOOP_WAIT_SECONDS = 5  # PG: after "NoOp", QBWC waits 5 seconds, then calls sendRequestXML again
#: Assumed bounds: the real client loops for as long as the service asks it to.
MAX_CONNECTION_RETRIES = 10
MAX_NOOPS = 120
MAX_EXCHANGES = 10_000


@dataclass(frozen=True)
class UpdateResult:
    """How one update of one application ended."""

    app: str
    trigger: str  # "manual" or "scheduled"
    outcome: str  # "succeeded", "no work", "busy", "failed" or "interrupted"
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


def run_update(connector: "WebConnector", app_name: str, trigger: str, person_present: bool) -> Generator[Any, Any, UpdateResult]:
    """The update session as a generator for `Host.spawn`; its value is an `UpdateResult`."""
    world, host, log = connector.world, connector.host, connector.log
    env = world.env
    started = world.seconds
    if trigger == "scheduled":
        log.write("UpdateThisScheduledApp()", f"Performing SCHEDULED UPDATE for application = {app_name}")
    else:
        log.write("DoUpdateSelected()", f"updateWS() for application = '{app_name}' has STARTED")
    world.record(host.name, "update.started", app=app_name, trigger=trigger, source="PG")
    state: dict[str, Any] = {"session": None, "ticket": "", "postpone": 0, "minimum": 0}
    rp = host.quickbooks.request_processor
    key = f"{APPS_KEY}\\{app_name}"

    def call(method: str, **arguments: Any):
        if log.level == "VERBOSE":  # formatting whole XML documents is costly: only when wanted
            shown = {k: ("<MaskedForSecurity>" if k == "strPassword" else v) for k, v in arguments.items()}
            log.write(f"{method}()", f"Calling {method} with {shown}", verbose=True)
        result = transport.call(method, **arguments)
        if log.level == "VERBOSE":
            log.write(f"{method}()", f"Received from {method}: {result!r}", verbose=True)
        yield env.timeout(CALL_SECONDS)
        return result

    def close() -> Generator[Any, Any, None]:
        if state["ticket"]:
            text = yield from call("closeConnection", ticket=state["ticket"])
            log.write("CloseConnection()", f"Received from closeConnection() following parameter:<msg='{text}'>")

    try:
        app = read_app(host, connector.user, app_name)
        if app is None:
            raise _Stop("failed", "QBWC1032", f"application {app_name!r} was not found in the registry")
        if not app.has_password:
            raise _Stop("failed", "QBWC1030", "no password has been set for this application")
        password = reveal(str(host.registry.get_value(key, "Password", user=connector.user)))
        host.registry.set_value(key, "UpdateLock", "True", user=connector.user)
        transport = connector.transport_for(app.app_url)

        version = yield from call("serverVersion")
        log.write("serverVersion()", f"Server version is {version or '(none)'}")
        answer = str((yield from call("clientVersion", strVersion=CLIENT_VERSION)) or "")
        if answer.startswith("E:") or answer.startswith("O:"):
            raise _Stop("failed", "clientVersion", answer[2:] or answer)
        if answer.startswith("W:"):
            log.write("clientVersion()", f"Warning from the web service: {answer[2:]}")

        result = yield from call("authenticate", strUserName=app.user_name, strPassword=password)
        if isinstance(result, str) or not isinstance(result, (list, tuple)) or not result:
            raise _Stop("failed", "QBWC1012", f"authenticate returned {result!r} instead of an array of strings")
        if len(result) > 4:
            raise _Stop("failed", "QBWC1012", f"authenticate returned {len(result)} strings (at most 4)")
        state["ticket"] = str(result[0])
        status = str(result[1]) if len(result) > 1 and result[1] is not None else ""
        state["postpone"] = _int(result[2]) if len(result) > 2 else 0
        state["minimum"] = _int(result[3]) if len(result) > 3 else 0
        log.write("authenticate()", f"Received from authenticate() following parameters: ticket={state['ticket']}, status={status!r}")
        if status.casefold() == "nvu":
            raise _Stop("failed", "QBWC1040", "the web service did not accept the user name or password (nvu)")
        if status.casefold() == "none":
            log.write("authenticate()", "The web service has no work to do for this QuickBooks company file.")
            yield from close()
            raise _Stop("no work")
        if status.casefold() == "busy":
            raise _Stop("busy", "", "the web service is busy")

        # "" means: the file open in QuickBooks, or else the one this application remembers (assumed, DOMAIN.md 3).
        path = status or app.company_file
        for attempt in range(MAX_CONNECTION_RETRIES + 1):
            try:
                log.write("OpenConnection()", f"Opening company file '{path}' for application = {app_name}")
                state["session"] = rp.begin_session(app_name, app.owner_id, path, DONT_CARE, person_present)
                break
            except QuickBooksError as error:
                log.write("OpenConnection()", f"QBWC1013: Error connecting to QuickBooks. Error = {error.code}, QuickBooks error message: {error.message}")
                reply = str((yield from call("connectionError", ticket=state["ticket"], hresult=error.code, message=error.message)) or "")
                if reply.casefold() == "done" or attempt == MAX_CONNECTION_RETRIES:
                    log.write("connectionError()", f"Received from connectionError() following parameter:<msg='{reply}'>")
                    yield from close()
                    raise _Stop("failed", error.code, error.message)
                path = reply or app.company_file
        session = state["session"]
        yield env.timeout(session.open_seconds)

        hcp, exchanges, noops = rp.host_company_preferences(session), 0, 0
        while exchanges < MAX_EXCHANGES:
            exchanges += 1
            request = yield from call(
                "sendRequestXML", ticket=state["ticket"], strHCPResponse=hcp, strCompanyFileName=session.path,
                qbXMLCountry="US", qbXMLMajorVers=QBXML_MAJOR, qbXMLMinorVers=QBXML_MINOR,
            )
            hcp = ""
            if not request:
                text = str((yield from call("getLastError", ticket=state["ticket"])) or "")
                if text == "NoOp" and noops < MAX_NOOPS:
                    noops += 1
                    log.write("getLastError()", "NoOp: waiting 5 seconds before calling sendRequestXML again")
                    yield env.timeout(NOOP_WAIT_SECONDS)
                    continue
                log.write("getLastError()", f"Received from getLastError(): {text}")
                yield from close()
                raise _Stop("failed", "sendRequestXML", text)
            try:
                response, seconds = rp.process(session, str(request))
                hresult, message = "", ""
            except QuickBooksError as error:
                response, seconds, hresult, message = "", 0.0, error.code, error.message
                log.write("ProcessRequest()", f"QuickBooks returned {error.code}: {error.message}")
            yield env.timeout(seconds * host.quickbooks.slowdown_factor())
            percent = _int((yield from call("receiveResponseXML", ticket=state["ticket"], response=response, hresult=hresult, message=message)))
            log.write("receiveResponseXML()", f"Response received from receiveResponseXML: percentage done = {percent}")
            if percent < 0:
                text = str((yield from call("getLastError", ticket=state["ticket"])) or "")
                log.write("getLastError()", f"Received from getLastError(): {text}")
                yield from close()
                raise _Stop("failed", hresult or "receiveResponseXML", text)
            if percent >= 100:
                yield from close()
                raise _Stop("succeeded")
        yield from close()
        raise _Stop("failed", "assumed-limit", f"stopped after {MAX_EXCHANGES} exchanges")
    except _Stop as stop:
        outcome, code, message = stop.outcome, stop.code, stop.message
    except TransportError as error:
        log.write("SendRequest()", f"{error.code}: {error.message}")
        outcome, code, message = "failed", error.code, error.message
    except simpy.Interrupt as interrupt:
        if not isinstance(interrupt.cause, HostInterruption):
            raise
        outcome, code, message = "interrupted", "", f"the computer went {interrupt.cause.reason}"
    finally:
        if state["session"] is not None:
            rp.end_session(state["session"])
        if host.registry.key_exists(key, connector.user):
            host.registry.set_value(key, "UpdateLock", "False", user=connector.user)

    where = "DoUpdateSelected()" if trigger == "manual" else "UpdateThisScheduledApp()"
    if outcome == "succeeded":
        log.write(where, f"update for application = '{app_name}' has COMPLETED successfully")
    elif outcome == "no work":
        log.write(where, f"update for application = '{app_name}' has COMPLETED: the web service had no work")
    elif outcome != "interrupted":
        log.write(where, f"update for application = '{app_name}' has FAILED: {code} {message}".rstrip())
    result = UpdateResult(app_name, trigger, outcome, code, message, started, world.seconds, state["postpone"], state["minimum"])
    details = {"app": app_name, "trigger": trigger, "outcome": outcome, "code": code or "-"}
    if outcome == "failed":
        details["reason"] = message[:140]
    world.record(host.name, "update.finished", source="PG" if outcome != "interrupted" else "assumed", **details)
    return result
