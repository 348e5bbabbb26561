"""`wcsim diagnose`: from a customer's QWCLog.txt to its sessions, the cause, the fix and a reproduction.

The log is read (sim.diagnose.log_reader), split into sessions with a signature
each (sim.diagnose.sessions), and the failure to explain is chosen: the signature
most failing sessions share; when none failed, the errors sessions recovered from;
when there are none, scheduled runs that stopped. Every candidate cause
(sim.diagnose.causes) is then simulated in the smallest office that matches the log,
in worker processes when there are several, and scored by the share of the log's
evidence its simulated log reproduces (sessions.similarity, over the steps of a
session the customer's lines cover, so a fragment is not held against what it does
not show). The verdict:

- "explained": the best score reaches MATCH_THRESHOLD and the causes at it share one fix;
- "several causes fit": they reach it but need different fixes: all are listed, each with
  what would tell it apart (a question for the customer, the line its simulation writes
  that the others' do not);
- "not explained": none reaches it (or the log shows too little): the causes that fit
  best are still listed, as a lead and not a verdict, with what the log shows that no
  simulation reproduced;
- "no failure": no session failed, no error line, no scheduled run missing.

A log that shows an error, an exception or a QBWC1031 never gets "no failure".
"""

from __future__ import annotations

import ntpath
import re
import statistics
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import cast
from urllib.parse import urlsplit

from sim.diagnose.causes import (
    CANDIDATES,
    MAX_GAP_DAYS,
    TRIGGERS,
    Candidate,
    Context,
    cause_time,
    run_candidate,
    scenario_text,
    vendor_text,
)
from sim.diagnose.log_reader import LogEntry, ParsedLog, parse_log_text
from sim.diagnose.sessions import DOUBT, STEPS, Gap, Session, Signature, gaps, similarity, split_sessions
from sim.text import one_line
from sim.world import to_utc

__all__ = [
    "Diagnosis",
    "RankedCause",
    "diagnose",
    "examine",
    "DEFAULT_PATH",
    "MATCH_THRESHOLD",
    "LEAD_THRESHOLD",
    "STRATAFOLIO_HOST",
]

#: Where the company file is assumed to be when the log names no path.
DEFAULT_PATH = r"D:\QBData\Company.QBW"
#: A cause explains the log when its score reaches this: it reproduces at least this share of
#: what the log shows, after the doubt a short log leaves (sessions.DOUBT).
MATCH_THRESHOLD = 0.8
#: A cause that reproduces less than this share of the evidence is not even a lead.
LEAD_THRESHOLD = 0.5
#: The service whose logs the candidates' advice is written for; any other AppURL is another vendor's.
STRATAFOLIO_HOST = "app.stratafolio.com"


@dataclass
class RankedCause:
    candidate: Candidate
    score: float
    simulated: Signature | None
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (customer line, simulated line)
    scenario: str = ""
    problem: str = ""  # why its simulation could not run ("" when it ran)
    tell: str = ""  # a line its simulation writes that the other top causes' do not
    summary: str = ""  # what its simulation showed, when that is no failing session's signature


@dataclass
class Diagnosis:
    log: ParsedLog
    sessions: list[Session]
    gaps: list[Gap]
    target: Signature | None  # the failure explained (None: scheduled runs that stopped, or nothing)
    target_sessions: list[Session]
    context: Context | None
    ranked: list[RankedCause]
    recovered: bool = False  # the target is errors sessions recovered from, not a failed session
    service: str = ""  # the AppURL's host the log names ("" when it names none)
    copied_at: datetime | None = None  # when the log was copied (UTC), if the person who copied it said
    restarts: list[datetime] = field(default_factory=list)  # when Web Connector started, as the log shows

    @property
    def shows_failure(self) -> bool:
        return self.target is not None or bool(self.gaps)

    @property
    def top(self) -> list[RankedCause]:
        """The causes tied at the best score (that the log cannot tell apart): the explanation when
        it reaches MATCH_THRESHOLD, leads when it reaches LEAD_THRESHOLD, none below."""
        runnable = [cause for cause in self.ranked if not cause.problem and cause.score >= LEAD_THRESHOLD]
        if not runnable:
            return []
        best = runnable[0].score
        return [cause for cause in runnable if cause.score == best]

    @property
    def explained(self) -> bool:
        """The best causes reach the threshold (one cause, or several the log cannot tell apart)."""
        return bool(self.top) and self.top[0].score >= MATCH_THRESHOLD

    @property
    def verdict(self) -> str:
        if not self.shows_failure:
            return "no failure"
        if not self.explained:
            return "not explained"
        return "explained" if len({cause.candidate.advice for cause in self.top}) == 1 else "several causes fit"

    @property
    def exit_code(self) -> int:
        """0 explained (one fix) or no failure; 1 otherwise."""
        return 0 if self.verdict in ("explained", "no failure") else 1

    @property
    def another_vendor(self) -> bool:
        return bool(self.service) and self.service != STRATAFOLIO_HOST

    def title(self, cause: RankedCause) -> str:
        return vendor_text(cause.candidate.title, self.service) if self.another_vendor else cause.candidate.title

    def question(self, cause: RankedCause) -> str:
        question = cause.candidate.question
        return vendor_text(question, self.service) if self.another_vendor else question

    def advice(self, cause: RankedCause) -> str:
        candidate = cause.candidate
        if self.another_vendor:
            return candidate.vendor_advice or vendor_text(candidate.advice, self.service)
        return candidate.advice

    # --- reports ------------------------------------------------------------------------------
    def text(self) -> str:
        out = []
        failed = [s for s in self.sessions if s.failed]
        scheduled = sum(s.trigger == "scheduled" for s in self.sessions)
        kept = (
            f"; read the last {len(self.log.entries):,} entries of a larger log"
            if self.log.truncated_from or self.log.dropped_entries
            else ""
        )
        out.append(
            f"QWCLog.txt: {len(self.log.entries):,} log entries, {len(self.sessions):,} update sessions "
            f"({scheduled:,} scheduled, {len(self.sessions) - scheduled:,} other), {len(failed):,} failed; "
            f"Web Connector started {self.log.start_count:,} time(s){kept}"
            + (f"; service {one_line(self.service, 80)}" if self.service else "")
        )
        out.append("")
        out.append("Sessions (the last 12):")
        for session in self.sessions[-12:]:
            when = f"{session.start:%Y-%m-%d %H:%M:%S}" if session.start else "(no time)          "
            path = f"  file {one_line(session.path, 120)}" if session.path else ""
            again = f"  (retried past {' '.join(session.recovered)})" if session.recovered else ""
            cut = "  (cut by a Web Connector restart)" if session.cut_by_restart else ""
            out.append(
                f"  {when}  {session.trigger:<9}  {one_line(session.app, 40):<40}  "
                f"{one_line(session.signature.text(), 200)}{again}{cut}{path}"
            )
        if not any(s.start for s in self.sessions):
            out += [f"  {one_line(e.line(), 200)}" for e in list(self.log.entries)[:12]]
        for gap in self.gaps[-5:]:
            until = (
                f"{gap.before:%Y-%m-%d %H:%M}"
                if gap.resumed
                else f"{gap.before:%Y-%m-%d %H:%M}, when the log was copied"
            )
            out.append(
                f"  no scheduled run of {one_line(gap.app, 40)} from {gap.after:%Y-%m-%d %H:%M} to {until} "
                f"(usually every {gap.usual_minutes:.0f} min; "
                f"{'Web Connector restarted in between' if gap.restarted else 'no restart in between'})"
            )
        observed = self.observations()
        if observed:
            out.append("")
            out.append("What else the log shows:")
            out += [f"  - {one_line(line, 300)}" for line in observed]
        out.append("")
        if self.target is not None:
            what = "Errors the sessions recovered from" if self.recovered else "Failure signature"
            out.append(f"{what}: {one_line(self.target.text(), 300)} ({len(self.target_sessions)} session(s))")
        elif self.gaps:
            came_back = "" if self.gaps[-1].resumed else ", and had not come back when the log was copied"
            out.append(f"Failure signature: scheduled runs stopped (no failure logged{came_back})")
        else:
            out.append("No failure in this log: every session completed (or the log shows no session).")
            last = next((s for s in reversed(self.sessions) if s.trigger == "scheduled" and s.start), None)
            if last is not None and self.copied_at is None:
                out.append(
                    f"The last scheduled run is at {last.start:%Y-%m-%d %H:%M} (UTC). If scheduled "
                    "syncs stopped after it, the log "
                    "cannot show it (Web Connector writes nothing while no run happens): say when the log was copied "
                    '(--copied-at "YYYY-MM-DD HH:MM", UTC) to diagnose the pause.'
                )
            return "\n".join(out) + "\n"
        out.append("")
        out.append(
            "Causes, simulated and scored by the share of the log's evidence their simulated QWCLog.txt reproduces:"
        )
        shown = [cause for cause in self.ranked if cause.problem or cause.score >= LEAD_THRESHOLD][:15] or self.ranked[
            :3
        ]
        for number, cause in enumerate(shown, 1):
            if cause.problem:
                out.append(
                    f"  {number}. ----  {self.title(cause)}  (could not be simulated for this log: "
                    f"{one_line(cause.problem, 200)})"
                )
                continue
            got = one_line(cause.simulated.text(), 200) if cause.simulated else (cause.summary or "no failing session")
            out.append(
                f"  {number}. {cause.score:.2f}  {self.title(cause)}  [{cause.candidate.source}]  (simulated: {got})"
            )
        if len(self.ranked) > len(shown):
            out.append(f"  ... and {len(self.ranked) - len(shown)} more reproducing less (--json lists every one)")
        out.append("")
        verdict, top = self.verdict, self.top
        if verdict == "not explained":
            if top and any(cause.simulated == self.target for cause in top):
                out.append(
                    "Failed, not explained: the log shows too little to name a cause "
                    f"({top[0].score:.2f}, below the {MATCH_THRESHOLD:.2f} an "
                    "explanation needs). Each of these writes all it shows; what would tell them apart:"
                )
                out += self._each(top[:8])
            else:
                out.append(
                    "Failed, not explained: no modelled cause produces this signature. What the log "
                    "shows that no simulation reproduced:"
                )
                for session in self.target_sessions[-3:]:
                    out += [f"  {one_line(entry.line(), 200)}" for entry in _decisive(session)[:4]]
                if top:
                    out.append("")
                    out.append(
                        f"Closest, as a lead only ({top[0].score:.2f}, below the {MATCH_THRESHOLD:.2f} an "
                        "explanation needs): "
                        + "; ".join(self.title(c) for c in top[:8])
                        + ("; ..." if len(top) > 8 else "")
                        + "."
                    )
            if len(top) > 3 and self.target_sessions and self.target_sessions[-1].span[0] > 0:
                out.append(
                    "The log shows only the end of the failing session: paste its lines from the start of the update "
                    '("Performing SCHEDULED UPDATE" or "updateWS() ... has STARTED") to tell these apart.'
                )
            return "\n".join(out) + self._unknown_lines()
        if verdict == "several causes fit":
            out.append(
                f"Several causes fit (score {top[0].score:.2f}), and the log cannot tell them apart. What would:"
            )
            out += self._each(top)
            return "\n".join(out) + self._unknown_lines()
        if len(top) > 1:
            out.append(
                "These causes write the same log and cannot be told apart from it (the fix is the same): "
                + "; ".join(self.title(c) for c in top)
                + "."
            )
        best = top[0]
        out.append(f"Most likely: {self.title(best)}.")
        out.append("Customer's log beside the simulated one:")
        for customer, simulated in best.evidence:
            out.append(f"  customer:  {one_line(customer, 180)}")
            out.append(f"  simulated: {one_line(simulated, 180)}")
        shown_lines = {customer for customer, _ in best.evidence}
        rest = (
            [entry.line() for entry in _decisive(self.target_sessions[-1]) if entry.line() not in shown_lines]
            if self.target_sessions
            else []
        )
        if rest:
            out.append("The log also shows, not part of what this cause explains:")
            out += [f"  {one_line(line, 180)}" for line in rest[:3]]
        out.append("")
        sources = "; ".join(dict.fromkeys(cause.candidate.source for cause in top))
        out.append(f"What to do ({sources}): {self.advice(best)}")
        return "\n".join(out) + self._unknown_lines()

    def _each(self, causes: list[RankedCause]) -> list[str]:
        """Each cause with the question that tells it from the others, its own line, and its fix."""
        out = []
        for cause in causes:
            out.append(f"  - {self.title(cause)}")
            if cause.candidate.question:
                out.append(f"      ask: {self.question(cause)}")
            if cause.tell:
                out.append(f"      its simulation writes, and the others' do not: {one_line(cause.tell, 180)}")
            out.append(f"      what to do ({cause.candidate.source}): {self.advice(cause)}")
        return out

    def observations(self) -> list[str]:
        """What a support engineer reads around the failure besides its signature: the Web Connector
        build, when failures happen and when runs succeed, and what happened just before the first
        failure. Shown, not scored (no candidate's simulation covers a day of runs)."""
        found = []
        builds = sorted({s.qbwc_version for s in self.sessions if s.qbwc_version})
        if builds:
            found.append(f"Web Connector {', '.join(builds[:3])}")
        elif any(s.version for s in self.log.starts):
            found.append(
                'Web Connector: its build is not in the log (the header\'s "2.2" is written by every build, 33 too)'
            )
        failing = [s for s in self.sessions if s.failed and s.start]
        working = [s for s in self.sessions if s.signature.outcome == "succeeded" and s.start]
        first = failing[0] if failing else None
        if first is not None:
            since = [s for s in working if _start(s) > _start(first)]
            if not since and len(failing) >= 2:
                found.append(
                    f"every run since {first.start:%Y-%m-%d %H:%M} failed ({len(failing)}): something changed then"
                )
            elif since:
                hours, good = sorted({_start(s).hour for s in failing}), sorted({_start(s).hour for s in working})
                if not set(hours) & set(good):
                    found.append(
                        f"failures come and go: only at hours {_hours(hours)} (UTC), successes only at "
                        f"{_hours(good)} (a person present, a computer awake?)"
                    )
                else:
                    found.append(f"failures come and go: {len(since)} run(s) succeeded after the first failure")
            if {s.trigger for s in failing} == {"scheduled"} and any(s.trigger == "manual" for s in working):
                found.append(
                    "scheduled runs fail while runs started by hand succeed: unattended access "
                    "differs (a prompt, a login)"
                )
            earlier = [s for s in self.sessions if s.start and s.start < _start(first)]
            last = earlier[-1].start if earlier else None
            if last is not None:
                day_before = (
                    _start(first) - timedelta(hours=24)
                    if _start(first) >= datetime.min + timedelta(hours=24)
                    else datetime.min
                )
                window = [s for s in earlier if _start(s) >= day_before]
                if any(s.trigger == "add" for s in window):
                    found.append(
                        "an application was added in the 24 hours before the first failure "
                        f"({first.start:%Y-%m-%d %H:%M})"
                    )
                if any(s.signature.outcome == "no password" for s in window):
                    found.append("Web Connector asked for a password in the 24 hours before the first failure")
                if any(last < moment <= _start(first) for moment in self.restarts):
                    found.append("Web Connector restarted between the last run before the first failure and it")
        return found

    def _unknown_lines(self) -> str:
        if not self.log.unknown_count:
            return "\n"
        lines = ["", f"Lines not understood ({self.log.unknown_count:,}), kept as they are:"]
        lines += [f"  line {number}: {one_line(text, 160)}" for number, text in self.log.unknown[:5]]
        return "\n" + "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "entries": len(self.log.entries),
            "restarts": [
                {"line": s.line, "version": s.version, "level": s.level, "time": s.time.isoformat() if s.time else None}
                for s in list(self.log.starts)[-100:]
            ],
            "restart_count": self.log.start_count,
            "service": self.service or None,
            "sessions": [
                {
                    "app": s.app,
                    "trigger": s.trigger,
                    "start": s.start.isoformat() if s.start else None,
                    "end": s.end.isoformat() if s.end else None,
                    "callbacks": s.callbacks,
                    "codes": s.codes,
                    "recovered": list(s.recovered),
                    "path": s.path,
                    "outcome": s.signature.outcome,
                    "signature": s.signature.text(),
                    "cut_by_restart": s.cut_by_restart,
                }
                for s in self.sessions[-1000:]
            ],
            "session_count": len(self.sessions),
            "gaps": [
                {
                    "app": g.app,
                    "after": g.after.isoformat(),
                    "before": g.before.isoformat(),
                    "usual_minutes": g.usual_minutes,
                    "restarted": g.restarted,
                    "resumed": g.resumed,
                }
                for g in self.gaps
            ],
            "copied_at": self.copied_at.isoformat() if self.copied_at else None,
            "signature": self.target.text() if self.target else ("scheduled runs stopped" if self.gaps else None),
            "recovered": self.recovered,
            "observations": self.observations(),
            "explained": self.explained,
            "threshold": MATCH_THRESHOLD,
            "causes": [
                {
                    "id": c.candidate.id,
                    "title": self.title(c),
                    "source": c.candidate.source,
                    "score": c.score,
                    "problem": c.problem or None,
                    "simulated_signature": c.simulated.text() if c.simulated else (c.summary or None),
                    "advice": self.advice(c),
                    "question": self.question(c) or None,
                    "tell": c.tell or None,
                    "evidence": [{"customer": a, "simulated": b} for a, b in c.evidence],
                }
                for c in self.ranked
            ],
            "top": [c.candidate.id for c in self.top],
            "unknown_lines": [{"line": n, "text": t} for n, t in self.log.unknown[:100]],
            "unknown_count": self.log.unknown_count,
        }


def _start(session: Session) -> datetime:
    """The start of a session already known to have one (`observations` keeps only those)."""
    return cast(datetime, session.start)


def _hours(hours: list[int]) -> str:
    return ", ".join(f"{hour:02d}" for hour in hours[:12]) + (" ..." if len(hours) > 12 else "")


def _decisive(session: Session) -> list[LogEntry]:
    """The lines of a session that carry its failure: its error lines with a code first."""
    if session.errors:
        coded = [e for e in session.errors if _CODED.search(e.text)]
        return coded + [e for e in session.errors if e not in coded]
    return [
        e for e in session.entries if any(mark in e.text for mark in ("QBWC1", "HRESULT", "Job ending"))
    ] or session.entries[-3:]


_CODED = re.compile(r"QBWC1\d{3}|0x8004[0-9A-Fa-f]{4}|HRESULT")


def _service(sessions: list[Session]) -> str:
    """The host of the service the log's AppURL names (the last one), "" if it names none."""
    for session in reversed(sessions):
        if session.app_url:
            try:
                return (urlsplit(session.app_url).hostname or "")[:100]
            except ValueError:
                return ""
    return ""


#: The calendar a reproduction may use (the simulator's, with room for the scenario's hours around
#: the failure): a log dated outside it is reproduced on the same weekday and time of day inside it.
_EARLIEST, _LATEST = datetime(1991, 1, 1), datetime(2199, 12, 1)


def _in_calendar(when: datetime) -> datetime:
    """`when` moved into the simulator's calendar by 28-year steps (the same weekday and leap years
    between 1901 and 2099), its time of day kept; at most a few hundred steps from year 1 or 9999."""
    moved = when
    while moved > _LATEST:
        moved = (
            moved.replace(year=moved.year - 28)
            if not (moved.month == 2 and moved.day == 29)
            else moved.replace(year=moved.year - 28, day=28)
        )
    while moved < _EARLIEST:
        moved = (
            moved.replace(year=moved.year + 28)
            if not (moved.month == 2 and moved.day == 29)
            else moved.replace(year=moved.year + 28, day=28)
        )
    return moved


def _office_time(stamp: datetime) -> datetime:
    """The office's local time of a QWCLog.txt stamp (UTC), moved into the simulator's calendar: a
    reproduction is written in the office's local time (US Eastern, assumed: sim.world.to_utc), so
    its simulated log stamps the failure at the UTC time the customer's log shows it."""
    moved = _in_calendar(stamp)
    for hours in (4, 5):  # daylight saving time first: in the hour clocks go back, the earlier one
        local = moved - timedelta(hours=hours)
        if to_utc(local) == moved:
            return local
    return moved - timedelta(hours=5)  # not reached: every UTC time is some local time


def _context(sessions: list[Session], target_sessions: list[Session], found_gaps: list[Gap], service: str) -> Context:
    session = target_sessions[-1] if target_sessions else None
    named = [s for s in sessions if s.app != "?" and s.trigger != "unknown"]
    open_triggers: tuple[str, ...] = ()
    if session is not None and (session.app == "?" or session.trigger == "unknown"):
        # Lines outside any update (an exit warning, a pasted fragment): the app and trigger the log's updates
        # had; when it shows none, every trigger is simulated and the comparison chooses.
        usual = Counter(s.trigger for s in named).most_common(1)[0][0] if named else TRIGGERS[0]
        if session.trigger == "unknown" and not named:
            open_triggers = TRIGGERS
        session = replace(
            session,
            app=session.app if session.app != "?" else (named[-1].app if named else "?"),
            trigger=usual if session.trigger == "unknown" else session.trigger,
        )
    path = next((s.path for s in reversed(sessions) if s.path and s.path[1:3] == ":\\"), DEFAULT_PATH)
    if ntpath.splitext(path)[1].upper() != ".QBW":
        path = DEFAULT_PATH
    scheduled = [s.start for s in sessions if s.trigger == "scheduled" and s.start]
    intervals = [(b - a).total_seconds() / 60 for a, b in zip(scheduled, scheduled[1:], strict=False) if b > a]
    every = int(statistics.median(intervals)) if intervals else 60
    app = one_line(session.app if session is not None else found_gaps[-1].app, 100)
    if session is not None:
        when = (
            session.start or next((s.start for s in reversed(sessions) if s.start), None) or datetime(2026, 1, 6, 10, 0)
        )
        return Context(
            app,
            path,
            session.trigger,
            _office_time(when),
            max(every, 1),
            _code_of(session.signature),
            service=service,
            triggers=open_triggers,
        )
    gap = found_gaps[-1]
    moved = _office_time(gap.after)
    # A reproduction brings runs back after MAX_GAP_DAYS at most (scenario_text), so a longer pause is
    # cut there: a log stamped in year 1 and then in 9999 is no overflow.
    pause = min(gap.before - gap.after, timedelta(days=MAX_GAP_DAYS + 1))
    return Context(
        app,
        path,
        "scheduled",
        moved,
        max(int(gap.usual_minutes), 1),
        service=service,
        resumed=moved + pause if gap.resumed else None,
        runs_stopped=True,
    )


def _code_of(signature: Signature) -> str:
    """The code a reproduction must show: QuickBooks' HRESULT if there is one, else the
    Web Connector's most specific code."""
    hresults = [c for c in signature.codes if c.startswith("0x")]
    if hresults:
        return hresults[0]
    if signature.outcome == "invalid user":
        return "QBWC1040"
    codes = [c for c in signature.codes if c != "QBWC1013" and not c.startswith("status")]
    return codes[0] if codes else ""


def _evidence(customer: list[Session], simulated: Session) -> list[tuple[str, str]]:
    """Lines side by side: the customer's lines with a code beside the simulation's (when both have
    some), else their first error lines."""
    mine = _decisive(customer[-1])[:4] if customer else []
    theirs = _decisive(simulated)[:4]
    coded_mine, coded_theirs = [e for e in mine if _CODED.search(e.text)], [e for e in theirs if _CODED.search(e.text)]
    if coded_mine and coded_theirs:
        mine, theirs = coded_mine, coded_theirs
    return [(a.line(), b.line()) for a, b in zip(mine, theirs, strict=False)]


def _judge(
    candidate: Candidate, context: Context, text: str, result: tuple[str, str], diagnosis: Diagnosis
) -> RankedCause:
    """How much of the customer's evidence the log of `text` (the candidate's scenario), simulated, reproduces."""
    log_text, problem = result
    if problem:
        return RankedCause(candidate, 0.0, None, [], text, problem)
    simulated_log = parse_log_text(log_text) if log_text else ParsedLog()
    simulated_sessions = split_sessions(simulated_log)
    # When scenario_text places the cause, in the UTC its simulated log stamps.
    cause_at = to_utc(cause_time(context))
    after = [s for s in simulated_sessions if s.start and s.start >= cause_at]
    target, target_sessions = diagnosis.target, diagnosis.target_sessions
    if target is None:  # scheduled runs stopped: compared by what the log shows around the pause
        gap = diagnosis.gaps[-1]
        score, seen = (
            _gap_score(gap, context, simulated_log, simulated_sessions, cause_at)
            if simulated_sessions
            else (0.0, "no run at all")
        )
        mine = (
            f"no scheduled run from {gap.after:%Y-%m-%d %H:%M} to {gap.before:%Y-%m-%d %H:%M}, "
            f"{'a' if gap.restarted else 'no'} Web Connector restart in between"
        )
        return RankedCause(candidate, score, None, [(mine, seen)], text, summary=seen)
    showing = [s for s in after if s.failed or (diagnosis.recovered and s.errors)]
    if not showing:
        return RankedCause(candidate, 0.0, None, [], text)
    # Compared over what the failing session that shows most of itself covers (a log may end with a
    # pasted fragment of a session it also shows whole).
    shown = max(reversed(target_sessions), key=lambda session: session.span[1] - session.span[0])
    span, doubt = shown.span, _doubt(shown)
    best: tuple[Session, Signature] | None
    best, best_score = None, -1.0
    for session in showing:
        compared = session.projected(span) if span != (0, 8) else session
        signature = compared.error_signature() if diagnosis.recovered else compared.signature
        score = similarity(target, signature, doubt)
        if score > best_score:
            best, best_score = (session, signature), score
    # `showing` is not empty and a similarity is never below 0, so the first session was taken.
    chosen = cast("tuple[Session, Signature]", best)
    return RankedCause(candidate, best_score, chosen[1], _evidence(target_sessions, chosen[0]), text)


def _variants(candidate: Candidate, context: Context) -> list[Context]:
    """The offices a cause is simulated in: one for each trigger the log leaves open and each callback
    the cause can strike in (Candidate.callbacks); at most len(TRIGGERS) x 8 runs for one cause."""
    triggers = context.triggers or (context.trigger,)
    callbacks = candidate.callbacks or (context.callback,)
    return [replace(context, trigger=trigger, callback=callback) for trigger in triggers for callback in callbacks]


def _doubt(session: Session) -> float:
    """The doubt the customer's failing session leaves (sessions.DOUBT), twice as much when the log
    shows only part of it (without its start or its end: a pasted fragment, one line): what it does
    not show may be what tells the causes apart."""
    low, high = session.span
    whole = low == 0 and (session.closing or high == len(STEPS) - 1)
    return DOUBT if whole else 2 * DOUBT


def _gap_features(stopped: bool, silent: bool, resumed: bool, restarted: bool) -> set[str]:
    return {
        f"runs stopped: {stopped}",
        f"silent: {silent}",
        f"runs came back: {resumed}",
        f"Web Connector restarted: {restarted}",
    }


def _gap_score(
    gap: Gap, context: Context, simulated_log: ParsedLog, simulated: list[Session], cause_at: datetime
) -> tuple[float, str]:
    """The share of what the customer's pause shows (runs stopped, without an error; they came back;
    with or without a Web Connector restart in between) that the candidate's simulated log shows."""
    every = timedelta(minutes=max(1, context.every_minutes) * 1.5)
    runs = sorted(s.start for s in simulated if s.trigger == "scheduled" and s.start and s.start > cause_at)
    # Runs stopped: after the cause, some run is followed by a pause of many intervals (or by none at all).
    pauses = [(a, b) for a, b in zip([cause_at, *runs], [*runs, None], strict=False) if b is None or b - a > 3 * every]
    stopped = bool(pauses)
    first_back = next((b for a, b in pauses if b is not None), None)
    during = [s for s in simulated if s.start and s.start >= cause_at and (first_back is None or s.start < first_back)]
    silent = not any(s.codes or s.errors for s in during)
    restarted = False
    if first_back is not None:
        pause_from = next(a for a, b in pauses if b == first_back)
        restarted = any(e.restart and e.time and pause_from <= e.time <= first_back for e in simulated_log.entries)
    mine = _gap_features(True, True, gap.resumed, gap.restarted)
    theirs = _gap_features(stopped, silent, first_back is not None, restarted)
    seen = ("runs stopped" + ("" if silent else " with errors") if stopped else "runs went on") + (
        f", came back{' after a Web Connector restart' if restarted else ' without a restart'}"
        if first_back
        else ", did not come back"
    )
    return round(len(mine & theirs) / (len(mine | theirs) + DOUBT), 3), seen


def _tells(top: list[RankedCause]) -> None:
    """For causes the log cannot tell apart: a line each one's simulated failure writes that the others' do not."""
    if len(top) < 2:
        return
    lines = {id(cause): {one_line(line, 300) for _, line in cause.evidence} for cause in top}
    for cause in top:
        others = set().union(*(lines[id(c)] for c in top if c is not cause))
        own = sorted(lines[id(cause)] - others)
        cause.tell = own[0] if own else ""


def _choose(sessions: list[Session]) -> tuple[Signature | None, list[Session], bool]:
    """The failure to explain: the signature most failing sessions share (the latest among equals);
    when none failed, the errors sessions recovered from."""
    failing = [s for s in sessions if s.failed]
    recovered = False
    if not failing:
        failing = [s for s in sessions if s.errors]
        recovered = bool(failing)
    if not failing:
        return None, [], False
    counts: Counter[Signature] = Counter()
    last: dict[Signature, int] = {}
    for index, session in enumerate(failing):
        signature = session.error_signature() if recovered else session.signature
        counts[signature] += 1
        last[signature] = index
    target = max(counts, key=lambda signature: (counts[signature], last[signature]))
    return target, [s for s in failing if (s.error_signature() if recovered else s.signature) == target], recovered


def examine(log: ParsedLog, sessions: list[Session] | None = None, copied_at: datetime | None = None) -> Diagnosis:
    """Everything a diagnosis reads from the log itself (sessions, pauses, the failure to explain
    and the office it happened in), without simulating any cause: linear in the log's size.
    `copied_at`: when the log was copied (UTC, as its stamps), which only the person who copied it
    knows; with it, scheduled runs that stopped and had not come back by then are a failure too."""
    sessions = split_sessions(log) if sessions is None else sessions
    restarts = [entry.time for entry in log.entries if entry.restart and entry.time]
    found_gaps = gaps(sessions, restarts, copied_at=copied_at)
    target, target_sessions, recovered = _choose(sessions)
    service = _service(sessions)
    diagnosis = Diagnosis(
        log, sessions, found_gaps, target, target_sessions, None, [], recovered, service, copied_at, restarts
    )
    if target is not None or found_gaps:
        diagnosis.context = _context(sessions, target_sessions, found_gaps, service)
    return diagnosis


def diagnose(
    log: ParsedLog, workers: int = 2, sessions: list[Session] | None = None, copied_at: datetime | None = None
) -> Diagnosis:
    """The diagnosis of a parsed log (`sessions`: its sessions, when already split; `copied_at`: see examine)."""
    diagnosis = examine(log, sessions, copied_at)
    context = diagnosis.context
    if context is None:
        return diagnosis
    runs = [(c, variant) for c in CANDIDATES for variant in _variants(c, context) if c.applies(variant)]
    texts = [scenario_text(c, variant) for c, variant in runs]
    if workers > 1 and len(texts) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(texts))) as pool:
            results = list(pool.map(run_candidate, texts, chunksize=4))
    else:
        results = [run_candidate(text) for text in texts]
    # Each cause is ranked by the variant (trigger, callback) whose simulated log reproduces most of the customer's.
    best: dict[str, RankedCause] = {}
    for (c, variant), text, result in zip(runs, texts, results, strict=False):
        cause = _judge(c, variant, text, result, diagnosis)
        kept = best.get(c.id)
        if kept is None or (kept.problem and not cause.problem) or (not cause.problem and cause.score > kept.score):
            best[c.id] = cause
    ranked = list(best.values())
    order = {c.id: i for i, c in enumerate(CANDIDATES)}
    ranked.sort(key=lambda cause: (bool(cause.problem), -cause.score, order[cause.candidate.id]))
    diagnosis.ranked = ranked
    _tells(diagnosis.top)
    return diagnosis
