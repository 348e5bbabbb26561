"""A Windows host: a workstation or server with power states, users, disks and a registry.

A host is on, asleep or off. Programs of a host (Web Connector's scheduler, an
update session, QuickBooks work) run as SimPy processes started with
`Host.spawn`; when the host goes to sleep, shuts down or its Windows user logs
out, every such process is interrupted with a `HostInterruption`, and none runs
again until the host is back (DOMAIN.md section 7: no Auto-Run while off, asleep
or logged out). Each host carries its own `HostFilesystem` and `Registry`; its
QuickBooks application and Web Connector are created on first use, by the world
(which sits above them: this module names them only through sim.parts).

A server also takes Remote Desktop sessions: each connected Windows user has a
session of their own, with their own QuickBooks, beside the console session
where Web Connector runs. Programs in one session cannot see QuickBooks in
another (FIELD: terminal-server reports in DOMAIN.md section 9), so a person
working over Remote Desktop is, for the Web Connector, a person elsewhere.
"""

from __future__ import annotations

import enum
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim.errors import ConfigurationError, HostUnavailableError
from sim.windows.filesystem import HostFilesystem
from sim.windows.registry import Registry

if TYPE_CHECKING:
    from sim.parts import QuickBooksDesktop, QwcLog, WebConnector, World

__all__ = ["Host", "PowerState", "HostInterruption", "ENDED"]


class PowerState(enum.Enum):
    ON = "on"
    ASLEEP = "asleep"
    OFF = "off"


#: The reason a program's processes are given when it is ended in Task Manager or crashes.
ENDED = "ended in Task Manager"


@dataclass(frozen=True)
class HostInterruption:
    """The cause given to processes interrupted because their host stopped running them."""

    host: str
    reason: str  # "asleep", "off", "logged out", or ENDED (the program alone, not the host)

    def __str__(self) -> str:
        return f"{self.host} {self.reason}"


class Host:
    """One Windows computer of the simulated office."""

    def __init__(
        self,
        world: World,
        name: str,
        role: str = "workstation",
        drives: tuple[str, ...] = ("C",),
        windows_users: tuple[str, ...] = ("Administrator",),
        logged_in: str | None = None,
    ) -> None:
        if role not in ("workstation", "server"):
            raise ConfigurationError(f"host role must be 'workstation' or 'server', not {role!r}")
        if not name or not all(c.isalnum() or c in "-_" for c in name):
            raise ConfigurationError(f"host name {name!r} is not a valid Windows computer name")
        if "C" not in (drive.upper().rstrip(":") for drive in drives):
            raise ConfigurationError(
                f"{name}: drives {list(drives)} lack C:, the system drive every Windows computer "
                "has (Windows, ProgramData, Users)"
            )
        self.world = world
        self.name = name
        self.role = role
        self.fs = HostFilesystem(world, name, drives)
        self.registry = Registry(name)
        self.windows_users: tuple[str, ...] = tuple(windows_users)
        self.power = PowerState.ON
        self.logged_in: str | None = None
        self._processes: list[simpy.Process] = []
        self._process_names: dict[simpy.Process, tuple[str, str | None]] = {}  # what Task Manager shows
        self._waiting_for_session: list[tuple[simpy.Event, str | None]] = []
        self._quickbooks: QuickBooksDesktop | None = None
        #: Remote Desktop sessions besides the console's: Windows user -> their QuickBooks.
        self.remote_sessions: dict[str, QuickBooksDesktop] = {}
        self._web_connectors: dict[str, WebConnector] = {}
        #: Which Web Connector is installed: the standalone 2.x or the 33.0.x of QuickBooks 2024 and later.
        self.web_connector_version = world.default_web_connector_version()
        self._qwc_log: QwcLog | None = None
        from sim.windows.security_software import SecuritySoftware

        self.security = SecuritySoftware(self)
        world.add_host(self)
        world.record(name, "host.created", role=role, drives=",".join(d + ":" for d in self.fs.drives))
        if logged_in:
            self.log_in(logged_in)

    def __repr__(self) -> str:
        return f"<Host {self.name} {self.power.value} user={self.logged_in}>"

    # --- state ---------------------------------------------------------------------
    @property
    def is_on(self) -> bool:
        return self.power is PowerState.ON

    @property
    def has_session(self) -> bool:
        """On, awake, and a Windows user is logged in: desktop programs can run."""
        return self.is_on and self.logged_in is not None

    def has_session_of(self, user: str | None) -> bool:
        """On, awake, and `user` (anyone, if None) is the Windows user logged in."""
        return self.has_session and (
            user is None or (self.logged_in is not None and self.logged_in.casefold() == user.casefold())
        )

    def require_session(self, action: str, user: str | None = None) -> None:
        if not self.is_on:
            raise HostUnavailableError(f"{self.name} is {self.power.value}: cannot {action}")
        if self.logged_in is None:
            raise HostUnavailableError(f"nobody is logged in to {self.name}: cannot {action}")
        if user is not None and self.logged_in.casefold() != user.casefold():
            raise HostUnavailableError(f"{user} is not logged in to {self.name} ({self.logged_in} is): cannot {action}")

    # --- programs ------------------------------------------------------------------
    def spawn(self, generator: Generator[Any, Any, Any], name: str, user: str | None = None) -> simpy.Process:
        """Run a program of this host (in `user`'s Windows session, if given); it is
        interrupted when the host stops running programs."""
        self.require_session(f"start {name}", user)
        holder: list[simpy.Process] = []

        def supervised():
            try:
                return (yield from generator)
            except simpy.Interrupt as interrupt:
                if not isinstance(interrupt.cause, HostInterruption):
                    raise
                self.world.record(self.name, "program.interrupted", program=name, reason=interrupt.cause.reason)
                return None
            finally:
                if holder and holder[0] in self._processes:
                    self._processes.remove(holder[0])
                    self._process_names.pop(holder[0], None)

        process = self.world.env.process(supervised())
        holder.append(process)
        self._processes.append(process)
        self._process_names[process] = (name, user)
        return process

    def end_program(self, name_prefix: str, user: str | None = None, reason: str = ENDED) -> int:
        """Task Manager > End task (or the program crashing): every running process of the program is
        stopped where it is, without the chance to finish anything. Returns how many were running."""
        cause = HostInterruption(self.name, reason)
        ended = 0
        for process in list(self._processes):
            name, owner = self._process_names.get(process, ("", None))
            if (
                process.is_alive
                and name.startswith(name_prefix)
                and (user is None or (owner or "").casefold() == user.casefold())
            ):
                process.interrupt(cause)
                ended += 1
        self.world.record(
            self.name, "windows.program_ended", source="assumed", program=name_prefix, processes=ended, reason=reason
        )
        return ended

    def wait_for_session(self, user: str | None = None) -> simpy.Event:
        """An event that fires once the host is on, awake and `user` (anyone, if None) is logged in."""
        event = self.world.env.event()
        if self.has_session_of(user):
            event.succeed()
        else:
            self._waiting_for_session.append((event, user))
        return event

    def _stop_programs(self, reason: str) -> None:
        cause = HostInterruption(self.name, reason)
        for process in list(self._processes):
            if process.is_alive:
                process.interrupt(cause)
        if self._quickbooks is not None:
            self._quickbooks.on_host_stopped(reason)
        if reason != "asleep":
            for user in list(self.remote_sessions):
                self.disconnect_remote_desktop(user, reason)

    def _session_resumed(self) -> None:
        if self.has_session:
            ready = [(e, u) for e, u in self._waiting_for_session if self.has_session_of(u)]
            self._waiting_for_session = [w for w in self._waiting_for_session if w not in ready]
            for event, _ in ready:
                if not event.triggered:
                    event.succeed()

    # --- power ------------------------------------------------------------------------
    def sleep(self) -> None:
        if self.power is not PowerState.ON:
            return
        self.power = PowerState.ASLEEP
        self.world.record(self.name, "host.asleep", source="PG")
        self._stop_programs("asleep")

    def wake(self) -> None:
        if self.power is not PowerState.ASLEEP:
            return
        self.power = PowerState.ON
        self.world.record(self.name, "host.awake")
        self._session_resumed()

    def shut_down(self) -> None:
        if self.power is PowerState.OFF:
            return
        self.power = PowerState.OFF
        self.world.record(self.name, "host.off", source="PG")
        self._stop_programs("off")
        self._end_web_connector("off")
        self.logged_in = None

    def restart(self) -> None:
        """A Windows Update restart: the computer shuts down and starts again, and nobody logs in."""
        self.shut_down()
        self.boot()

    def boot(self, log_in: str | None = None) -> None:
        if self.power is not PowerState.OFF:
            return
        self.power = PowerState.ON
        self.world.record(self.name, "host.on")
        if log_in:
            self.log_in(log_in)

    def log_in(self, user: str) -> None:
        self._windows_user(user)
        if not self.is_on:
            raise HostUnavailableError(f"{self.name} is {self.power.value}: nobody can log in")
        if self.logged_in and self.logged_in.casefold() != user.casefold():
            self.log_out()
        self.logged_in = next(u for u in self.windows_users if u.casefold() == user.casefold())
        self.world.record(self.name, "windows.logged_in", user=self.logged_in)
        self._session_resumed()
        connector = self._web_connectors.get(self.logged_in.casefold())
        if connector is not None:
            connector.on_logged_in()

    def log_out(self) -> None:
        if self.logged_in is None:
            return
        self.world.record(self.name, "windows.logged_out", user=self.logged_in, source="PG")
        self._stop_programs("logged out")
        self._end_web_connector("logged out")
        self.logged_in = None

    def _end_web_connector(self, reason: str) -> None:
        connector = self._web_connectors.get((self.logged_in or "").casefold())
        if connector is not None:
            connector.on_session_ended(reason)

    # --- Remote Desktop ----------------------------------------------------------------
    def connect_remote_desktop(self, user: str) -> QuickBooksDesktop:
        """`user` connects over Remote Desktop and signs in: a Windows session of their own
        on this server, with its own QuickBooks (returned). The console's user connecting
        reconnects to the console session.

        Assumed: only servers (Remote Desktop Services) hold several sessions; Windows on a
        workstation has one interactive session, so there a connection is a log-in."""
        user = self._windows_user(user)
        if not self.is_on:
            raise HostUnavailableError(f"{self.name} is {self.power.value}: nobody can connect over Remote Desktop")
        if self.role != "server" or (self.logged_in and self.logged_in.casefold() == user.casefold()):
            if self.logged_in is None or self.logged_in.casefold() != user.casefold():
                self.log_in(user)
            return self.quickbooks
        key = user.casefold()
        if key not in self.remote_sessions:
            self.remote_sessions[key] = self.world.new_quickbooks(self, remote_user=user)
            self.world.record(self.name, "windows.remote_desktop_connected", source="FIELD", user=user)
        return self.remote_sessions[key]

    def disconnect_remote_desktop(self, user: str, reason: str = "signed out") -> None:
        """`user` signs out of their Remote Desktop session: its QuickBooks closes."""
        desktop = self.remote_sessions.pop(user.casefold(), None)
        if desktop is not None:
            desktop.on_host_stopped("logged out")
            self.world.record(self.name, "windows.remote_desktop_ended", user=desktop.remote_user, reason=reason)

    def has_remote_session(self, user: str) -> bool:
        return self.is_on and user.casefold() in self.remote_sessions

    def _windows_user(self, user: str) -> str:
        for known in self.windows_users:
            if known.casefold() == user.casefold():
                return known
        raise ConfigurationError(f"{self.name} has no Windows user {user!r} (users: {', '.join(self.windows_users)})")

    def add_windows_user(self, user: str) -> None:
        if user.casefold() not in (u.casefold() for u in self.windows_users):
            self.windows_users += (user,)

    def sleep_at_night(self, sleep_at: str = "19:00", wake_at: str = "07:00", weekends: bool = True) -> simpy.Process:
        """A power habit: the host goes to sleep every evening and wakes every morning
        (and, with `weekends`, sleeps from Friday evening to Monday morning)."""

        def habit():
            while True:
                yield self.world.wait_until(sleep_at)
                self.sleep()
                yield self.world.wait_until(wake_at)
                while weekends and self.world.now.weekday() >= 5:
                    yield self.world.env.timeout(1)  # step off wake_at so the next one is tomorrow
                    yield self.world.wait_until(wake_at)
                self.wake()

        return self.world.process(habit())

    def sleep_when_idle(self, minutes: int) -> simpy.Process:
        """A power habit: the host sleeps after `minutes` without anyone working at it
        (nobody has QuickBooks open here); a person arriving wakes it. Checked once a minute."""
        if minutes < 1:
            raise ConfigurationError(f"{self.name}: idle sleep needs at least 1 minute, not {minutes}")

        def habit():
            idle = 0
            while True:
                yield self.world.env.timeout(60)
                working = any(d.opened is not None and d.opened.use.by_person for d in self._all_quickbooks())
                idle = 0 if (working or not self.is_on) else idle + 60
                if idle >= minutes * 60:
                    self.sleep()
                    idle = 0

        return self.world.process(habit())

    # --- applications ---------------------------------------------------------------
    @property
    def quickbooks(self) -> QuickBooksDesktop:
        if self._quickbooks is None:
            self._quickbooks = self.world.new_quickbooks(self)
        return self._quickbooks

    def _all_quickbooks(self) -> list[QuickBooksDesktop]:
        console = [] if self._quickbooks is None else [self._quickbooks]
        return console + list(self.remote_sessions.values())

    @property
    def open_company_file(self):
        """The file open in this host's QuickBooks (None if QuickBooks is not running),
        without starting QuickBooks to find out."""
        return None if self._quickbooks is None else self._quickbooks.opened

    @property
    def qwc_log(self) -> QwcLog:
        """QWCLog.txt of this computer (under ProgramData: one for every Windows user)."""
        if self._qwc_log is None:
            self._qwc_log = self.world.new_qwc_log(self)
        return self._qwc_log

    def web_connector(self, windows_user: str | None = None) -> WebConnector:
        """The Web Connector of a Windows user on this host (the logged-in user by default)."""
        user = windows_user or self.logged_in or self.windows_users[0]
        if user.casefold() not in (u.casefold() for u in self.windows_users):
            raise ConfigurationError(f"{self.name} has no Windows user {user!r}")
        key = user.casefold()
        if key not in self._web_connectors:
            self._web_connectors[key] = self.world.new_web_connector(self, user, self.web_connector_version)
        return self._web_connectors[key]
