"""The state a Gherkin scenario carries from step to step, and its evidence.

A `ScenarioContext` holds one simulated office, built by the first Given that needs it
and added to by every Given after it (a second file, a second computer, another
vendor's application on the same file); a Given that contradicts what is there (two
computers with one name, a file linked twice) fails saying so. It also keeps where each
company file is now (renames and moves update it), the results of the last Update
Selected, the observation window the Then-steps look at (by default: since the first
When step of the last run of When steps), and the evidence the Then-steps collected.
`fail` raises an AssertionError that says what was expected, what the simulation did in
the window it looked at, and shows those trace lines, so a failing scenario explains
itself without contradicting what it prints.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from sim.errors import ConfigurationError, HostUnavailableError
from sim.office import ADMIN_EMAIL, SHARE_FOLDER, Office, build_office, serve_office_through
from sim.trace import TraceEvent
from sim.webconnector.update_session import UpdateResult
from sim.world import next_moment

if TYPE_CHECKING:
    from sim.stratafolio.real_service import ServiceBinding

__all__ = ["ScenarioContext", "Evidence", "Window", "WINDOW", "NAMED_MOMENTS", "COMPANY_FOLDER"]

#: How long a step lets the simulation run, at most, for one Update Selected.
SYNC_LIMIT_MINUTES = 120
#: Where a Given puts a company file on the server (the office of `sim.office`).
COMPANY_FOLDER = SHARE_FOLDER + r"\Company Files"

#: The optional end of a Then-step that names the stretch of simulated time it looks at.
WINDOW = (
    r'(?: (?P<window>after "[^"]+"|before "[^"]+"|between "[^"]+" and "[^"]+"|since '
    r"the [a-z][a-z -]*[a-z]|during the run))?"
)

#: `since the ...`: the moments a Then-step can count from, and the trace events that mark them.
NAMED_MOMENTS: dict[str, tuple[str, ...]] = {
    "rename": ("admin.renamed_file", "admin.renamed_folder"),
    "move": ("admin.moved_file",),
    "pop-up": ("quickbooks.popup_pending",),
    "password change": ("quickbooks.users_changed",),
    "Web Connector update": ("qbwc.upgraded",),
    "QuickBooks install": ("quickbooks.installed",),
    "restart": ("host.off",),
    "sleep": ("host.asleep",),
    "wake-up": ("host.awake",),
    "exit": ("qbwc.stopped",),
    "start": ("qbwc.started",),
    "removal": ("qbwc.app_removed", "qbwc.remove_failed", "registry.key_deleted"),
    "reconnection": ("qbwc.app_added",),
    "last sync": ("update.finished",),
}


@dataclass(frozen=True)
class Window:
    """A stretch of simulated time, [begin, end) in seconds, and how the step named it."""

    begin: float
    end: float
    words: str
    start: datetime

    def holds(self, event: TraceEvent) -> bool:
        return self.begin <= event.seconds < self.end

    def described(self) -> str:
        first, last = self.start + timedelta(seconds=self.begin), self.start + timedelta(seconds=self.end)
        return f"{self.words} ({first:%a %H:%M:%S} to {last:%a %H:%M:%S})"


@dataclass
class Evidence:
    trace_lines: list[str] = field(default_factory=list)
    log_lines: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # the same events, for the plain-language account
    measured: list[str] = field(default_factory=list)  # fractions checked against a threshold, as measured

    def add_events(self, events: Iterable[TraceEvent], limit: int = 4) -> None:
        for event in list(events)[:limit]:
            line = event.line()
            if line not in self.trace_lines:
                self.trace_lines.append(line)
                self.events.append(event.as_dict())

    def add_log(self, lines: Iterable[str], limit: int = 3) -> None:
        for line in list(lines)[:limit]:
            if line not in self.log_lines:
                self.log_lines.append(line)


@dataclass
class OtherApplication:
    """An application of another vendor, linked to a company file beside STRATAFOLIO's."""

    name: str  # as Web Connector lists it
    company: str
    host: Any
    computer: Any  # its authorized computer on the vendor's service (same shape as STRATAFOLIO's)


class ScenarioContext:
    """What one scenario has built and seen."""

    def __init__(self, seed: int = 0, service: Callable[[Any], Any] | None = None) -> None:
        self.seed = seed
        #: Binds a world to a real web service (sim.bdd.real_service), or None: the simulated STRATAFOLIO.
        self.service = service
        self.binding: ServiceBinding | None = None
        self.office: Office | None = None
        self.locations: dict[str, tuple[Any, str]] = {}  # company -> (host whose disk holds it, local path) now
        self.wc_host: dict[str, Any] = {}  # company -> host whose Web Connector lists its app
        self.computers: dict[str, Any] = {}  # company -> the authorized computer made last
        self.old_computers: dict[str, Any] = {}  # company -> the one before (its QWC is "the old QWC")
        self.qwc: dict[str, str] = {}  # company -> path of the QWC file downloaded last
        self.old_qwc: dict[str, str] = {}
        self.original: dict[str, str] = {}  # company -> its path before the first rename or move
        self.removed: dict[str, bool] = {}  # company -> did the last Remove succeed
        self.others: dict[str, OtherApplication] = {}  # other vendors' applications, by name
        self.results: list[UpdateResult] = []
        self.evidence = Evidence()
        self.errors: list[Exception] = []  # refusals a step expected and caught
        self.people: dict[str, Any] = {}
        self.mark = 0  # trace position where the default observation window starts
        self.mark_seconds = 0.0
        self.timed_base: datetime | None = None  # the moment of the last timed Given
        self.step_where = ""  # "features/x.feature:12: When ..." of the step running now

    # --- building: one office, added to -------------------------------------------------------
    def ensure_office(self) -> Office:
        """The office of this scenario: a server FILESRV sharing D:\\QBData, a workstation WS01 that
        maps it to Q:, a STRATAFOLIO organization; built once, by the first Given that needs it."""
        if self.office is None:
            self.office = build_office(seed=self.seed, companies=())
            if self.service is not None:  # a real web service in place of the simulated STRATAFOLIO
                self.close()
                self.binding = self.service(self.office.world)
                serve_office_through(self.office, self.binding)
        return self.office

    def close(self) -> None:
        if self.binding is not None:
            self.binding.endpoint.close()

    def authenticate(self, computer) -> list[str]:
        """authenticate with a computer's credentials, as a stale QWC would send it: to the real
        service when there is one (closing the session it may open), else to the simulated one."""
        if self.binding is None:
            return self.world.stratafolio.authenticate(computer.user_name, computer.password)
        answer = self.binding.endpoint.call(
            "authenticate", strUserName=computer.user_name, strPassword=computer.password
        )
        answer = list(answer) + ["", ""]
        if answer[0] and answer[1].casefold() not in ("nvu",):
            self.binding.endpoint.call("closeConnection", ticket=answer[0])
        return answer

    def add_company(self, company: str, host: Any = None) -> tuple[Any, str]:
        """Put a company file on a server (the office's own by default), with its STRATAFOLIO
        integration; a file the office already holds on that server is the same file."""
        from sim.quickbooks.company_file import create_company_file

        office = self.ensure_office()
        host = host or office.server
        if company in self.locations:
            where, path = self.locations[company]
            if where is not host:
                self.fail(
                    f"the office already holds {company!r} on {where.name} ({path}); one company file "
                    f"cannot also be on {host.name}"
                )
            return where, path
        folder = COMPANY_FOLDER if host is office.server else SHARE_FOLDER
        path = f"{folder}\\{company}.QBW"
        create_company_file(office.world, host, path, company_name=company, users={"Admin": "", "maria": "", "li": ""})
        if host is office.server:
            office.files[company] = path
        office.integrations[company] = office.organization.add_integration(ADMIN_EMAIL, company, company)
        self.locations[company] = (host, path)
        return host, path

    def add_computer(self, name: str, role: str) -> Any:
        """A second server or workstation. A workstation maps the server's share to Q:."""
        office = self.ensure_office()
        world = office.world
        if name.upper() in world.hosts:
            existing = world.hosts[name.upper()]
            if role == "workstation" and existing.role == "workstation":
                return existing
            self.fail(
                f"the office already has a computer named {existing.name} (a {existing.role}): two "
                "computers cannot share one name"
            )
        if role == "server":
            host = world.add_server(
                name, drives=("C", "D"), windows_users=("Administrator",), logged_in="Administrator"
            )
            world.network.share(host, "QBData", SHARE_FOLDER)
            return host
        number = len(office.workstations) + 1
        host = world.add_workstation(name, windows_users=(f"user{number}",), logged_in=f"user{number}")
        world.network.map_drive(host, "Q", office.share)
        office.workstations.append(host)
        return host

    def path_seen_from(self, host: Any, company: str) -> str:
        """The company file's path as a computer opens it: local on its own disk, by drive Q: from a
        workstation (the server's share mapped), by UNC otherwise."""
        where, path = self.location(company)
        if where is host:
            return path
        office = self.require_office()
        if (
            where is office.server
            and path.upper().startswith(SHARE_FOLDER.upper() + "\\")
            and host in office.workstations
        ):
            return "Q:" + path[len(SHARE_FOLDER) :]
        if path.upper().startswith(SHARE_FOLDER.upper() + "\\"):
            return f"\\\\{where.name}\\QBData" + path[len(SHARE_FOLDER) :]
        self.fail(
            f"{host.name} cannot reach {company!r}: it is at {path} on {where.name}, outside "
            f"the shared folder {SHARE_FOLDER}"
        )
        return path

    def link(self, company: str, host: Any = None, access: str = "always") -> str:
        """Link the file the normal way from a computer (the server by default)."""
        from sim.people.admin import link_company_file

        office = self.ensure_office()
        host = host or office.server
        if company not in self.locations:
            self.add_company(company)
        if company in office.apps:
            self.fail(
                f"{company!r} is already linked to STRATAFOLIO from {self.wc_host[company].name}; "
                "for a second application on the same file write: Given another vendor's "
                'application "NAME" is linked to "' + company + '"'
            )
        office.apps[company] = link_company_file(
            host,
            self.path_seen_from(host, company),
            office.organization,
            office.integrations[company],
            ADMIN_EMAIL,
            access=access,
        )
        self.wc_host[company] = host
        self.computers[company] = office.integrations[company].computers[-1]
        return office.apps[company]

    def link_other_application(
        self, name: str, company: str, host: Any = None, access: str = "always"
    ) -> OtherApplication:
        """Another vendor's Web Connector application on the same company file: its own web service
        (modelled by the same PG-conformant service as STRATAFOLIO's, assumed), its own QWC file
        (its own OwnerID and FileID), its own approval in the file, linked the same normal way."""
        from sim.people.admin import close_quickbooks, connect_with_qwc, first_sync
        from sim.stratafolio.service import StratafolioService
        from sim.webconnector.qwc import write_qwc

        office = self.ensure_office()
        host = host or office.server
        if company not in self.locations:
            self.add_company(company)
        if name in self.others or name in office.apps.values():
            self.fail(f"Web Connector already lists an application named {name!r}")
        world = office.world
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "vendor"
        service = StratafolioService(
            world, url=f"https://{slug}.example.com/qbwc", support_url=f"https://{slug}.example.com/support"
        )
        organization = service.create_organization(office.organization.name, ADMIN_EMAIL)
        integration = organization.add_integration(ADMIN_EMAIL, name, company)
        computer = organization.authorize_computer(ADMIN_EMAIL, integration, host.name)
        qwc = dataclasses.replace(
            organization.qwc_for(integration, computer), app_name=name, app_description=f"{name} for {company}"
        )
        user = host.logged_in or host.windows_users[0]
        qwc_path = f"C:\\Users\\{user}\\Downloads\\{slug}.qwc"
        host.fs.write_text(qwc_path, write_qwc(qwc))
        app = connect_with_qwc(
            host, self.path_seen_from(host, company), qwc_path, computer.password, access=access, keep_open=True
        )
        try:
            first_sync(host, app)
        finally:
            close_quickbooks(host)
        self.others[name] = OtherApplication(app, company, host, computer)
        return self.others[name]

    @property
    def world(self):
        return self.require_office().world

    def require_office(self) -> Office:
        if self.office is None:
            raise AssertionError("no office yet: start the scenario with a Given step that builds one")
        return self.office

    def host(self, name: str):
        """A computer as steps name it: "the server", or its name ("WS01")."""
        office = self.require_office()
        if name == "the server":
            return office.server
        if name.upper() not in office.world.hosts:
            raise AssertionError(f"the office has no computer {name!r} (computers: {', '.join(office.world.hosts)})")
        return office.world.hosts[name.upper()]

    def app(self, name: str) -> str:
        """The Web Connector application of a company file (STRATAFOLIO's) or of another vendor, by name."""
        office = self.require_office()
        if name in office.apps:
            return office.apps[name]
        if name in self.others:
            return self.others[name].name
        listed = [*office.apps, *self.others]
        raise AssertionError(f"{name!r} is not linked in Web Connector (linked: {', '.join(listed) or 'none'})")

    def location(self, company: str) -> tuple[Any, str]:
        if company not in self.locations:
            raise AssertionError(
                f"the office has no company file {company!r} (files: {', '.join(self.locations) or 'none'})"
            )
        return self.locations[company]

    def connector(self, name: str | None = None):
        office = self.require_office()
        if name in self.others:
            return self.others[name].host.web_connector()
        host = self.wc_host.get(name, office.server) if name else office.server
        return host.web_connector()

    # --- running ---------------------------------------------------------------------------
    def sync(self, names: list[str] | str) -> list[UpdateResult]:
        """Select the apps in Web Connector, press Update Selected, wait for the results."""
        connector = self.connector(None if names == "all" else names[0])
        apps = [a.name for a in connector.applications()] if names == "all" else [self.app(n) for n in names]
        try:
            process = connector.update_selected(apps)
        except HostUnavailableError as error:
            # Nobody can press a button on a computer that is asleep, off or logged out:
            # the update never starts, which the Then-steps see as an outcome, not a crash.
            self.world.record(connector.host.name, "update.not_started", source="PG", reason=str(error))
            self.results = [
                UpdateResult(
                    name,
                    "manual",
                    "not started",
                    message=str(error),
                    started=self.world.seconds,
                    ended=self.world.seconds,
                )
                for name in apps
            ]
            return self.results
        if not self.world.run_until_done(process, SYNC_LIMIT_MINUTES):
            self.fail(f"Update Selected did not finish within {SYNC_LIMIT_MINUTES} simulated minutes")
        self.results = list(process.value or [])
        return self.results

    def begin_window(self) -> None:
        """The default observation window starts here (the first When step of a run of them)."""
        if self.office is not None:
            self.mark = len(self.world.trace)
            self.mark_seconds = self.world.seconds

    def run_until(self, moment: str) -> None:
        self.world.run(until=moment)

    def moment(self, spec: str, after: datetime) -> datetime:
        """A time a step names: 'HH:MM[:SS]' (the first such moment at or after `after`), 'Mon HH:MM',
        or 'YYYY-MM-DD HH:MM'."""
        try:
            return next_moment(spec, after)
        except ConfigurationError as error:
            self.fail(str(error))
            raise

    def resolve_window(self, words: str | None) -> Window:
        """The stretch of simulated time a Then-step names; without words, the default window:
        from the first When step of the last run of When steps until now."""
        world = self.world
        now = world.seconds
        since = world.start + timedelta(seconds=self.mark_seconds)
        if not words:
            return Window(self.mark_seconds, now + 1e-9, "since the last When steps began", world.start)
        if words == "during the run":
            return Window(0.0, now + 1e-9, words, world.start)
        times = re.findall(r'"([^"]+)"', words)
        if words.startswith("after "):
            return Window(self._seconds(self.moment(times[0], since)), now + 1e-9, words, world.start)
        if words.startswith("before "):
            return Window(self.mark_seconds, self._seconds(self.moment(times[0], since)), words, world.start)
        if words.startswith("between "):
            first = self.moment(times[0], since)
            return Window(self._seconds(first), self._seconds(self.moment(times[1], first)), words, world.start)
        name = words.removeprefix("since the ")
        kinds = NAMED_MOMENTS.get(name)
        if kinds is None:
            self.fail(f"unknown moment {words!r}: write since the {', since the '.join(NAMED_MOMENTS)}")
        marks = [e for e in world.trace if e.kind in kinds]
        if not marks:
            self.fail(f"{words!r}: no {name} happened in this scenario (looked for {', '.join(kinds)})")
        return Window(marks[-1].seconds, now + 1e-9, words, world.start)

    def _seconds(self, moment: datetime) -> float:
        return (moment - self.world.start).total_seconds()

    def window(self, kind: str | None = None, **details: Any) -> list[TraceEvent]:
        """Trace events in the default window."""
        return self.world.trace.select(kind, since=self.mark, **details)

    def events(self, window: Window, kind: str, **details: Any) -> list[TraceEvent]:
        """Trace events of a kind inside a window."""
        if not window.words.startswith("since the last When"):
            return [e for e in self.world.trace.select(kind, **details) if window.holds(e)]
        return [e for e in self.window(kind, **details) if window.holds(e)]

    def log_lines(self, containing: str = "") -> list[str]:
        hosts = {
            id(h): h
            for h in [self.require_office().server, *self.wc_host.values(), *(o.host for o in self.others.values())]
        }
        text = "".join(h.qwc_log.text() for h in hosts.values())
        return [line for line in text.splitlines() if containing in line]

    # --- failing well -------------------------------------------------------------------------
    def fail(self, message: str, shown: Iterable[TraceEvent] | None = None, window: Window | None = None) -> NoReturn:
        """Fail the step: the message, then the trace lines it rests on (those `shown`, in the window
        it names), then the last trace lines of the run."""
        parts = [message]
        if shown is not None:
            lines = [e.line() for e in shown]
            title = f"trace lines it looked at, {window.described()}" if window else "trace lines it looked at"
            parts.append(
                f"--- {title} ---\n"
                + ("\n".join(lines[:12]) + ("\n..." if len(lines) > 12 else "") if lines else "(none)")
            )
        tail = self.world.trace.tail(12) if self.office else "(no simulation yet)\n"
        parts.append(
            f"--- last trace lines (simulated time now {self.world.now:%a %H:%M:%S}) ---\n{tail}"
            if self.office
            else f"--- last trace lines ---\n{tail}"
        )
        raise AssertionError("\n".join(parts))
