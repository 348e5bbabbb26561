"""The trace: an append-only record of what happened in one simulated world.

Every actor reports what it did as a `TraceEvent` (simulated time, actor, kind,
details, and the provenance of the rule that produced it: PG, ART, SDK or
assumed, see DOMAIN.md). The trace is the simulator's single source of evidence:
tests, Gherkin steps and the claims report all read it, and its rendering is
byte-identical for the same seed, which is what the determinism tests compare.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["TraceEvent", "Trace", "PROVENANCE"]

#: The provenance labels a modelled rule may carry (DOMAIN.md, principle 3).
PROVENANCE = {
    "PG": "QuickBooks Web Connector Programmer's Guide",
    "ART": "STRATAFOLIO help article (Web Connector do's and don'ts)",
    "SDK": "QuickBooks SDK HRESULTs and status codes",
    "FIELD": "a public field report (integrator's issue tracker, vendor FAQ, published QWCLog.txt)",
    "assumed": "assumption of this simulator (no public source)",
    "": "bookkeeping of the simulation itself",
}


class TraceEvent:
    """One thing that happened: simulated time, actor, kind, details (name, value pairs in the
    order the actor gave them, so rendering never depends on dict or set order) and provenance.

    Compact by design, since a year of an office is millions of events: the detail names are
    one tuple shared by every event with the same names, the values a tuple of their own, and
    the time is computed from the seconds when asked for."""

    __slots__ = ("seq", "seconds", "actor", "kind", "names", "values", "source", "_start")
    seq: int
    seconds: float
    actor: str
    kind: str
    names: tuple[str, ...]
    values: tuple[Any, ...]
    source: str
    _start: datetime

    def __init__(
        self,
        seq: int,
        seconds: float,
        start: datetime,
        actor: str,
        kind: str,
        names: tuple[str, ...],
        values: tuple[Any, ...],
        source: str = "",
    ) -> None:
        set_ = object.__setattr__  # events are immutable: __setattr__ refuses
        set_(self, "seq", seq)
        set_(self, "seconds", seconds)
        set_(self, "_start", start)
        set_(self, "actor", actor)
        set_(self, "kind", kind)
        set_(self, "names", names)
        set_(self, "values", values)
        set_(self, "source", source)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a trace event cannot be changed ({name}): events are facts")

    def __repr__(self) -> str:
        return (
            f"TraceEvent(seq={self.seq}, seconds={self.seconds}, actor={self.actor!r}, "
            f"kind={self.kind!r}, details={self.details!r}, source={self.source!r})"
        )

    @property
    def time(self) -> datetime:
        return self._start + timedelta(seconds=self.seconds)

    @property
    def details(self) -> tuple[tuple[str, Any], ...]:
        return tuple(zip(self.names, self.values, strict=False))

    def get(self, name: str, default: Any = None) -> Any:
        for key, value in zip(self.names, self.values, strict=False):
            if key == name:
                return value
        return default

    def line(self) -> str:
        """The event as one line of the readable timeline."""
        parts = " ".join(f"{k}={_text(v)}" for k, v in zip(self.names, self.values, strict=False))
        source = f"  [{self.source}]" if self.source else ""
        return f"{self.time:%Y-%m-%d %H:%M:%S}  {self.actor:<28} {self.kind:<26} {parts}{source}".rstrip()

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time.isoformat(),
            "actor": self.actor,
            "kind": self.kind,
            "details": dict(zip(self.names, self.values, strict=False)),
            "source": self.source,
        }


_SPILL_ENCODER = json.JSONEncoder(default=str)


def _text(value: Any) -> str:
    text = str(value)
    return f'"{text}"' if (" " in text or text == "") else text


class Trace:
    """The ordered events of one world."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._events: list[TraceEvent] = []
        self._appended = 0
        self._keep: int | None = None
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._spill: Any = None  # the open file older events were written to (see spill_to)
        self._spilled = 0  # how many events are in that file and no longer in memory
        #: The first error writing the spill file (a disk that filled up): the simulation goes on
        #: undisturbed (it must not see the error as one of its own), and whoever asked for the
        #: file reports it at the end instead of verdicts read from a file that lacks events.
        self.spill_error: OSError | None = None

    def spill_to(self, path: str | Path, keep: int = 10_000) -> None:
        """Stream the trace to `path` and hold only about the last `keep` events in memory, for
        runs too long to hold (a year of an office is millions of events). Reading the trace
        (iterating, `select`, `jsonl`, `text`) reads the file back, so it gives the same events."""
        if keep < 1:
            raise ValueError("spill_to needs a positive number of events to keep")
        if self._spill is not None or self._spilled or self._keep is not None:
            raise ValueError("the trace already spills or trims its events")
        self._spill = open(path, "w+", encoding="utf-8")  # noqa: SIM115 - open for the life of the trace
        self._spill_keep = keep

    def _spill_oldest(self, keep: int | None = None) -> None:
        cut = len(self._events) - (self._spill_keep if keep is None else keep)
        # Each event as `jsonl` writes it (details in their order), with its simulated second to
        # read it back exactly; one encoder for all (json.dumps makes one per call).
        encode = _SPILL_ENCODER.encode
        if self.spill_error is None:
            try:
                self._spill.write(
                    "".join(
                        encode({**event.as_dict(), "seconds": event.seconds}) + "\n" for event in self._events[:cut]
                    )
                )
            except OSError as error:
                self.spill_error = error
        del self._events[:cut]
        self._spilled += cut

    def spill_all(self) -> None:
        """Write every event still in memory to the spill file too: the file is the whole trace."""
        if self._spill is not None:
            self._spill_oldest(keep=0)
            try:
                self._spill.flush()
            except OSError as error:
                self.spill_error = self.spill_error or error

    def _spilled_events(self) -> Iterator[TraceEvent]:
        if not self._spilled:
            return
        self._spill.flush()
        with open(self._spill.name, encoding="utf-8") as reading:
            for line in reading:
                event = json.loads(line)
                names = tuple(event["details"])
                yield TraceEvent(
                    event["seq"],
                    event["seconds"],
                    self.start,
                    event["actor"],
                    event["kind"],
                    self._names.setdefault(names, names),
                    tuple(event["details"].values()),
                    event["source"],
                )

    def keep_last(self, count: int) -> None:
        """Hold only about the last `count` events (at most twice that between trims):
        for a process that runs for as long as it is left running, like `wcsim serve`.
        Sequence numbers keep counting, so a reader sees what was dropped."""
        if count < 1:
            raise ValueError("keep_last needs a positive count")
        self._keep = count

    @property
    def appended(self) -> int:
        """Events appended since the start, including those `keep_last` dropped."""
        return self._appended

    def append(self, seconds: float, actor: str, kind: str, details: dict[str, Any], source: str = "") -> TraceEvent:
        if source not in PROVENANCE:
            raise ValueError(f"unknown provenance {source!r}; use one of {sorted(PROVENANCE)}")
        if self._keep is not None and len(self._events) >= 2 * self._keep:
            del self._events[: len(self._events) - self._keep]
        elif self._spill is not None and len(self._events) >= 2 * self._spill_keep:
            self._spill_oldest()
        self._appended += 1
        names = tuple(details)
        names = self._names.setdefault(names, names)  # one tuple per set of detail names
        event = TraceEvent(self._appended - 1, seconds, self.start, actor, kind, names, tuple(details.values()), source)
        self._events.append(event)
        return event

    def __len__(self) -> int:
        return self._spilled + len(self._events)

    def __iter__(self) -> Iterator[TraceEvent]:
        if self._spilled:
            return itertools.chain(self._spilled_events(), self._events)
        return iter(self._events)

    def __getitem__(self, index: int) -> TraceEvent:
        if index < 0 or not self._spilled:
            return self._events[index]
        if index >= self._spilled:
            return self._events[index - self._spilled]
        return next(itertools.islice(self._spilled_events(), index, None))

    def select(
        self, kind: str | None = None, actor: str | None = None, since: int = 0, **details: Any
    ) -> list[TraceEvent]:
        """Events matching a kind (exact, or a prefix ending in '.'), an actor, and detail values."""
        found = []
        events = (
            self._events[since - self._spilled :]
            if since >= self._spilled
            else itertools.islice(iter(self), since, None)
        )
        for event in events:
            if kind is not None and not (event.kind == kind or (kind.endswith(".") and event.kind.startswith(kind))):
                continue
            if actor is not None and event.actor != actor:
                continue
            if any(event.get(k) != v for k, v in details.items()):
                continue
            found.append(event)
        return found

    def text(self, events: Iterable[TraceEvent] | None = None) -> str:
        return "\n".join(e.line() for e in (self if events is None else events)) + "\n"

    def tail(self, count: int = 12) -> str:
        return self.text(self._events[-count:])

    def jsonl(self) -> str:
        return "".join(json.dumps(e.as_dict(), sort_keys=True, default=str) + "\n" for e in self)
