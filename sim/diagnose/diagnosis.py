"""`wcsim diagnose`: from a customer's QWCLog.txt to its sessions, the cause, the fix and a reproduction.

The log is read (sim.diagnose.log_reader), split into sessions with a signature
each (sim.diagnose.sessions), and the failure to explain is chosen: the signature
most failing sessions share, or, when none failed, scheduled runs that stopped.
Every candidate cause (sim.diagnose.causes) is then simulated in the smallest
office that matches the log, in worker processes when there are several, and
ranked by how closely its simulated log's signatures match the customer's. The
causes tied at the top cannot be told apart from the log alone, and the report
says so; when no candidate comes close it says that no modelled cause produces
this signature, and shows what it could not explain.
"""

from __future__ import annotations

import ntpath
import statistics
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sim.diagnose.causes import CANDIDATES, Candidate, Context, scenario_text, simulate
from sim.diagnose.log_reader import LogEntry, ParsedLog, parse_log_text
from sim.diagnose.sessions import Gap, Session, Signature, gaps, similarity, split_sessions
from sim.text import one_line

__all__ = ["Diagnosis", "RankedCause", "diagnose", "DEFAULT_PATH", "MATCH_THRESHOLD"]

#: Where the company file is assumed to be when the log names no path.
DEFAULT_PATH = r"D:\QBData\Company.QBW"
#: A cause whose best match scores below this does not explain the log.
MATCH_THRESHOLD = 0.8


@dataclass
class RankedCause:
    candidate: Candidate
    score: float
    simulated: Signature | None
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (customer line, simulated line)
    scenario: str = ""


@dataclass
class Diagnosis:
    log: ParsedLog
    sessions: list[Session]
    gaps: list[Gap]
    target: Signature | None  # the failure explained (None: scheduled runs that stopped)
    target_sessions: list[Session]
    context: Context | None
    ranked: list[RankedCause]

    @property
    def explained(self) -> bool:
        return bool(self.ranked) and self.ranked[0].score >= MATCH_THRESHOLD

    @property
    def top(self) -> list[RankedCause]:
        """The causes tied at the best score (indistinguishable from the log alone)."""
        if not self.explained:
            return []
        best = self.ranked[0].score
        return [cause for cause in self.ranked if cause.score == best]

    # --- reports ------------------------------------------------------------------------------
    def text(self) -> str:
        out = []
        failed = [s for s in self.sessions if s.failed]
        scheduled = sum(s.trigger == "scheduled" for s in self.sessions)
        out.append(
            f"QWCLog.txt: {len(self.log.entries):,} log entries, {len(self.sessions)} update sessions "
            f"({scheduled} scheduled, {len(self.sessions) - scheduled} manual), {len(failed)} failed; "
            f"Web Connector started {len(self.log.starts)} time(s)"
            + (f"; read the last {len(self.log.entries):,} entries of a larger log" if self.log.truncated_from else "")
        )
        out.append("")
        out.append("Sessions (the last 12):")
        for session in self.sessions[-12:]:
            when = f"{session.start:%Y-%m-%d %H:%M:%S}" if session.start else "(no time)         "
            path = f"  file {session.path}" if session.path else ""
            out.append(f"  {when}  {session.trigger:<9}  {one_line(session.app, 40):<40}  {session.signature.text()}{path}")
        for gap in self.gaps[:5]:
            out.append(f"  no scheduled run of {one_line(gap.app, 40)} from {gap.after:%Y-%m-%d %H:%M} to {gap.before:%Y-%m-%d %H:%M} (usually every {gap.usual_minutes:.0f} min)")
        out.append("")
        if self.target is not None:
            out.append(f"Failure signature: {self.target.text()} ({len(self.target_sessions)} session(s))")
        elif self.gaps:
            out.append("Failure signature: scheduled runs stopped (no failure logged)")
        else:
            out.append("No failure in this log: every session completed (or the log shows no session).")
            return "\n".join(out) + "\n"
        out.append("")
        out.append("Causes, simulated and ranked by how closely their QWCLog.txt matches:")
        for number, cause in enumerate(self.ranked, 1):
            got = cause.simulated.text() if cause.simulated else "no failing session"
            out.append(f"  {number}. {cause.score:.2f}  {cause.candidate.title}  [{cause.candidate.source}]  (simulated: {got})")
        out.append("")
        if not self.explained:
            out.append("No modelled cause produces this signature. What the log shows that no simulation reproduced:")
            for session in self.target_sessions[:3]:
                out += [f"  {one_line(entry.line(), 200)}" for entry in _decisive(session)[:4]]
            return "\n".join(out) + "\n"
        top = self.top
        if len(top) > 1:
            out.append("These causes write the same log and cannot be told apart from it: " + "; ".join(c.candidate.title for c in top) + ".")
        best = top[0]
        out.append(f"Most likely: {best.candidate.title}.")
        out.append("Customer's log beside the simulated one:")
        for customer, simulated in best.evidence:
            out.append(f"  customer:  {one_line(customer, 180)}")
            out.append(f"  simulated: {one_line(simulated, 180)}")
        out.append("")
        for advice in dict.fromkeys(cause.candidate.advice for cause in top):
            sources = "; ".join(cause.candidate.source for cause in top if cause.candidate.advice == advice)
            out.append(f"What to do ({sources}): {advice}")
        if self.log.unknown:
            out.append("")
            out.append(f"Lines not understood ({len(self.log.unknown)}), kept as they are:")
            out += [f"  line {number}: {one_line(text, 160)}" for number, text in self.log.unknown[:5]]
        return "\n".join(out) + "\n"

    def as_dict(self) -> dict:
        return {
            "entries": len(self.log.entries),
            "restarts": [{"line": line, "version": version, "level": level} for line, version, level in self.log.starts],
            "sessions": [
                {
                    "app": s.app, "trigger": s.trigger, "start": s.start.isoformat() if s.start else None, "end": s.end.isoformat() if s.end else None,
                    "callbacks": s.callbacks, "codes": sorted(set(s.codes)), "path": s.path, "outcome": s.signature.outcome, "signature": s.signature.text(),
                }
                for s in self.sessions
            ],
            "gaps": [{"app": g.app, "after": g.after.isoformat(), "before": g.before.isoformat(), "usual_minutes": g.usual_minutes} for g in self.gaps],
            "signature": self.target.text() if self.target else ("scheduled runs stopped" if self.gaps else None),
            "explained": self.explained,
            "causes": [
                {
                    "id": c.candidate.id, "title": c.candidate.title, "source": c.candidate.source, "score": c.score,
                    "simulated_signature": c.simulated.text() if c.simulated else None, "advice": c.candidate.advice,
                    "evidence": [{"customer": a, "simulated": b} for a, b in c.evidence],
                }
                for c in self.ranked
            ],
            "top": [c.candidate.id for c in self.top],
            "unknown_lines": [{"line": n, "text": t} for n, t in self.log.unknown[:100]],
        }


def _decisive(session: Session) -> list[LogEntry]:
    """The lines of a session that carry its failure."""
    return [e for e in session.entries if any(mark in e.text for mark in ("QBWC1", "HRESULT", "Job ending", "Error", "error"))] or session.entries[-3:]


def _context(sessions: list[Session], target_sessions: list[Session], found_gaps: list[Gap]) -> Context:
    session = target_sessions[-1] if target_sessions else None
    named = [s for s in sessions if s.app != "?"]
    if session is not None and session.app == "?" and named:
        # Lines outside any update (an exit warning, say): the app and trigger the log's updates had.
        usual = Counter(s.trigger for s in named).most_common(1)[0][0]
        session = replace(session, app=named[-1].app, trigger=usual)
    path = next((s.path for s in reversed(sessions) if s.path and s.path[1:3] == ":\\"), DEFAULT_PATH)
    if ntpath.splitext(path)[1].upper() != ".QBW":
        path = DEFAULT_PATH
    scheduled = [s.start for s in sessions if s.trigger == "scheduled" and s.start]
    intervals = [(b - a).total_seconds() / 60 for a, b in zip(scheduled, scheduled[1:]) if b > a]
    every = int(statistics.median(intervals)) if intervals else 60
    if session is not None:
        when = session.start or next((s.start for s in reversed(sessions) if s.start), None) or datetime(2026, 1, 6, 10, 0)
        return Context(session.app, path, session.trigger, max(when, datetime(1991, 1, 1)), max(every, 1), _code_of(session.signature))
    gap = found_gaps[-1]
    return Context(gap.app, path, "scheduled", gap.after, max(int(gap.usual_minutes), 1))


def _code_of(signature: Signature) -> str:
    """The code a reproduction must show: QuickBooks' HRESULT if there is one, else the
    Web Connector's most specific code."""
    hresults = [c for c in signature.codes if c.startswith("0x")]
    if hresults:
        return hresults[0]
    if signature.outcome == "invalid user":
        return "QBWC1040"
    codes = [c for c in signature.codes if c != "QBWC1013"]
    return codes[0] if codes else ""


def _evidence(customer: list[Session], simulated: list[Session]) -> list[tuple[str, str]]:
    mine = _decisive(customer[-1])[:4] if customer else []
    theirs = _decisive(simulated[-1])[:4] if simulated else []
    return [(a.line(), b.line()) for a, b in zip(mine, theirs)]


def _judge(candidate: Candidate, context: Context, text: str, log_text: str, target: Signature | None, target_sessions: list[Session]) -> RankedCause:
    """How closely the log of `text` (the candidate's scenario), simulated, matches the customer's."""
    simulated_sessions = split_sessions(parse_log_text(log_text)) if log_text else []
    cause_at = context.when.replace(second=0, microsecond=0) - timedelta(hours=1)  # as scenario_text places it
    after = [s for s in simulated_sessions if s.start and s.start >= cause_at]
    if target is None:  # scheduled runs stopped: a cause matches when its runs stop too, silently
        runs_after = [s for s in after if s.trigger == "scheduled" and s.start > cause_at]
        noisy = any(s.codes for s in after)  # the customer's log shows no failure: a loud cause matches worse
        score = (1.0 if not noisy else 0.5) if simulated_sessions and not runs_after else 0.0
        return RankedCause(candidate, score, None, [], text)
    failing = [s for s in after if s.failed]
    if not failing:
        return RankedCause(candidate, 0.0, None, [], text)
    best = max(failing, key=lambda s: similarity(target, s.signature))
    return RankedCause(candidate, similarity(target, best.signature), best.signature, _evidence(target_sessions, [best]), text)


def diagnose(log: ParsedLog, workers: int = 2) -> Diagnosis:
    sessions = split_sessions(log)
    found_gaps = gaps(sessions)
    failing = [s for s in sessions if s.failed]
    target, target_sessions = None, []
    if failing:
        counts = Counter(s.signature for s in failing)
        target = max(counts, key=lambda signature: (counts[signature], max(i for i, s in enumerate(failing) if s.signature == signature)))
        target_sessions = [s for s in failing if s.signature == target]
    if target is None and not found_gaps:
        return Diagnosis(log, sessions, found_gaps, None, [], None, [])
    context = _context(sessions, target_sessions, found_gaps)
    candidates = [c for c in CANDIDATES if c.applies(context)]
    texts = [scenario_text(c, context) for c in candidates]
    if workers > 1 and len(texts) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(texts))) as pool:
            logs = list(pool.map(simulate, texts))
    else:
        logs = [simulate(text) for text in texts]
    ranked = [_judge(c, context, text, log_text, target, target_sessions) for c, text, log_text in zip(candidates, texts, logs)]
    order = {c.id: i for i, c in enumerate(CANDIDATES)}
    ranked.sort(key=lambda cause: (-cause.score, order[cause.candidate.id]))
    return Diagnosis(log, sessions, found_gaps, target, target_sessions, context, ranked)
