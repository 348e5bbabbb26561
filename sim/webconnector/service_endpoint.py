"""A real QBWC web service in the simulated office, and a record of every session it took part in.

`RealService` stands where the simulated STRATAFOLIO stands for the integrations bound to it: it is
registered in the world's `web_services` under the AppURL of their QWC files, so every update the
simulated Web Connector runs for such an application (manual, scheduled, the first one at linking)
opens a `ServiceSession` on it, and that session's calls go through the real transport (HTTP, or a
service's SOAP dispatch in this process). The session
  - applies on the wire what the office does to the service's side (the scenario's dropped
    connection in a named callback, a certificate the Web Connector cannot verify); such a failure is
    marked as the office's doing, not the service's;
  - times each call by the wall clock, so the simulated clock advances by what the call really took
    (`wall_clock=False` keeps the assumed CALL_SECONDS, for a service in this process whose runs
    must stay deterministic);
  - keeps a compact record: each callback with its answer (one line) or its failure, how often each
    was made, what QuickBooks did with each qbXML exchange (the adds it accepted, with the record's
    identity and QuickBooks' id; the requests it rejected, and how often the same one came back).
The after-run checks (sim.service_checks) read only these records. What is kept is bounded: at
most MAX_CALLS_KEPT calls per session are kept in full, and as many of those the checks judge
(failures, connectionError, getLastError, closeConnection): the rest are counted; a finished session
keeps only the calls the checks judge (failures, connectionError, getLastError, closeConnection), and
text from the service is cut to one short line.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sim.text import one_line
from sim.webconnector.contract import CALLBACK_ERRORS, TransportError

if TYPE_CHECKING:
    from sim.parts import World
    from sim.webconnector.update_session import UpdateResult, UpdateSession

__all__ = ["RealService", "ServiceSession", "SessionRecord", "CallRecord", "Write", "Rejection", "MAX_CALLS_KEPT"]

#: Calls kept in full per session; past it they are only counted (a session may make 20,000).
MAX_CALLS_KEPT = 400
#: Characters of an answer kept in a record.
ANSWER_CHARS = 160
FULL_ANSWER_CHARS = 1_000
_ID_FIELDS = ("TxnID", "ListID")
#: The calls a finished session's record keeps (with every failed one): those the checks judge.
_KEPT_AFTER_THE_END = ("connectionError", "getLastError", "closeConnection")
#: The wall clock a real service's calls are timed by (the one clock a simulation reads, and only here).
_wall = time.perf_counter


@dataclass(frozen=True)
class CallRecord:
    method: str
    answer: str  # the service's answer, on one short line; or the failure's message
    seconds: float  # wall-clock seconds the call took
    failure: str = ""  # the QBWC code the call failed with
    cause: str = ""  # whose doing a failure was: "service" or "office" (the scenario's fault on the wire)


@dataclass(frozen=True)
class Write:
    """A record QuickBooks added at the service's request."""

    request: str  # e.g. "InvoiceAddRq"
    identity: str  # what makes it the same record when sent again, e.g. "RefNumber=SF-00001"
    quickbooks_id: str  # the TxnID or ListID QuickBooks gave it
    exchange: int  # which exchange of the session


@dataclass
class Rejection:
    """A request QuickBooks rejected, and how often the service sent it again right after."""

    request: str  # name and identity, e.g. "InvoiceAddRq RefNumber=SF-00001"
    status: str  # e.g. "3260: Insufficient permission level to perform this action."
    exchange: int
    sent_again: int = 0


@dataclass
class SessionRecord:
    """One update session that went to a real service."""

    number: int
    url: str
    host: str
    app: str
    trigger: str
    started: float  # simulated seconds
    ended: float = 0.0
    outcome: str = ""
    code: str = ""
    message: str = ""
    status: str = ""  # authenticate's [1], folded to lower case ("nvu", "none", a path, "")
    postponed: bool = False
    calls: list[CallRecord] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    noops: int = 0
    wall_seconds: float = 0.0
    writes: list[Write] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    exchanges: int = 0
    last_method: str = ""  # the last callback made

    def reached(self, method: str) -> bool:
        return self.counts.get(method, 0) > 0

    def describe(self) -> str:
        """`#3 (scheduled, 'STRATAFOLIO - Acme' on FILESRV)`: how reports name a session."""
        return f"#{self.number} ({self.trigger}, {self.app!r} on {self.host})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "url": self.url,
            "host": self.host,
            "app": self.app,
            "trigger": self.trigger,
            "started": round(self.started, 3),
            "ended": round(self.ended, 3),
            "outcome": self.outcome,
            "code": self.code,
            "message": self.message,
            "calls": sum(self.counts.values()),
            "wall_ms": round(self.wall_seconds * 1000, 1),
            "last_call": self.last_method,
            "writes": len(self.writes),
        }


class RealService:
    """A real web service at `url`, reached through `transport` (sim.webconnector.http_transport's
    HttpTransport, or a SoapInProcessTransport / InProcessTransport for a service in this process)."""

    def __init__(self, world: World, url: str, transport: Any, wall_clock: bool = True) -> None:
        self.world, self.url, self.transport, self.wall_clock = world, url, transport, wall_clock
        self.sessions: list[SessionRecord] = []

    def register(self, url: str | None = None) -> None:
        """Stand in for whatever service the world had at `url` (default: this one's)."""
        self.world.web_services[url or self.url] = self

    def open_session(self, update: UpdateSession) -> ServiceSession:
        record = SessionRecord(
            len(self.sessions) + 1, self.url, update.host.name, update.app_name, update.trigger, self.world.seconds
        )
        self.sessions.append(record)
        return ServiceSession(self, record, getattr(update.app, "style", "Document"))

    def call(self, method: str, **arguments: Any) -> Any:
        """One call outside any update session (what a stale QWC's authenticate would send)."""
        return ServiceSession(self, None, "Document").call(method, **arguments)

    def close(self) -> None:
        closing = getattr(self.transport, "close", None)
        if closing is not None:
            closing()


class ServiceSession:
    """The transport one update session talks to: the real one, timed, faulted and recorded."""

    def __init__(self, service: RealService, record: SessionRecord | None, style: str) -> None:
        self.service, self.record, self.style = service, record, style
        self.deadline: float | None = None  # the HTTP transport's budget, per session
        self.last_call_seconds: float | None = None if not service.wall_clock else 0.0
        self._repeat: Rejection | None = None  # the rejected request the service may be sending again
        self._repeat_digest = ""
        self._seconds = 0.0
        self._kept = [0, 0]  # calls kept in full: [others, those the checks judge]

    # --- the calls ------------------------------------------------------------------------------
    def call(self, method: str, **arguments: Any) -> Any:
        code = CALLBACK_ERRORS.get(method, "QBWC1041")
        fault = self._office_fault(method)
        if fault:
            code = "QBWC1048" if "certificate" in fault else code
            self._note(method, fault, 0.0, code, "office")
            raise TransportError(code, fault)
        inner = self.service.transport
        if hasattr(inner, "deadline"):
            inner.deadline = self.deadline
        if hasattr(inner, "style"):
            inner.style = self.style
        started = _wall()
        try:
            result = inner.call(method, **arguments)
        except TransportError as error:
            self._after(inner, started)
            self._note(method, error.message, self._seconds, error.code, "service")
            raise
        self._after(inner, started)
        self._note(method, _shown(result), self._seconds)
        if self.record is not None:
            self._answered(method, result)
        return result

    def _after(self, inner: Any, started: float) -> None:
        self._seconds = _wall() - started
        if self.service.wall_clock:
            self.last_call_seconds = self._seconds
        if hasattr(inner, "deadline"):
            self.deadline = inner.deadline

    def _office_fault(self, method: str) -> str:
        """What the office's scenario does to the service's side, applied on the wire (the simulated
        STRATAFOLIO holds that state: `service_certificate`, `service_drops_connection`)."""
        side = self.service.world.stratafolio
        if getattr(side, "certificate", "valid") != "valid" and self.service.url.startswith("https://"):
            return f"{method}: the certificate of {self.service.url} could not be verified ({side.certificate})"
        if method in getattr(side, "drops_connection_during", ()):
            # FIELD (consolibyte/quickbooks-php#240): the connection closes mid-call; the call never arrives.
            return f"{method}: The underlying connection was closed: An unexpected error occurred on a receive."
        return ""

    def _note(self, method: str, answer: str, seconds: float, failure: str = "", cause: str = "") -> None:
        record = self.record
        if record is None:
            return
        record.counts[method] = record.counts.get(method, 0) + 1
        record.last_method = method
        record.wall_seconds += seconds
        # The calls the checks judge have room of their own, so a long session cannot crowd them out.
        judged = bool(failure) or method in _KEPT_AFTER_THE_END
        if self._kept[judged] < MAX_CALLS_KEPT:
            self._kept[judged] += 1
            # The answers the PG gives a meaning to are kept whole enough to judge (a company file's path).
            limit = FULL_ANSWER_CHARS if method in ("connectionError", "getLastError") else ANSWER_CHARS
            record.calls.append(CallRecord(method, one_line(answer, limit), seconds, failure, cause))

    def _answered(self, method: str, result: Any) -> None:
        record = cast(SessionRecord, self.record)  # call() asks only while a record is kept
        if method == "authenticate" and isinstance(result, (list, tuple)) and len(result) > 1:
            record.status = one_line(str(result[1] or ""), ANSWER_CHARS).casefold()
            record.postponed = len(result) > 2 and _number(result[2]) > 0
        elif method == "getLastError" and str(result or "") == "NoOp":
            record.noops += 1
        elif method == "sendRequestXML":
            record.exchanges += 1
            if self._repeat is not None and _digest(str(result or "")) == self._repeat_digest:
                self._repeat.sent_again += 1  # counted when sent: the session may stop it before QuickBooks sees it
            elif result:
                self._repeat = None

    # --- what QuickBooks did (called by the update session) ------------------------------------
    def processed(self, request: str, response: str, hresult: str, message: str) -> None:
        record = self.record
        if record is None:
            return
        number = record.exchanges
        if not (hresult or "AddRq" in request or 'statusSeverity="Error"' in response):
            return  # a query answered: nothing to keep
        from sim.quickbooks.qbxml import QbxmlError, parse_request, parse_response

        try:
            requests, _ = parse_request(request)
        except QbxmlError:
            requests = []
        if hresult:
            status = f"{hresult}: {message}"
            self._rejected(_describe(requests[0]) if requests else "unreadable qbXML", status, number, request)
            return
        try:
            answers = parse_response(response)
        except QbxmlError:
            return
        rejected = False
        for sent, answer in zip(requests, answers, strict=False):
            if not answer.ok:
                if not rejected:  # the first refusal names the message; under continueOnError QuickBooks goes on
                    self._rejected(_describe(sent), f"{answer.status_code}: {answer.status_message}", number, request)
                    rejected = True
                continue
            if sent.is_add and answer.records:
                found = answer.records[0]
                ids = next((found[name] for name in _ID_FIELDS if found.get(name)), "")
                record.writes.append(Write(sent.name, _identity(sent), ids, number))

    def _rejected(self, request: str, status: str, number: int, text: str) -> None:
        if self._repeat is not None and self._repeat_digest == _digest(text):
            return  # the same request again: counted in sent_again
        rejection = Rejection(request, one_line(status, ANSWER_CHARS), number)
        record = cast(SessionRecord, self.record)  # processed() asks only while a record is kept
        if len(record.rejections) < MAX_CALLS_KEPT:
            record.rejections.append(rejection)
        self._repeat, self._repeat_digest = rejection, _digest(text)

    def session_ended(self, result: UpdateResult) -> None:
        record = self.record
        if record is None:
            return
        record.ended, record.outcome, record.code, record.message = (
            result.ended,
            result.outcome,
            result.code,
            one_line(result.message, 300),
        )
        # What the checks read stays; the rest of a finished session is counted only (a week is thousands).
        record.calls = [call for call in record.calls if call.failure or call.method in _KEPT_AFTER_THE_END]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).hexdigest()


def _number(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


def _identity(request) -> str:
    """What makes a record the same record when its add is sent again: its RefNumber (transactions)
    or Name (list items); otherwise every field it was sent with."""
    for name in ("RefNumber", "Name", "FullName"):
        if request.fields.get(name):
            return one_line(f"{name}={request.fields[name]}", 200)
    return one_line(", ".join(f"{key}={value}" for key, value in sorted(request.fields.items())), 200) or "(no fields)"


def _describe(request) -> str:
    return f"{request.name} {_identity(request)}" if request.fields else request.name


def _shown(result: Any) -> str:
    if isinstance(result, (list, tuple)):
        return "[" + ", ".join(repr(str(item))[:60] for item in result[:5]) + "]"
    return str(result)
