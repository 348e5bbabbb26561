"""Moments inside an update session, for timeline actions: "the 2nd sendRequestXML of a scheduled update".

A scenario's timeline action may wait, from its `at` time on, for a moment inside an update
session rather than a clock time, so that a power cut, a sleep, a rename or a person opening
the file lands where it matters: between QuickBooks adding a record and the service hearing of
it, say, a window of a second that no clock time reliably hits. A moment names a state of the
session (`sim.webconnector.update_session`) in Intuit's words (the callback it makes, or the
SDK call: BeginSession, ProcessRequest), which time the session enters it, the kind of update
(scheduled, manual, or any) and, optionally, the computer:

    the 2nd sendRequestXML of a scheduled update
    the 1st ProcessRequest of an update on FILESRV
    the 1st receiveResponseXML for an InvoiceAdd of a scheduled update

(ProcessRequest and receiveResponseXML know their qbXML request as they begin: "for an InvoiceAdd"
counts only the times they carry one.)
The action happens as the session enters that state, before the state does anything: the first
update after `at` that gets there (a session already under way counts, its states counted from
its start). One that never gets there leaves the action undone. The session waits for the action
at that instant (a zero-length wait, only when something is waiting for it), so an action that
stops the computer interrupts the session there; sessions nobody waits for run as before.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import simpy

    from sim.parts import UpdateSession, World

__all__ = [
    "STATE_WORDS",
    "Moment",
    "parse_moment",
    "watch",
    "entered",
    "session_label",
    "state_label",
    "request_of",
    "MAX_OCCURRENCE",
]

#: The session's states (method names of UpdateSession) in Intuit's words: the callback each
#: makes (PG ch.2), or the SDK call (BeginSession, ProcessRequest), or the log's (getLock).
STATE_WORDS = {
    "start": "start",
    "server_version": "serverVersion",
    "client_version": "clientVersion",
    "authenticate": "authenticate",
    "connect_to_quickbooks": "BeginSession",
    "take_app_lock": "getLock",
    "connection_error": "connectionError",
    "send_request": "sendRequestXML",
    "process_request": "ProcessRequest",
    "receive_response": "receiveResponseXML",
    "get_last_error": "getLastError",
    "interactive": "getInteractiveURL",
    "close": "closeConnection",
}
_STATE_OF_WORD = {word.casefold(): state for state, word in STATE_WORDS.items()}
#: A session makes at most this many exchanges (update_session.MAX_EXCHANGES).
MAX_OCCURRENCE = 10_000
_PHRASE = re.compile(
    r"^\s*the\s+(?P<n>\d{1,6})(?:st|nd|rd|th)\s+(?P<word>\w+)(?:\s+for\s+an?\s+(?P<request>[A-Za-z]+))?"
    r"\s+of\s+(?:a|an|any)\s+(?:(?P<trigger>scheduled|manual)\s+)?update(?:\s+on\s+(?P<host>[\w.-]+))?\s*$",
    re.IGNORECASE,
)
#: States that know which qbXML request they carry as they begin: a moment may name it ("the 1st
#: receiveResponseXML for an InvoiceAdd"), counting only those.
_WITH_REQUEST = ("process_request", "receive_response")
EXAMPLE = "the 2nd sendRequestXML of a scheduled update"
MAX_PHRASE = 200  # (the schema's maxLength for `during`)


@dataclass(frozen=True)
class Moment:
    occurrence: int  # 1 = the first time the session enters the state
    state: str  # UpdateSession's method name
    trigger: str = ""  # "scheduled", "manual", or "" for any update
    host: str = ""  # "" for any computer
    request: str = ""  # the qbXML request (InvoiceAdd, CustomerQuery, ...) it carries, or "" for any

    def text(self) -> str:
        n = self.occurrence
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        kind = f"a {self.trigger} update" if self.trigger else "an update"
        request = f" for {'an' if self.request[:1] in 'AEIOU' else 'a'} {self.request}" if self.request else ""
        return f"the {n}{suffix} {STATE_WORDS[self.state]}{request} of {kind}" + (
            f" on {self.host}" if self.host else ""
        )

    def matches(self, session: UpdateSession, state: str, visits: int, request: str, request_visits: int) -> bool:
        """Whether entering `state` (its `visits`th time; the `request_visits`th time with `request`)
        is this moment."""
        if (
            state != self.state
            or (self.trigger and self.trigger != session.trigger)
            or (self.host and self.host.casefold() != session.host.name.casefold())
        ):
            return False
        if not self.request:
            return visits == self.occurrence
        return request == self.request and request_visits == self.occurrence


def parse_moment(text: str) -> Moment:
    """A moment from its phrase; ValueError naming what is wrong."""
    if len(str(text)) > MAX_PHRASE:
        raise ValueError(f"a moment of a session is at most {MAX_PHRASE} characters, like {EXAMPLE!r}")
    match = _PHRASE.match(str(text))
    if not match:
        raise ValueError(f"{str(text)[:80]!r} is not a moment of a session like {EXAMPLE!r}")
    word = match["word"]
    state = _STATE_OF_WORD.get(word.casefold())
    if state is None:
        close = difflib.get_close_matches(word, list(STATE_WORDS.values()), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"{word!r} is not a state of an update session{hint}; known: {', '.join(STATE_WORDS.values())}"
        )
    occurrence = int(match["n"])
    if not 1 <= occurrence <= MAX_OCCURRENCE:
        raise ValueError(f"the {occurrence}th {word}: a session enters a state between 1 and {MAX_OCCURRENCE:,} times")
    request = match["request"] or ""
    if request and state not in _WITH_REQUEST:
        raise ValueError(
            f"{word} begins before its request is known: only "
            f"{' and '.join(STATE_WORDS[s] for s in _WITH_REQUEST)} may name one ('for an "
            f"{request}')"
        )
    return Moment(occurrence, state, (match["trigger"] or "").lower(), match["host"] or "", request.removesuffix("Rq"))


def watch(world: World, moment: Moment) -> simpy.Event:
    """An event that fires (with the session as its value) when a session reaches `moment`."""
    event = world.env.event()
    world.session_watchers.append((moment, event))
    return event


def entered(session: UpdateSession, state: str, visits: int) -> bool:
    """The session enters `state` for the `visits`th time: fire what waits for that moment.
    True if something did (the session then lets it happen before going on)."""
    watchers = session.world.session_watchers
    request = request_of(session)
    request_visits = 0
    if request:  # counted once per entry, whatever waits for it (two equal moments see the same count)
        key = (state, request)
        session.visits_for[key] = request_visits = session.visits_for.get(key, 0) + 1
    fired = [entry for entry in watchers if entry[0].matches(session, state, visits, request, request_visits)]
    for entry in fired:
        watchers.remove(entry)
        entry[1].succeed(session)
    return bool(fired)


_REQUEST = re.compile(r"<(?!QBXMLMsgs)(\w+)Rq\b")


def request_of(session: UpdateSession) -> str:
    """The kind of qbXML request the session exchanges now ("InvoiceAdd"; "" if none)."""
    if session.state not in _WITH_REQUEST or not session.request:
        return ""
    found = _REQUEST.search(session.request)
    return found.group(1) if found else ""


def session_label(session: UpdateSession) -> str:
    """The session's state in Intuit's words, with the kind of qbXML request QuickBooks is processing or
    answering ("receiveResponseXML (InvoiceAdd)")."""
    word = STATE_WORDS.get(session.state, session.state)
    request = request_of(session)
    return f"{word} ({request})" if request else word


def state_label(world: World) -> str:
    """Where the office's update sessions are now: each running session's label ("" if none runs)."""
    return ", ".join(sorted(session_label(session) for session in world.update_sessions))
