"""The World: one simulation, with its clock, its randomness, its trace and its actors.

A `World` owns the SimPy environment (time unit: one simulated second), a
calendar clock that turns simulated seconds into local `datetime`s, one seeded
`random.Random` and a Faker seeded from it, the trace, the network of Windows
hosts, and the STRATAFOLIO service. Nothing inside a world reads the wall clock,
the global `random` module or process state, so the same seed gives the same
trace byte for byte in any process (DESIGN.md principle 2).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Generator
from datetime import datetime, timedelta
from heapq import heappop
from typing import TYPE_CHECKING, Any

import simpy
from faker import Faker
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import EventPriority

from sim.errors import ConfigurationError, LivelockError, UnknownHostError
from sim.trace import Trace

if TYPE_CHECKING:
    from sim.quickbooks.desktop import QuickBooksDesktop
    from sim.webconnector.connector import WebConnector
    from sim.webconnector.log import QwcLog
    from sim.windows.host import Host

__all__ = ["World", "DEFAULT_START", "next_moment", "MAX_EVENTS_AT_ONE_INSTANT", "EARLIEST_START", "LATEST_END"]

#: Monday 5 January 2026, 07:00 local time: a working week starts right away.
DEFAULT_START = datetime(2026, 1, 5, 7, 0, 0)

#: The livelock guard: this many events at one simulated instant stop the run. A real
#: office never comes near it (a busy same-instant cascade is a few dozen events);
#: a process that loops without letting time pass reaches it in about a second.
MAX_EVENTS_AT_ONE_INSTANT = 100_000
#: The calendar a simulation may cover: dates a Windows office can have, with room
#: for Python's date arithmetic (years 1 and 9999 overflow it).
EARLIEST_START = datetime(1990, 1, 1)
LATEST_END = datetime(2199, 12, 31, 23, 59, 59)

_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_AT_PATTERN = re.compile(
    r"^\s*(?:(?P<day>[A-Za-z]{3})[a-z]*\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*$"
)


def next_moment(spec: str, now: datetime) -> datetime:
    """The next moment matching `spec` at or after `now`.

    `spec` is an ISO date-time ("2026-01-06 09:00"), a clock time ("09:00", today
    or tomorrow) or a weekday and time ("Mon 09:00").
    """
    text = str(spec).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if moment.tzinfo is not None:
            raise ConfigurationError(
                f"cannot read time {spec!r}: time zones are not modelled; give the office's local "
                "time without an offset"
            )
        if not EARLIEST_START <= moment <= LATEST_END:
            raise ConfigurationError(
                f"cannot read time {spec!r}: outside the years "
                f"{EARLIEST_START.year}-{LATEST_END.year} a simulation may cover"
            )
        return moment
    match = _AT_PATTERN.match(text)
    if not match:
        raise ConfigurationError(f"cannot read time {spec!r}: use 'HH:MM', 'Mon HH:MM' or 'YYYY-MM-DD HH:MM'")
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ConfigurationError(f"cannot read time {spec!r}: no such clock time")
    candidate = now.replace(hour=hour, minute=minute, second=second, microsecond=0)
    if match["day"]:
        day = match["day"].lower()
        if day not in _WEEKDAYS:
            raise ConfigurationError(f"cannot read time {spec!r}: unknown weekday {match['day']!r}")
        candidate += timedelta(days=(_WEEKDAYS.index(day) - now.weekday()) % 7)
        if candidate < now:
            candidate += timedelta(days=7)
    elif candidate < now:
        candidate += timedelta(days=1)
    return candidate


class _GuardedEnvironment(simpy.Environment):
    """A SimPy environment that refuses to spin: more than `MAX_EVENTS_AT_ONE_INSTANT`
    events without the clock moving raise `LivelockError` naming the process that
    keeps being resumed. `step` is SimPy's own, with one counter added (a call to
    the parent's would cost a Python call per event on the hot path)."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self._world = world
        self._events_at_now = 0
        self._guard_now = -1.0

    def step(self) -> None:
        try:
            self._now, _, _, event = heappop(self._queue)
        except IndexError:
            raise EmptySchedule from None
        if self._now == self._guard_now:
            self._events_at_now += 1
            if self._events_at_now > MAX_EVENTS_AT_ONE_INSTANT:
                raise LivelockError(self._livelock_message(event))
        else:
            self._guard_now, self._events_at_now = self._now, 0
        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]  # simpy marks a processed event with None
        try:
            for callback in callbacks:
                callback(event)
        except StopSimulation:
            event.callbacks = callbacks[callbacks.index(callback) + 1 :]
            self.schedule(event, EventPriority(-1))
            raise
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc

    def _livelock_message(self, event: simpy.Event) -> str:
        spinning = sorted({_process_name(callback) for callback in (event.callbacks or ())} - {""}) or [
            "an unnamed event"
        ]
        return (
            f"the simulation stopped at {self._world.now:%Y-%m-%d %H:%M:%S}: "
            f"{MAX_EVENTS_AT_ONE_INSTANT:,} events without "
            f"the simulated clock moving; the process that spins: {', '.join(spinning)}"
        )


def _process_name(callback: Any) -> str:
    owner = getattr(callback, "__self__", None)
    generator = getattr(owner, "_generator", None)
    if generator is None:
        return ""
    frame = getattr(generator, "gi_frame", None)
    owner_object = frame.f_locals.get("self") if frame is not None else None
    where = f" of {owner_object.actor}" if owner_object is not None and hasattr(owner_object, "actor") else ""
    return f"{generator.__qualname__}{where}"


def _nth_sunday(year: int, month: int, n: int) -> datetime:
    first = datetime(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


@functools.lru_cache(maxsize=64)
def _daylight_saving(year: int) -> tuple[datetime, datetime]:
    """When daylight saving begins and ends in a year, local time (the log asks once a simulated second)."""
    return _nth_sunday(year, 3, 2).replace(hour=2), _nth_sunday(year, 11, 1).replace(hour=2)


_SUMMER, _WINTER = timedelta(hours=4), timedelta(hours=5)


def to_utc(local: datetime) -> datetime:
    """UTC of an office's local time. Assumed: offices keep US Eastern time (STRATAFOLIO's
    customers are in the US), with daylight saving from the second Sunday of March to the
    first Sunday of November at 2:00 (the US rule since 2007): UTC-4 then, UTC-5 otherwise."""
    begins, ends = _daylight_saving(local.year)
    return local + (_SUMMER if begins <= local < ends else _WINTER)


class World:
    """One deterministic simulation."""

    def __init__(self, seed: int = 0, start: datetime = DEFAULT_START) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ConfigurationError(f"seed must be an integer, got {seed!r}")
        if not isinstance(start, datetime) or start.tzinfo is not None:
            raise ConfigurationError("start must be a naive datetime in the simulated local time")
        if not EARLIEST_START <= start <= LATEST_END:
            raise ConfigurationError(
                f"start {start:%Y-%m-%d %H:%M} is outside the years "
                f"{EARLIEST_START.year}-{LATEST_END.year} a simulation may cover"
            )
        self.seed = seed
        self.start = start
        self.env = _GuardedEnvironment(self)
        self.random = random.Random(seed)
        self.faker = Faker("en_US")
        # Derived from the world's own random source, so one seed fixes everything.
        self.faker.seed_instance(self.random.getrandbits(32))
        self.trace = Trace(start)
        self.hosts: dict[str, Host] = {}
        from sim.windows.network import Network  # late: network imports host types

        self.network = Network(self)
        from sim.quickbooks.open_files import OpenCompanyFiles

        self.open_company_files = OpenCompanyFiles(self.env)
        #: The simulated internet: web services by URL, reached by in-process transports,
        #: and other pages by URL with the HTTP status a GET gets (a QWC's CertURL, say).
        self.web_services: dict[str, Any] = {}
        self.web_pages: dict[str, int] = {}
        self._stratafolio = None
        self._guid_random = random.Random(self.random.getrandbits(64))
        #: How long things take that vary in the field (QuickBooks starting, Auto-Run's drift):
        #: a stream of its own, so drawing them leaves every other draw of the seed unchanged.
        self._timing_random = random.Random(self.random.getrandbits(64))
        #: Update sessions under way, and timeline actions waiting for a moment inside one
        #: (sim.webconnector.session_moments).
        self.update_sessions: list[Any] = []
        self.session_watchers: list[Any] = []

    # --- clock -----------------------------------------------------------------
    @property
    def seconds(self) -> float:
        return self.env.now

    @property
    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.env.now)

    def at(self, spec: str | datetime) -> float:
        """Simulated seconds of the next moment matching `spec`, at or after now
        (see `next_moment` for the forms `spec` may take)."""
        return self._seconds_of(spec if isinstance(spec, datetime) else next_moment(spec, self.now))

    def after(self, **delta: float) -> float:
        """Simulated seconds of now plus a timedelta given as keywords (minutes=5)."""
        try:
            return self.env.now + timedelta(**delta).total_seconds()
        except TypeError as error:
            raise ConfigurationError(f"after(): {error}") from None

    def _seconds_of(self, moment: datetime) -> float:
        seconds = (moment - self.start).total_seconds()
        if seconds < self.env.now:
            raise ConfigurationError(
                f"{moment:%Y-%m-%d %H:%M:%S} is in the simulated past (now {self.now:%Y-%m-%d %H:%M:%S})"
            )
        return seconds

    def wait_until(self, spec: str | datetime | float) -> simpy.Event:
        """An event that fires at the given moment (seconds, datetime or `at` spec)."""
        target = spec if isinstance(spec, (int, float)) else self.at(spec)
        return self.env.timeout(max(0.0, target - self.env.now))

    # --- running -----------------------------------------------------------------
    def process(self, generator: Generator[Any, Any, Any]) -> simpy.Process:
        return self.env.process(generator)

    def run(self, until: str | datetime | float | None = None, **delta: float) -> None:
        """Run the simulation until a moment (as `at` reads it) or for a duration."""
        if delta:
            target = self.after(**delta)
        elif until is None:
            self.env.run()
            return
        elif isinstance(until, (int, float)):
            target = float(until)
        else:
            target = self.at(until)
        if target > self.env.now:
            self.env.run(until=target)

    def run_until_done(self, event: simpy.Event, limit_minutes: int) -> bool:
        """Run minute by minute until `event` has happened or `limit_minutes` have passed;
        whether it happened (a step that waits for one update never runs unbounded)."""
        for _ in range(limit_minutes):
            if event.triggered:
                break
            self.run(minutes=1)
        return event.triggered

    @property
    def utc_now(self) -> datetime:
        """The simulated time in UTC, as QWCLog.txt stamps it (FIELD: published logs, whose
        messages carry the local time beside)."""
        return to_utc(self.now)

    # --- randomness ------------------------------------------------------------
    def new_guid(self) -> str:
        """A random (RFC 4122 version 4) GUID in the `{XXXXXXXX-XXXX-...}` form QWC files use,
        from the world's seed."""
        bits = self._guid_random.getrandbits(128)
        bits = (bits & ~(0xF << 76) | (0x4 << 76)) & ~(0x3 << 62) | (0x2 << 62)  # version 4, variant 10
        value = f"{bits:032X}"
        return "{" + f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}" + "}"

    def new_ticket(self) -> str:
        """A session ticket as Intuit's sample service makes one: a lowercase GUID without braces."""
        return self.new_guid()[1:-1].lower()

    def varied(self, typical: float, spread: float) -> float:
        """A duration that varies around `typical` by up to `spread` either way (uniform), from
        the world's seed: what takes "about 8 seconds" in published logs never takes exactly 8."""
        return max(0.0, typical + (self._timing_random.random() * 2 - 1) * spread)

    # --- trace -----------------------------------------------------------------
    def record(self, actor: str, kind: str, source: str = "", **details: Any):
        return self.trace.append(self.env.now, actor, kind, details, source)

    @property
    def stratafolio(self):
        """The STRATAFOLIO service of this world (created on first use)."""
        if self._stratafolio is None:
            from sim.stratafolio.service import StratafolioService

            self._stratafolio = StratafolioService(self)
        return self._stratafolio

    # --- hosts -----------------------------------------------------------------
    def add_host(self, host: Host) -> Host:
        key = host.name.upper()
        if key in self.hosts:
            raise ConfigurationError(f"a host named {host.name!r} already exists")
        self.hosts[key] = host
        return host

    def misbehaving_transport(self, service: Any, style: str) -> Any:
        """How a Web Connector reaches a service while it misbehaves or its address serves no SOAP
        (sim.stratafolio.misbehaviour): through its web server and SOAP text. The world, above both,
        wires the one to the other."""
        from sim.stratafolio.misbehaviour import ServiceTransport

        return ServiceTransport(service, style)

    def default_web_connector_version(self) -> str:
        """The Web Connector a new host has installed: the simulated one's own version (the standalone 2.3)."""
        from sim.webconnector.update_session import CLIENT_VERSION

        return CLIENT_VERSION

    def add_workstation(self, name: str, **options: Any) -> Host:
        from sim.windows.host import Host

        return Host(self, name, role="workstation", **options)

    def add_server(self, name: str, **options: Any) -> Host:
        from sim.windows.host import Host

        return Host(self, name, role="server", **options)

    def host(self, name: str) -> Host:
        try:
            return self.hosts[name.upper()]
        except KeyError:
            known = ", ".join(h.name for h in self.hosts.values()) or "none"
            raise UnknownHostError(f"no host named {name!r} (hosts: {known})") from None

    # --- a host's programs: the host asks for them when first used; the world, above both, makes them ---
    def new_quickbooks(self, host: Host, remote_user: str | None = None) -> QuickBooksDesktop:
        from sim.quickbooks.desktop import QuickBooksDesktop

        return QuickBooksDesktop(host, remote_user=remote_user)

    def new_web_connector(self, host: Host, user: str, version: str) -> WebConnector:
        from sim.webconnector.connector import WebConnector

        return WebConnector(host, user, version)

    def new_qwc_log(self, host: Host) -> QwcLog:
        from sim.webconnector.log import QwcLog

        return QwcLog(host)
