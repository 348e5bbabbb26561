"""The state a Gherkin scenario carries from step to step, and its evidence.

A `ScenarioContext` holds the simulated office, where each company file is now
(renames and moves update it), the results of the syncs run so far, and the
evidence the Then-steps collected: the decisive trace lines and QWCLog lines
behind each verdict. `fail` raises an AssertionError that says what was expected,
what the simulation did, and shows the last trace lines, so a failing scenario
explains itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sim.errors import HostUnavailableError
from sim.office import Office, build_office
from sim.trace import TraceEvent
from sim.webconnector.update_session import UpdateResult

__all__ = ["ScenarioContext", "Evidence"]

#: How long a step lets the simulation run, at most, for one Update Selected.
SYNC_LIMIT_MINUTES = 120


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


class ScenarioContext:
    """What one scenario has built and seen."""

    def __init__(self, seed: int = 0, service: Callable[[Any], Any] | None = None) -> None:
        self.seed = seed
        #: Binds a world to a real web service (sim.bdd.real_service), or None: the simulated STRATAFOLIO.
        self.service = service
        self.binding = None
        self.office: Office | None = None
        self.locations: dict[str, tuple[Any, str]] = {}  # company -> (host whose disk holds it, local path) now
        self.wc_host: dict[str, Any] = {}  # company -> host whose Web Connector lists its app
        self.computers: dict[str, Any] = {}  # company -> the authorized computer made last
        self.old_computers: dict[str, Any] = {}  # company -> the one before (its QWC is "the old QWC")
        self.qwc: dict[str, str] = {}  # company -> path of the QWC file downloaded last
        self.old_qwc: dict[str, str] = {}
        self.original: dict[str, str] = {}  # company -> its path before the first rename or move
        self.removed: dict[str, bool] = {}  # company -> did the last Remove succeed
        self.results: list[UpdateResult] = []
        self.evidence = Evidence()
        self.errors: list[Exception] = []  # refusals a step expected and caught
        self.people: dict[str, Any] = {}
        self.mark = 0  # trace position where the current observation window starts

    # --- building -------------------------------------------------------------------------
    def build(self, companies: tuple[str, ...], workstations: int = 1) -> Office:
        self.office = build_office(seed=self.seed, companies=companies, workstations=workstations)
        if self.service is not None:
            from sim.stratafolio.real_service import serve_office_through

            self.close()
            self.binding = self.service(self.office.world)
            serve_office_through(self.office, self.binding)
        self.locations = {company: (self.office.server, path) for company, path in self.office.files.items()}
        return self.office

    def close(self) -> None:
        if self.binding is not None:
            self.binding.endpoint.close()

    def authenticate(self, computer) -> list[str]:
        """authenticate with a computer's credentials, as a stale QWC would send it: to the real
        service when there is one (closing the session it may open), else to the simulated one."""
        if self.binding is None:
            return self.world.stratafolio.authenticate(computer.user_name, computer.password)
        answer = self.binding.endpoint.call("authenticate", strUserName=computer.user_name, strPassword=computer.password)
        answer = list(answer) + ["", ""]
        if answer[0] and answer[1].casefold() not in ("nvu",):
            self.binding.endpoint.call("closeConnection", ticket=answer[0])
        return answer

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

    def app(self, company: str) -> str:
        office = self.require_office()
        if company not in office.apps:
            raise AssertionError(f"{company!r} is not linked in Web Connector (linked: {', '.join(office.apps) or 'none'})")
        return office.apps[company]

    def location(self, company: str) -> tuple[Any, str]:
        if company not in self.locations:
            raise AssertionError(f"the office has no company file {company!r} (files: {', '.join(self.locations)})")
        return self.locations[company]

    def connector(self, company: str | None = None):
        office = self.require_office()
        host = self.wc_host.get(company, office.server) if company else office.server
        return host.web_connector()

    # --- running ---------------------------------------------------------------------------
    def sync(self, companies: list[str] | str) -> list[UpdateResult]:
        """Select the apps in Web Connector, press Update Selected, wait for the results."""
        connector = self.connector(None if companies == "all" else companies[0])
        names = [a.name for a in connector.applications()] if companies == "all" else [self.app(c) for c in companies]
        self.mark = len(self.world.trace)
        try:
            process = connector.update_selected(names)
        except HostUnavailableError as error:
            # Nobody can press a button on a computer that is asleep, off or logged out:
            # the update never starts, which the Then-steps see as an outcome, not a crash.
            self.world.record(connector.host.name, "update.not_started", source="PG", reason=str(error))
            self.results = [UpdateResult(name, "manual", "not started", message=str(error), started=self.world.seconds, ended=self.world.seconds) for name in names]
            return self.results
        if not self.world.run_until_done(process, SYNC_LIMIT_MINUTES):
            self.fail(f"Update Selected did not finish within {SYNC_LIMIT_MINUTES} simulated minutes")
        self.results = list(process.value or [])
        return self.results

    def run_until(self, moment: str) -> None:
        self.mark = len(self.world.trace)
        self.world.run(until=moment)

    def window(self, kind: str | None = None, **details: Any) -> list[TraceEvent]:
        """Trace events since the last action that started an observation window."""
        return self.world.trace.select(kind, since=self.mark, **details)

    def log_lines(self, containing: str = "") -> list[str]:
        hosts = {id(h): h for h in [self.require_office().server, *self.wc_host.values()]}
        text = "".join(h.qwc_log.text() for h in hosts.values())
        return [line for line in text.splitlines() if containing in line]

    # --- failing well -------------------------------------------------------------------------
    def fail(self, message: str) -> None:
        tail = self.world.trace.tail(12) if self.office else "(no simulation yet)\n"
        raise AssertionError(f"{message}\n--- last trace lines ---\n{tail}")
