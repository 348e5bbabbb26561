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
QuickBooks; the path stored when the application was added plays no part here. A session
with a real service (sim.webconnector.service_endpoint) talks to a per-session transport that
records it, and each of its calls takes on the simulated clock the wall-clock time it took.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import simpy

from sim.errors import FileInUseError, QuickBooksError
from sim.quickbooks.request_processor import DONT_CARE, AppOptions
from sim.quickbooks.versions import newest_qbxml
from sim.webconnector import company_file_lock, own_qbxml, session_moments
from sim.webconnector.app_list import RegisteredApp, read_app, reveal
from sim.webconnector.contract import CALL_SECONDS, CALL_SPREAD, Transport, TransportError
from sim.webconnector.vocabulary import LINE, clock_time
from sim.windows.host import ENDED, HostInterruption

if TYPE_CHECKING:
    from sim.parts import WebConnector

__all__ = [
    "UpdateResult",
    "UpdateSession",
    "run_update",
    "CLIENT_VERSION",
    "NOOP_WAIT_SECONDS",
    "UPDATE_LOCK",
    "MAX_REPEATED_REJECTIONS",
]

CLIENT_VERSION = "2.3.0.215"
NOOP_WAIT_SECONDS = 5  # PG: after "NoOp", QBWC waits 5 seconds, then calls sendRequestXML again
UPDATE_LOCK = "UpdateLock"
#: PG appendix A: each attempt to reach QuickBooks connects twice before it fails.
TRIES_PER_CONNECTION = 2
#: Assumed bounds: the real client loops for as long as the service asks it to.
MAX_CONNECTION_RETRIES = 10
MAX_NOOPS = 120
MAX_EXCHANGES = 10_000
#: Assumed bound: a request QuickBooks rejected, sent again unchanged this many times in a row, ends
#: the session (the real client would go on for as long as the service sends it).
MAX_REPEATED_REJECTIONS = 10
#: Assumed: how long an update waits for another update's UpdateLock, polling it.
LOCK_POLL_SECONDS = 5
LOCK_WAIT_SECONDS = 600
#: Assumed: how long a person takes in the service's page in interactive mode.
INTERACTIVE_SECONDS = 60
#: FIELD (published logs): QuickBooks takes about 8 s to fail to open a file in the background,
#: and connecting takes seconds more than the model's fixed start-up; each varies (seeded).
FAIL_SECONDS, FAIL_SPREAD = 8.0, 3.0
CONNECT_SPREAD = 0.25  # of the start-up time, either way
#: Reasons an interruption kills the Web Connector's process, leaving its locks set.
_PROCESS_ENDS = ("off", "logged out")


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

    def __init__(self, connector: WebConnector, app_name: str, trigger: str, person_present: bool) -> None:
        self.connector, self.app_name, self.trigger, self.person_present = connector, app_name, trigger, person_present
        self.world, self.host, self.log = connector.world, connector.host, connector.log
        self.env = self.world.env
        self.rp = self.host.quickbooks.request_processor
        self.app: RegisteredApp | None = None  # read in start(), the first state
        self.transport: Transport | None = None  # set in start()
        self.ticket = ""
        self.path = ""
        self.sdk = None  # the QuickBooks session, once connected
        self.app_locked = False  # this session holds the AppLock in the company file
        self.status = ""  # authenticate's [1], folded: "nvu", "none", "busy" or a path
        self.quiet_end = False  # QBWC1030: the session ends before anything else is written
        self.locked = False
        self.postpone = self.minimum = 0
        self.connection_retries = self.exchanges = self.noops = 0
        self.rejected = ""  # the last request QuickBooks rejected, while the service sends it again
        self.repeats = 0
        self.hcp = ""
        self.request = self.response = ""
        self.hresult = self.message = ""
        self.last_error_code = ""
        self.started_at: float | None = None
        self.options = AppOptions()
        self.ended_abruptly = False
        self.state = ""  # the state it is in (sim.webconnector.session_moments names them in Intuit's words)
        self.visits_for: dict[
            tuple[str, str], int
        ] = {}  # (state, request) -> visits, for moments naming a request (session_moments)

    def _started(self) -> None:
        """The update has begun: once it holds the UpdateLock, or when it fails before."""
        if self.started_at is None:
            self.started_at = self.world.seconds
            self.world.record(self.host.name, "update.started", app=self.app_name, trigger=self.trigger, source="PG")

    # --- running ------------------------------------------------------------------------------
    def run(self) -> Generator[Any, Any, UpdateResult]:
        outcome, code, message = "failed", "", ""
        process_ended = False
        running = self.world.update_sessions
        running.append(self)
        try:
            state: str | None = "start"
            visits: dict[str, int] = {}
            while state is not None:
                self.state = state
                visits[state] = visits.get(state, 0) + 1
                if self.world.session_watchers and session_moments.entered(self, state, visits[state]):
                    yield self.env.timeout(0)  # what waited for this moment happens first (it may stop the computer)
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
            process_ended = interrupt.cause.reason in _PROCESS_ENDS
            if interrupt.cause.reason == ENDED:
                # The Web Connector itself was ended mid-session: nothing of it runs on to end the session.
                process_ended, self.ended_abruptly, message = True, True, "Web Connector was ended in Task Manager"
        except GeneratorExit:
            # The simulation ended with this session under way and the session is being discarded:
            # nothing happens in the world any more (its fake disks may be gone already).
            outcome = "discarded"
            raise
        finally:
            running.remove(self)
            if outcome == "interrupted":
                self._abandon(process_ended)
            elif outcome != "discarded":
                self._release()
        self._started()
        self._log_end(outcome, code)
        started_at = cast(float, self.started_at)  # _started() just above set it
        result = UpdateResult(
            self.app_name,
            self.trigger,
            outcome,
            code,
            message,
            started_at,
            self.world.seconds,
            self.postpone,
            self.minimum,
        )
        ended = getattr(self.transport, "session_ended", None)
        if ended is not None:  # a real service's session record (sim.webconnector.service_endpoint)
            ended(result)
        details = {"app": self.app_name, "trigger": self.trigger, "outcome": outcome, "code": code or "-"}
        if outcome == "failed":
            details["reason"] = message[:140]
        self.world.record(
            self.host.name, "update.finished", source="PG" if outcome != "interrupted" else "assumed", **details
        )
        return result

    def call(self, method: str, **arguments: Any):
        """One callback through the transport; a failure there ends the session with that
        callback's QBWC code (the transport raises it, PG appendix A)."""
        failure: TransportError | None
        transport = self.transport
        assert transport is not None  # callbacks are made only after start() has set it
        try:
            result = transport.call(method, **arguments)
        except TransportError as error:
            # The log shows the exception's own text, not which call it came from (FIELD: published logs).
            text = error.message.removeprefix(f"{method}: ")
            if method == "authenticate":
                self.log.say(LINE.authenticate_failed, [text])
            elif method == "serverVersion":
                self.log.say(LINE.server_version_error, error=text)
            else:
                self.log.say(LINE.callback_failed, callback=method, code=error.code, message=error.message)
            failure = error
        else:
            failure = None
        # A real service's call takes the wall-clock time it took (the transport measured it); a
        # simulated one about CALL_SECONDS (varied, seeded).
        seconds = getattr(self.transport, "last_call_seconds", None)
        if failure is None or seconds is not None:
            yield self.env.timeout(self.world.varied(CALL_SECONDS, CALL_SPREAD) if seconds is None else seconds)
        if failure is not None:
            raise failure
        return result

    # --- the states ------------------------------------------------------------------------------
    def start(self):
        connector, log = self.connector, self.log
        if self.trigger == "scheduled":
            log.say(LINE.password_management_started)
        self.app = read_app(self.host, connector.user, self.app_name)
        if self.app is None:
            raise _Stop("failed", "QBWC1032", f"application {self.app_name!r} was not found in the registry")
        if self.trigger == "manual":
            log.say(LINE.manual_update_started, app=self.app_name)
        self.password = self._stored_password()
        self.options = connector.app_options(self.app.auth_flags, self.app.is_read_only, self.app.unattended_mode_pref)
        if self.trigger == "scheduled":
            log.say(LINE.password_management_ended)
            log.say(LINE.scheduled_update, app=self.app_name)
        yield from self._take_update_lock()
        log.say(LINE.instantiate)
        log.say(LINE.instantiate_name, app=self.app_name)
        log.say(LINE.instantiate_unique_name, app=self.app_name)
        log.say(LINE.instantiate_url, url=self.app.app_url)
        self.transport = connector.transport_for(self.app.app_url, self.app.style)
        opens = getattr(self.transport, "open_session", None)
        if opens is not None:  # a real service: this session's calls are recorded and timed
            self.transport = opens(self)
        return "server_version"

    def server_version(self):
        self.log.say(LINE.server_version_call)
        version = yield from self.call("serverVersion")
        self.log.say(LINE.server_version_answer, version=version)
        return "client_version"

    def client_version(self):
        log = self.log
        log.say(LINE.client_version_call, version=self.connector.version)
        answer = str((yield from self.call("clientVersion", strVersion=self.connector.version)) or "")
        log.say(LINE.client_version_answer, answer=answer)
        if answer.startswith("E:"):
            # PG: "E:" aborts the update with the service's message.
            log.say(LINE.client_version_error, message=answer[2:])
            raise _Stop("failed", "clientVersion", answer[2:] or answer)
        if answer.startswith("O:"):
            # PG ch.2: "O:" names the Web Connector version the service needs; the update stops.
            log.say(LINE.client_version_needs, version=answer[2:])
            raise _Stop("failed", "clientVersion", f"the web service needs Web Connector {answer[2:]} or later")
        if answer.startswith("W:"):
            log.say(LINE.client_version_warning, message=answer[2:])
        else:
            log.say(LINE.client_version_agrees)
        return "authenticate"

    def authenticate(self):
        log = self.log
        log.say(LINE.authenticating, app=self.app_name, user=self.app.user_name)
        log.say(LINE.authenticate_call, user=self.app.user_name)
        result = yield from self.call("authenticate", strUserName=self.app.user_name, strPassword=self.password)
        if isinstance(result, str) or not isinstance(result, (list, tuple)) or not result or len(result) > 4:
            problem = f"authenticate returned {result!r:.100}: expected an array of one to four strings"
            log.say(LINE.authenticate_failed, [problem])
            raise _Stop("failed", "QBWC1012", problem)
        answers = [("" if item is None else str(item)) for item in result] + ["", "", ""]
        self.ticket, status = answers[0], answers[1]
        self.postpone, self.minimum = _int(answers[2]), _int(answers[3])
        log.say(
            LINE.authenticate_answer,
            answers="".join(f'<authRet[{n}]="{value}">' for n, value in enumerate(answers[: len(result)])),
        )
        log.say(LINE.current_web_service_name, app=self.app_name)
        kind = self.status = status.casefold()
        log.say(LINE.current_session_ticket, ticket=self.ticket if kind not in ("nvu", "none") else "")
        if kind == "nvu":
            log.say(LINE.not_valid_user, app=self.app_name)
            stop = _Stop("failed", "QBWC1040", "the web service did not accept the user name or password (nvu)")
        elif kind == "none":
            log.say(LINE.no_data)
            stop = _Stop("no work")
        elif kind == "busy":
            log.say(LINE.busy)
            stop = _Stop("busy", "", "the web service is busy")
        else:
            stop = None
        if self.app.auto_run:
            # PG ch.10 (examples 4-6): [3] sets the minimum interval and [2] postpones the
            # update, whatever [1] says; both act only while Auto-Run is on.
            self._raise_every_min()
            if self.postpone > 0:
                local = self.world.now
                when = f"{local.month}/{local.day}/{local.year} {clock_time(local)}"
                log.say(LINE.postponed, local_time=when, app=self.app_name, seconds=self.postpone)
                log.say(LINE.authenticate_done)
                raise _Stop("postponed", "", f"postponed by the application for {self.postpone} seconds")
        if stop is not None:
            raise stop
        # "" means the file open in QuickBooks (PG ch.10; FIELD: it works only with QuickBooks open).
        self.path = status
        return "connect_to_quickbooks"

    def connect_to_quickbooks(self):
        log = self.log
        log.say(LINE.connecting)
        error = None
        for _ in range(TRIES_PER_CONNECTION):
            try:
                self.sdk = self.rp.begin_session(
                    self.app_name, self.app.owner_id, self.path, DONT_CARE, self.person_present, options=self.options
                )
                break
            except QuickBooksError as failure:
                error = failure
        if self.sdk is None:
            yield self.env.timeout(self.world.varied(FAIL_SECONDS, FAIL_SPREAD))
            self.hresult, self.message = error.code, error.message
            log.say(LINE.connect_failed, [f"HRESULT = {error.code}", f"Message: {error.message}"])
            return "connection_error"
        yield self.env.timeout(self.world.varied(self.sdk.open_seconds, self.sdk.open_seconds * CONNECT_SPREAD))
        log.say(LINE.connected)
        return "take_app_lock"

    def take_app_lock(self):
        """The AppLock in the company file (sim.webconnector.company_file_lock): read it, then
        set it. (No published log shows this side; the lines are those of its release.)"""
        log, sdk = self.log, self.sdk
        self._read_app_lock(sdk)
        try:
            taken, value = company_file_lock.try_lock(self.world, sdk, self.host.name)
        except FileInUseError as error:
            taken, value = False, str(error)
        if not taken:
            log.say(LINE.lock_held, lock=value)
            self.last_error_code, self.message = "AppLock", f"the company file's AppLock is held ({value})"
            return "close"
        self.app_locked = True
        self._wrote_app_lock(sdk, value)
        # The first sendRequestXML's HCP answer, read with the lock set (FIELD: the qbwc gem's
        # strHCPResponse carries LOCKED:<host>:<ticks>).
        self.hcp = self.rp.host_company_preferences(sdk)
        yield from ()
        return "send_request"

    def connection_error(self):
        log = self.log
        log.say(LINE.connection_error_call, ticket=self.ticket, hresult=self.hresult, message=self.message)
        reply = str(
            (yield from self.call("connectionError", ticket=self.ticket, hresult=self.hresult, message=self.message))
            or ""
        )
        log.say(LINE.connection_error_answer, answer=reply)
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
        log = self.log
        major, minor = newest_qbxml(self.host.quickbooks.year)
        log.say(LINE.asking_for_request, number=self.exchanges)
        log.say(LINE.send_request_call)
        for parameter in (f'wcTicket="{self.ticket}"', "HCPResponseXML="):
            log.say(LINE.send_request_parameter, parameter=parameter)
        if self.hcp:
            log.dump(LINE.send_request_dump, self.hcp)
        else:
            log.say(LINE.send_request_parameter, parameter="")
        for parameter in (
            f'cfn="{self.sdk.path}"',
            'qbNationality="US"',
            f'qbXMLMajorVers="{major}"',
            f'qbXMLMinorVers="{minor}"',
        ):
            log.say(LINE.send_request_parameter, parameter=parameter)
        request = yield from self.call(
            "sendRequestXML",
            ticket=self.ticket,
            strHCPResponse=self.hcp,
            strCompanyFileName=self.sdk.path,
            qbXMLCountry="US",
            qbXMLMajorVers=major,
            qbXMLMinorVers=minor,
        )
        self.hcp = ""
        self.request = "" if request is None else request if isinstance(request, str) else str(request)
        log.say(LINE.send_request_answer)
        log.say(LINE.send_request_parameter, parameter="strRequestXML =")
        if not self.request:
            return "get_last_error"
        log.dump(LINE.send_request_dump, self.request)
        log.say(LINE.request_received)
        if self.rejected and self.request == self.rejected:
            self.repeats += 1
            if self.repeats >= MAX_REPEATED_REJECTIONS:
                self.last_error_code = "assumed-limit"
                self.message = f"the service sent a request QuickBooks had rejected {self.repeats} more times in a row"
                self.world.record(
                    self.host.name, "update.repeats_stopped", source="assumed", app=self.app_name, repeats=self.repeats
                )
                return "close"
        else:
            self.rejected, self.repeats = "", 0
        return "process_request"

    def process_request(self):
        log = self.log
        log.say(LINE.processing_request, number=self.exchanges)
        log.say(LINE.request_size, size=len(self.request.encode("utf-8")))
        log.say(LINE.sending_to_quickbooks)
        try:
            self.response, seconds = self.rp.process(self.sdk, self.request)
            self.hresult = self.message = ""
            log.say(LINE.response_size, size=len(self.response.encode("utf-8")))
            log.say(LINE.sending_response)
        except QuickBooksError as error:
            self.response, seconds, self.hresult, self.message = "", 0.0, error.code, error.message
            log.say(LINE.sending_error, [f"HRESULT = {error.code}", f"Message: {error.message}"])
        if self.hresult or 'statusSeverity="Error"' in self.response:
            self.rejected = self.request  # (QuickBooks' own answers: the attribute is written so)
        processed = getattr(self.transport, "processed", None)
        if processed is not None:  # a real service's session record keeps what QuickBooks did
            processed(self.request, self.response, self.hresult, self.message)
        yield self.env.timeout(seconds * self.host.quickbooks.slowdown_factor())
        return "receive_response"

    def receive_response(self):
        log = self.log
        log.say(LINE.receive_response_call)
        log.say(LINE.receive_response_parameter, parameter=f'wcTicket="{self.ticket}"')
        log.say(LINE.receive_response_parameter, parameter="response =")
        log.dump(LINE.receive_response_dump, self.response)
        log.say(LINE.receive_response_parameter, parameter=f'hresult="{self.hresult}"')
        log.say(LINE.receive_response_parameter, parameter=f'message="{self.message}"')
        percent = _int(
            (
                yield from self.call(
                    "receiveResponseXML",
                    ticket=self.ticket,
                    response=self.response,
                    hresult=self.hresult,
                    message=self.message,
                )
            )
        )
        log.say(LINE.receive_response_answer)
        log.say(LINE.more, percent=percent)
        if percent < 0:
            self.last_error_code = self.hresult or "receiveResponseXML"
            return "get_last_error"
        if percent >= 100:
            log.say(LINE.no_more)
            return "close"
        log.say(LINE.more_to_process)
        return "send_request"

    def get_last_error(self):
        log = self.log
        log.say(LINE.get_last_error_call, ticket=self.ticket)
        text = str((yield from self.call("getLastError", ticket=self.ticket)) or "")
        log.say(LINE.get_last_error_answer, text=text)
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
        log = self.log
        log.say(LINE.interactive_url_call, ticket=self.ticket)
        url = str((yield from self.call("getInteractiveURL", wcTicket=self.ticket, sessionID=self.ticket)) or "")
        log.say(LINE.interactive_url_answer, url=url)
        if url and self.person_present:
            self.world.record(self.host.name, "qbwc.interactive_page", source="PG", app=self.app_name, url=url[:200])
            yield self.env.timeout(INTERACTIVE_SECONDS)
            answer = str((yield from self.call("interactiveDone", wcTicket=self.ticket)) or "")
            log.say(LINE.interactive_done, answer=answer)
            return "send_request"
        reason = (
            "no user is present to complete the interactive session"
            if url
            else "the application gave no interactive URL"
        )
        answer = str((yield from self.call("interactiveRejected", wcTicket=self.ticket, reason=reason)) or "")
        log.say(LINE.interactive_rejected, answer=answer)
        self.last_error_code, self.message = "interactive", reason
        return "close"

    def close(self):
        """QuickBooks first, then closeConnection (FIELD: published logs end a session so)."""
        self._disconnect_quickbooks()
        log = self.log
        log.say(LINE.close_call, ticket=self.ticket)
        text = yield from self.call("closeConnection", ticket=self.ticket)
        log.say(LINE.close_answer, answer=text)
        log.say(LINE.close_called)
        log.say(LINE.close_response, answer=text)
        if self.last_error_code:
            raise _Stop("failed", self.last_error_code, self.message)
        return None

    def _stored_password(self) -> str:
        """The password Web Connector keeps for the application (PG: QBWC1030 when there is
        none; QBWC1029 when it cannot be decrypted)."""
        log, connector = self.log, self.connector
        app = cast(RegisteredApp, self.app)  # start() reads the application before asking for its password
        stored = self.host.registry.get_value(app.key, "Password", default="", user=connector.user)
        if not stored:
            # FIELD (SHAPES.md section 7): nothing else is written, no UpdateLock, no call.
            self.quiet_end = True
            if self.trigger == "scheduled":
                log.say(LINE.no_password, app=self.app_name)
                log.say(LINE.password_management_ended)
            else:
                log.say(LINE.enter_password)
            raise _Stop("failed", "QBWC1030", "no password has been set for this application")
        try:
            return reveal(str(stored))
        except ValueError:  # base64 or UTF-8 decoding: the key that encrypted it is gone
            log.say(
                LINE.password_undecryptable if self.trigger == "scheduled" else LINE.password_undecryptable_manual,
                app=self.app_name,
            )
            raise _Stop("failed", "QBWC1029", "the stored password cannot be decrypted (QBWC's key is lost)") from None

    # --- around the states ----------------------------------------------------------------------
    def _take_update_lock(self):
        """The global UpdateLock: one update at a time for this Windows user; another one
        waits for it (assumed: polling), and gives up if it never comes free."""
        waited = 0
        while self.connector.update_lock:
            self.log.say(LINE.update_lock_read, value="TRUE")
            if waited == 0:
                self.world.record(self.host.name, "update.waiting_for_lock", source="FIELD", app=self.app_name)
            if waited >= LOCK_WAIT_SECONDS:
                raise _Stop("busy", UPDATE_LOCK, "another update holds the Web Connector's UpdateLock")
            yield self.env.timeout(LOCK_POLL_SECONDS)
            waited += LOCK_POLL_SECONDS
        self.log.say(LINE.update_lock_read, value="FALSE")
        self.connector.set_update_lock(True)
        self.locked = True
        self._started()

    def _qbxml_version(self) -> str:
        major, minor = newest_qbxml(self.host.quickbooks.year)
        return f"{major}.{minor}"

    def _read_app_lock(self, sdk: Any) -> str:
        """Send_CompanyQueryRqXML: the AppLock as the company file holds it, the query and answer dumped."""
        held = company_file_lock.read_lock(sdk)
        self.log.dump(LINE.company_query_dump, own_qbxml.company_query(sdk.owner_id, self._qbxml_version()))
        self.log.dump(LINE.company_query_dump, own_qbxml.company_answer(sdk))
        return held

    def _wrote_app_lock(self, sdk: Any, value: str) -> None:
        """Send_DataExtModRqXML: the request that set the AppLock to `value`, and QuickBooks' answer."""
        self.log.dump(LINE.data_ext_mod_dump, own_qbxml.data_ext_mod(sdk.owner_id, value, self._qbxml_version()))
        self.log.dump(LINE.data_ext_mod_dump, own_qbxml.data_ext_mod_answer(sdk.owner_id, value))

    def _raise_every_min(self) -> None:
        """authenticate [3]: the service asks for at least this many seconds between runs."""
        app = cast(RegisteredApp, self.app)  # authenticate runs after start() read the application
        if self.minimum > app.every_seconds:
            registry, user = self.host.registry, self.connector.user
            registry.set_value(app.key, "Every_Sec", self.minimum, user=user)
            registry.set_value(app.key, "Every_Min", -(-self.minimum // 60), user=user)
            self.world.record(
                self.host.name, "qbwc.every_min_raised", source="PG", app=self.app_name, seconds=self.minimum
            )

    def _disconnect_quickbooks(self) -> None:
        """Clear the AppLock, end the QuickBooks session and disconnect."""
        if self.sdk is None:
            return
        sdk, log = self.sdk, self.log
        self.sdk = None
        if self.app_locked:
            # FIELD (SHAPES.md section 10): read the lock, say it is got, set it unlocked.
            self.app_locked = False
            log.say(LINE.got_lock, lock=self._read_app_lock(sdk))
            try:
                self._wrote_app_lock(sdk, company_file_lock.unset_lock(self.world, sdk, self.host.name))
                log.say(LINE.lock_unset, owner_id=sdk.owner_id)
            except FileInUseError:
                pass  # the lock stays set in the file, as after a session that died
            log.say(LINE.company_unlocked)
        self.rp.end_session(sdk)
        log.say(LINE.ending_session)
        log.say(LINE.disconnected)

    def _release(self) -> None:
        self._disconnect_quickbooks()
        if self.locked:
            self.locked = False
            self.connector.set_update_lock(False)

    def _abandon(self, process_ended: bool) -> None:
        """The computer stopped mid-session: nothing more is logged. QuickBooks' session is gone
        with it, but the AppLock stays set in the company file; the UpdateLock stays set in the
        registry when the Web Connector's process died with the computer (its next start resets
        it, FIELD: the start-up block), and is released when the process lives on (asleep; assumed)."""
        if self.sdk is not None:
            # Killed, the program leaves the QuickBooks it started running (FIELD: vendors' notes).
            (self.rp.abandon if self.ended_abruptly else self.rp.end_session)(self.sdk)
            self.sdk = None
        if self.locked and not process_ended:
            self.locked = False
            self.connector.set_update_lock(False, logged=False)

    def _log_end(self, outcome: str, code: str) -> None:
        """The lines after the UpdateLock is released (FIELD: SHAPES.md sections 6, 7, 11): a
        session that reached closeConnection says "update completed."; a scheduled run that
        did not succeed writes DoUpdate's line, then QBWC1031 (after "none" too, and after a
        postponement); a manual run writes Update Selected's lines."""
        log = self.log
        if outcome == "interrupted" or self.quiet_end:
            if self.quiet_end and self.trigger == "manual":
                log.say(LINE.manual_completed_with_errors)
            return
        if outcome == "postponed" and self.status not in ("nvu", "none"):
            return  # (assumed: no published log shows a postponement with work to do)
        if outcome == "succeeded":
            log.say(LINE.update_completed)
        if self.trigger == "scheduled":
            if outcome == "succeeded":
                return
            if self.status == "none":
                log.say(LINE.no_data_for_application, app=self.app_name)
            else:
                log.say(LINE.completed_with_errors)
            log.say(LINE.some_error)
            return
        if outcome in ("succeeded", "no work"):
            log.say(LINE.manual_completed, app=self.app_name)
        else:
            log.say(LINE.manual_completed_with_errors)
        log.say(LINE.update_session_ended)


def run_update(
    connector: WebConnector, app_name: str, trigger: str, person_present: bool
) -> Generator[Any, Any, UpdateResult]:
    """The update session as a generator for `Host.spawn`; its value is an `UpdateResult`."""
    return UpdateSession(connector, app_name, trigger, person_present).run()
