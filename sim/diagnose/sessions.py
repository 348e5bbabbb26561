"""Update sessions in a parsed QWCLog.txt, and the signature of how each one ended.

A session starts at "updateWS() for application = '<APP>' has STARTED" (Update
Selected) or at the scheduled run's "Password management" / "Performing SCHEDULED
UPDATE" lines, and ends at "Update session has ended.", "Update completed with
errors", QBWC1031, a header block (the Web Connector restarted) or the next start.
From the lines in between it gathers what a support engineer looks for: the
callbacks reached, the QBWC codes, HRESULTs and qbXML statuses, the path, what
authenticate answered, and how it ended. A `Signature` is the part of that which
says *why* a session failed, so two logs can be compared by it; `gaps` finds the
scheduled runs that never happened.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sim.diagnose.log_reader import LogEntry, ParsedLog

__all__ = ["Session", "Signature", "Gap", "split_sessions", "gaps", "similarity"]

_MANUAL = re.compile(r"updateWS\(\) for application = '(.+?)' has STARTED")
_SCHEDULED = re.compile(r"Performing SCHEDULED UPDATE for application = (.+)$")
_ADDING = re.compile(r"Parsing application configuration xml file")
_ADDED_NAME = re.compile(r"^Application name = (.+)$")
_NO_PASSWORD = re.compile(r"QBWC1030: Password is not available for application named '(.+?)'")
_CALLING = re.compile(r"\*\*\* Calling (\w+)\(\)")
_CODE = re.compile(r"\b(QBWC1\d{3})\b")
_HRESULT = re.compile(r"\b(0x8004[0-9A-Fa-f]{4})\b")
_PATH = re.compile(r"(?:cfn=\"|Company file = '|authRet\[1\]=\")([A-Za-z]:\\[^\"']+|\\\\[^\"']+)")
_AUTH = re.compile(r'authRet\[1\]="([^"]*)"')
_END = re.compile(r"Update session has ended\.|Update completed with errors|QBWC1031:|update completed\.|has been added to QuickBooks\.|There was a problem adding")


@dataclass(frozen=True)
class Signature:
    """Why a session ended as it did, in terms two logs can share."""

    outcome: str  # "succeeded", "no work", "invalid user", "no password", "failed"
    codes: tuple[str, ...]  # QBWC codes and HRESULTs, sorted (QBWC1031 left out: it only says "some error")
    last_callback: str

    def text(self) -> str:
        return f"{self.outcome} {' '.join(self.codes) or '-'} after {self.last_callback or 'no callback'}"


@dataclass
class Session:
    app: str
    trigger: str  # "manual", "scheduled", or "add" (adding an application)
    entries: list[LogEntry] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    path: str = ""
    auth_status: str = ""
    ended_well: bool = False

    @property
    def start(self) -> datetime | None:
        return next((e.time for e in self.entries if e.time), None)

    @property
    def end(self) -> datetime | None:
        return next((e.time for e in reversed(self.entries) if e.time), None)

    @property
    def signature(self) -> Signature:
        text = " ".join(e.text for e in self.entries)
        codes = tuple(sorted({"0x" + c[2:].upper() if c.lower().startswith("0x") else c for c in self.codes} - {"QBWC1031"}))
        if "Not a valid username and password" in text or self.auth_status.casefold() == "nvu":
            outcome = "invalid user"
        elif "QBWC1030" in codes or "Enter a password" in text:
            outcome = "no password"
        elif "No data to exchange" in text or self.auth_status.casefold() == "none":
            outcome = "no work"
        elif codes or "Update completed with errors" in text:
            outcome = "failed"
        elif self.ended_well or "has COMPLETED" in text or "has been added to QuickBooks." in text:
            outcome = "succeeded"
        else:
            outcome = "unfinished"
        return Signature(outcome, codes, self.callbacks[-1] if self.callbacks else "")

    @property
    def failed(self) -> bool:
        return self.signature.outcome not in ("succeeded", "no work", "unfinished")


@dataclass(frozen=True)
class Gap:
    app: str
    after: datetime
    before: datetime
    usual_minutes: float


def split_sessions(log: ParsedLog) -> list[Session]:
    sessions: list[Session] = []
    current: Session | None = None
    restarts = sorted(line for line, *_ in log.starts)

    def begin(app: str, trigger: str) -> Session:
        session = Session(app, trigger)
        sessions.append(session)
        return session

    for entry in log.entries:
        if current is not None and any(current.entries[-1].number < line < entry.number for line in restarts):
            current = None  # the Web Connector restarted in between
        text = entry.message
        manual, scheduled, no_password = _MANUAL.search(text), _SCHEDULED.search(text), _NO_PASSWORD.search(text)
        unnamed = current is not None and current.app == "?" and current.trigger == "scheduled" and not current.callbacks
        if "Password management - Started" in text:
            current = begin("?", "scheduled")  # named by the lines that follow
        elif _ADDING.search(text):
            current = begin("?", "add")  # adding an application, named by "Application name = "
        elif manual:
            current = begin(manual.group(1), "manual")
        elif scheduled or no_password:
            app = (scheduled or no_password).group(1).strip()
            if unnamed:
                current.app = app
            else:
                current = begin(app, "scheduled")
        elif current is None and "QBWC1031" in text and sessions and sessions[-1].trigger == "scheduled":
            current = sessions[-1]  # published logs write DoUpdate's line first, then QBWC1031
        elif current is None:
            current = begin("?", "manual")
        named = _ADDED_NAME.search(text)
        if named and current.app == "?":
            current.app = named.group(1).strip()
        current.entries.append(entry)
        whole = entry.text
        current.callbacks += _CALLING.findall(whole)
        current.codes += _CODE.findall(whole) + _HRESULT.findall(whole)
        auth = _AUTH.search(whole)
        if auth:
            current.auth_status = auth.group(1)
        path = _PATH.search(whole)
        if path and not current.path:
            current.path = path.group(1)
        if "has COMPLETED" in whole or "Update session has ended." in whole or whole.endswith("update completed."):
            current.ended_well = True
        if _END.search(whole):
            current = None
    return [s for s in sessions if s.app != "?" or s.callbacks or s.codes]


def gaps(sessions: list[Session], factor: float = 3.0) -> list[Gap]:
    """Scheduled runs that never happened: a pause between two scheduled runs of an app
    more than `factor` times its usual interval."""
    found = []
    by_app: dict[str, list[datetime]] = {}
    for session in sessions:
        if session.trigger == "scheduled" and session.start:
            by_app.setdefault(session.app, []).append(session.start)
    for app, times in by_app.items():
        times.sort()
        intervals = [(b - a).total_seconds() / 60 for a, b in zip(times, times[1:]) if b > a]
        if len(intervals) < 3:
            continue
        usual = statistics.median(intervals)
        for a, b in zip(times, times[1:]):
            if usual > 0 and (b - a) > timedelta(minutes=usual * factor):
                found.append(Gap(app, a, b, usual))
    return found


def similarity(a: Signature, b: Signature) -> float:
    """0..1: the same outcome counts most, then the same codes, then the same last callback."""
    score = 0.5 if a.outcome == b.outcome else 0.0
    codes_a, codes_b = set(a.codes), set(b.codes)
    if codes_a or codes_b:
        score += 0.35 * len(codes_a & codes_b) / len(codes_a | codes_b)
    else:
        score += 0.35
    score += 0.15 if a.last_callback == b.last_callback else 0.0
    return round(score, 3)
