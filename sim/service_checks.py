"""What a QBWC web service must get right, checked after a run against the sessions it took part in.

Each check reads the records a real service's sessions left (sim.webconnector.service_endpoint) and,
for the last one, the scenario's timeline; none reads the simulation's own STRATAFOLIO. A finding
names the session (`#4`, its trigger, application and computer) and the records involved.

The checks, by id: what the service must do (source).
- no-duplicate-writes: never have QuickBooks add the same record twice (an add sent again after an
  interrupted or failed session). PG (the service is told to keep its own state across sessions);
  identity by RefNumber or Name, assumed.
- no-repeated-rejections: not send a request QuickBooks rejected again and again in one session.
  Assumed: more than RETRIES_TOLERATED times in a row.
- connection-error-answers: answer connectionError with "done" or the company file to try ("" for
  the open one). PG.
- last-error-answers: answer getLastError with the message the Web Connector shows (or NoOp,
  Interactive mode), never nothing. PG.
- within-bounds: never keep a session going past the Web Connector's bounds (exchanges, NoOps,
  connectionError retries, repeated rejections, postponements). The bounds are assumed
  (sim.webconnector.update_session).
- close-connection-reached: let every session it gave a ticket to reach closeConnection, unless the
  office cut it off. PG (the call order).
- sync-after-recovery: accept the sync that follows the article's recovery steps (a fresh authorized
  computer and QWC file). ART.

Each result is "holds", "violated" (with its findings) or "not checked" (with why: no session went to
a real service, no recovery steps in the run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.text import one_line
from sim.webconnector.connector import MAX_POSTPONES
from sim.webconnector.service_endpoint import SessionRecord
from sim.webconnector.update_session import MAX_CONNECTION_RETRIES, MAX_EXCHANGES, MAX_NOOPS, MAX_REPEATED_REJECTIONS

if TYPE_CHECKING:
    from sim.parts import ScenarioRun

__all__ = ["CHECKS", "CheckResult", "check_service", "RETRIES_TOLERATED", "RECOVERY_ACTIONS"]

#: A service may try a rejected request again this many times in a row (a transient "in use", say);
#: more is a loop (assumed).
RETRIES_TOLERATED = 2
#: The timeline actions that complete the article's recovery steps (re-adding the QWC, its password).
RECOVERY_ACTIONS = ("add_qwc", "set_password")
#: Findings listed per check; the count says how many there were.
MAX_FINDINGS = 20

CHECKS: dict[str, str] = {
    "no-duplicate-writes": "no record written to QuickBooks twice",
    "no-repeated-rejections": "no request sent again and again after QuickBooks rejected it",
    "connection-error-answers": 'connectionError answered as the PG says ("done", or a company file to try)',
    "last-error-answers": "getLastError answered as the PG says (a message, NoOp or Interactive mode)",
    "within-bounds": "no session asked for more than the Web Connector's bounds allow",
    "close-connection-reached": "every session with a ticket reached closeConnection",
    "sync-after-recovery": "sync worked again after the article's recovery steps",
}


@dataclass
class CheckResult:
    id: str
    status: str  # "holds", "violated" or "not checked"
    findings: list[str] = field(default_factory=list)
    note: str = ""
    found: int = 0  # findings in all (only the first MAX_FINDINGS are listed)

    @property
    def title(self) -> str:
        return CHECKS[self.id]

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.id,
            "title": self.title,
            "status": self.status,
            "findings": self.findings,
            "found": self.found,
            "note": self.note,
        }


def _result(check: str, findings: list[str], note: str = "") -> CheckResult:
    return CheckResult(check, "violated" if findings else "holds", findings[:MAX_FINDINGS], note, len(findings))


def check_service(sessions: list[SessionRecord], run: ScenarioRun | None = None) -> list[CheckResult]:
    """Every check over the sessions (in the order they started); `run` gives the timeline the
    recovery check needs."""
    if not sessions:
        return [CheckResult(check, "not checked", note="no session went to a real service") for check in CHECKS]
    results = [
        no_duplicate_writes(sessions),
        no_repeated_rejections(sessions),
        connection_error_answers(sessions),
        last_error_answers(sessions),
        within_bounds(sessions),
        close_connection_reached(sessions),
    ]
    results.append(
        sync_after_recovery(sessions, run)
        if run is not None
        else CheckResult("sync-after-recovery", "not checked", note="no scenario timeline")
    )
    return results


def _ended(session: SessionRecord) -> str:
    return f"{session.outcome} {session.code}".strip() if session.outcome else "unfinished"


# --- the checks ------------------------------------------------------------------------------------
def no_duplicate_writes(sessions: list[SessionRecord]) -> CheckResult:
    """Every record QuickBooks added at the service's request, by its identity, per application."""
    written: dict[tuple[str, str, str], list[tuple[SessionRecord, str]]] = {}
    for session in sessions:
        for write in session.writes:
            written.setdefault((session.app, write.request, write.identity), []).append((session, write.quickbooks_id))
    findings = []
    for (_app, request, identity), copies in written.items():
        if len(copies) > 1:
            where = ", ".join(
                f"session {s.describe()} (id {qb_id}; the session ended {_ended(s)})" for s, qb_id in copies[:6]
            )
            findings.append(f"{request} {identity} was written {len(copies)} times to QuickBooks: {where}")
    return _result("no-duplicate-writes", findings)


def no_repeated_rejections(sessions: list[SessionRecord]) -> CheckResult:
    findings = []
    for session in sessions:
        for rejection in session.rejections:
            if rejection.sent_again > RETRIES_TOLERATED:
                stopped = (
                    " (the Web Connector's bound ended the session)"
                    if rejection.sent_again >= MAX_REPEATED_REJECTIONS
                    else ""
                )
                findings.append(
                    f"session {session.describe()}: {rejection.request} was rejected by QuickBooks "
                    f"({rejection.status}) and sent again {rejection.sent_again} times in a "
                    f"row{stopped}"
                )
    return _result(
        "no-repeated-rejections",
        findings,
        f"a retry or {RETRIES_TOLERATED} of a rejected request is tolerated (assumed)",
    )


def _answers(session: SessionRecord, method: str) -> Iterable[str]:
    return (call.answer for call in session.calls if call.method == method and not call.failure)


def connection_error_answers(sessions: list[SessionRecord]) -> CheckResult:
    """PG (DOMAIN.md section 3): "done" stops; anything else is a company file to try, "" the open one."""
    findings, asked = [], 0
    for session in sessions:
        for answer in _answers(session, "connectionError"):
            asked += 1
            text = answer.strip()
            if text.casefold() != "done" and text and not text.casefold().endswith(".qbw"):
                findings.append(
                    f"session {session.describe()}: connectionError answered {text[:80]!r}: the PG "
                    'allows "done", or the path of a company file to try ("" for the open one)'
                )
    if not asked and not findings:
        return CheckResult(
            "connection-error-answers",
            "not checked",
            note="QuickBooks never failed to connect, so connectionError was never called",
        )
    return _result("connection-error-answers", findings)


def last_error_answers(sessions: list[SessionRecord]) -> CheckResult:
    """PG (DOMAIN.md section 3): the message the Web Connector logs and shows; "NoOp"; "Interactive mode"."""
    findings, asked = [], 0
    for session in sessions:
        for answer in _answers(session, "getLastError"):
            asked += 1
            if not answer.strip():
                findings.append(
                    f"session {session.describe()}: getLastError answered nothing: the PG has it give "
                    "the message the Web Connector logs and shows (or NoOp, or Interactive mode)"
                )
    if not asked:
        return CheckResult(
            "last-error-answers", "not checked", note="no session ended with an error the service was asked about"
        )
    return _result("last-error-answers", findings)


def within_bounds(sessions: list[SessionRecord]) -> CheckResult:
    findings = []
    postponed: dict[tuple[str, str], int] = {}
    for session in sessions:
        name = f"session {session.describe()}"
        if session.exchanges >= MAX_EXCHANGES:
            findings.append(
                f"{name}: {session.exchanges} sendRequestXML calls, the bound of {MAX_EXCHANGES:,} "
                "(assumed): the service never let the session end"
            )
        if session.noops >= MAX_NOOPS:
            findings.append(
                f"{name}: getLastError answered NoOp {session.noops} times, the bound of {MAX_NOOPS} (assumed)"
            )
        retries = session.counts.get("connectionError", 0)
        if retries > MAX_CONNECTION_RETRIES:
            findings.append(
                f'{name}: connectionError {retries} times without "done", past the bound of '
                f"{MAX_CONNECTION_RETRIES} retries (assumed; the PG advises a couple)"
            )
        for rejection in session.rejections:
            if rejection.sent_again >= MAX_REPEATED_REJECTIONS:
                findings.append(
                    f"{name}: {rejection.request} sent again {rejection.sent_again} times after "
                    f"QuickBooks rejected it, the bound of {MAX_REPEATED_REJECTIONS} (assumed)"
                )
        key = (session.host, session.app)
        postponed[key] = postponed.get(key, 0) + 1 if session.postponed else 0
        if postponed[key] == MAX_POSTPONES + 1:
            findings.append(
                f"{name}: the update was postponed {MAX_POSTPONES + 1} times in a row by "
                f"authenticate [2], the bound of {MAX_POSTPONES} resumptions (assumed)"
            )
    return _result("within-bounds", findings)


def close_connection_reached(sessions: list[SessionRecord]) -> CheckResult:
    findings, excused = [], 0
    for session in sessions:
        ticketed = (
            session.reached("authenticate") and session.status not in ("nvu", "none", "busy") and not session.postponed
        )
        if not ticketed or session.outcome == "interrupted":
            excused += ticketed
            continue
        closing = [c for c in session.calls if c.method == "closeConnection"]
        if closing and not closing[-1].failure:
            continue
        failed = next((c for c in reversed(session.calls) if c.failure), None)
        if failed is not None and failed.cause == "office":
            excused += 1  # the scenario cut the connection: not the service's doing
            continue
        if failed is not None:
            findings.append(
                f"session {session.describe()}: the service failed in {failed.method} "
                f"({failed.failure}: {one_line(failed.answer, 120)}), so closeConnection was never "
                "reached"
            )
        else:
            findings.append(f"session {session.describe()}: ended {_ended(session)} without closeConnection")
    return _result(
        "close-connection-reached",
        findings,
        f"{excused} sessions the office interrupted are not counted" if excused else "",
    )


def sync_after_recovery(sessions: list[SessionRecord], run: ScenarioRun) -> CheckResult:
    """After the last recovery step of an integration in a real service, some sync of it succeeded."""
    findings, checked = [], []
    trace = run.world.trace
    failed_at = {(e.seconds, e.get("action")) for e in trace.select("timeline.action_failed")}
    for company in run.service_companies():
        steps = [
            e
            for e in trace.select("timeline.action")
            if e.get("action") in RECOVERY_ACTIONS and e.get("company_file") == company
        ]
        done = [e for e in steps if (e.seconds, e.get("action")) not in failed_at]
        if not steps:
            continue
        if len(done) < len(steps):
            findings.append(
                f"{company!r}: the recovery steps could not all be taken against the service "
                f"({len(steps) - len(done)} failed; see timeline.action_failed)"
            )
            continue
        after = done[-1].seconds
        app = run.apps[company][2]
        later = [s for s in sessions if s.app == app and s.started >= after]
        if not later:
            checked.append(f"{company!r}: no sync ran after the recovery steps")
            continue
        if not any(s.outcome in ("succeeded", "no work") for s in later):
            ended = ", ".join(f"{s.describe()} {_ended(s)}" for s in later[:5])
            findings.append(f"{company!r}: no sync succeeded after the recovery steps ({len(later)} ran: {ended})")
        else:
            checked.append(f"{company!r}: synced again")
    if not findings and not any(note.endswith("synced again") for note in checked):
        return CheckResult(
            "sync-after-recovery",
            "not checked",
            note="; ".join(checked) or "the run has no recovery steps for an integration in a real service",
        )
    return _result("sync-after-recovery", findings, "; ".join(checked))
