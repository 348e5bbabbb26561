"""Running a loaded scenario: the office it describes, its timeline, its expectations.

`ScenarioRun` builds the World from a `Scenario` (hosts, shares, mapped drives,
company files, STRATAFOLIO, integrations linked the normal way at the start,
people on their workdays), schedules each timeline action at its simulated time,
runs to the end and checks the expectations against the trace, the logs and the
ledgers. An action the office refuses (renaming a file someone has open, adding
a QWC QuickBooks will not accept) is not a crash: it is written to the trace as
`timeline.action_failed`, because that refusal is part of what happened.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from simpy.events import URGENT

from sim.errors import SimError
from sim.expectations import Verdict
from sim.people import admin
from sim.people.quickbooks_user import QuickBooksPerson
from sim.people.stratafolio_user import bill_tenants
from sim.quickbooks.company_file import CompanyFile, create_company_file
from sim.quickbooks.open_files import MULTI_USER
from sim.scenario import Scenario, ScenarioError, field_name, locate, parse_duration
from sim.stratafolio.misbehaviour import misbehave
from sim.webconnector.log_health import damage_log, delete_log
from sim.webconnector.session_moments import parse_moment, state_label, watch
from sim.windows.dotnet_tls import set_dotnet_tls
from sim.windows.filesystem import relocated
from sim.windows.security_software import WEB_CONNECTOR_PROGRAM
from sim.world import World, next_moment

if TYPE_CHECKING:
    from sim.service_checks import CheckResult
    from sim.stratafolio.real_service import ServiceBinding
    from sim.webconnector.service_endpoint import SessionRecord

__all__ = [
    "ScenarioRun",
    "Verdict",
    "READABLE_KINDS",
    "ServiceOption",
    "ACTIONS",
    "grant_access_again",
    "set_security_software",
    "expire_qbwc_certificate",
    "company_customer",
    "change_customer",
    "change_company_preferences",
    "change_company_users",
    "run_as_administrator",
    "change_service",
]

#: Trace kinds the readable timeline shows (the rest is in --json).
READABLE_KINDS = (
    "host.",
    "windows.",
    "drive.",
    "admin.",
    "quickbooks.opened",
    "quickbooks.closed",
    "quickbooks.dialog",
    "quickbooks.access",
    "qbwc.",
    "registry.",
    "update.finished",
    "stratafolio.computer",
    "stratafolio.login",
    "stratafolio.refused",
    "person.slowed_down",
    "person.cannot_open",
    "person.blocked",
    "quickbooks.left_running",
    "stratafolio.push_rejected",
    "timeline.",
)


@dataclass(frozen=True)
class ServiceOption:
    """A real web service to stand in for the simulated STRATAFOLIO (`wcsim run --service`): its
    endpoint, the one computer's credentials, or an adapter (`module:Class`) for its admin side."""

    url: str
    user: str = ""
    password: str = ""
    adapter: str = ""
    timeout: float = 60.0


class ScenarioRun:
    """One scenario, built and ready to run. `service` puts a real web service in place of the
    simulated STRATAFOLIO for every integration (a scenario file can name one per integration);
    `use_services=False` keeps the simulated one for all (`wcsim validate` builds without calling out)."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        service: ServiceOption | None = None,
        use_services: bool = True,
    ) -> None:
        self.scenario = scenario
        data = scenario.data
        self.service_option, self.use_services = service, use_services
        self.bindings: dict[str, ServiceBinding] = {}  # company -> the real service its integration talks to
        self._checked: list[CheckResult] | None = None
        self.world = World(seed=scenario.seed if seed is None else seed, start=scenario.start)
        self.end = self.world.at(scenario.start) + scenario.duration_seconds
        self.files: dict[str, tuple[Any, str]] = {}  # company -> (host whose disk holds it, local path)
        self.apps: dict[str, tuple[Any, str, str]] = {}  # company -> (host, windows user, app name)
        self.computers: dict[str, list] = {}
        self.qwcs: dict[str, list[str]] = {}
        self.people: dict[str, QuickBooksPerson] = {}
        #: Each timeline action as it happened (its item), with the state of the update sessions under
        #: way then (in Intuit's words, "" between sessions).
        self.landed: list[tuple[dict[str, Any], str]] = []
        self._last_happened: Any = None  # the latest timeline item's "it happened" event (for `after`)
        # ... and its "its moment came" and "it is done" events: an action that takes time (adding a QWC
        # file) is finished before the next one due meanwhile starts, so the timeline keeps its order.
        self._last_steps: Any = None
        self._build(data)

    # --- the office -----------------------------------------------------------------------------
    @contextmanager
    def _located(self, *path: Any) -> Iterator[None]:
        """Turn a refusal while building the office into an error naming the file,
        line and field it came from."""
        try:
            yield
        except ScenarioError:
            raise
        except SimError as error:
            raise ScenarioError(
                self.scenario.file, locate(self.scenario.text, list(path)), field_name(list(path)), str(error)
            ) from None

    def _build(self, data: dict[str, Any]) -> None:
        world = self.world
        for index, spec in enumerate(data["hosts"]):
            with self._located("hosts", index):
                host = (world.add_server if spec["role"] == "server" else world.add_workstation)(
                    spec["name"],
                    drives=tuple(d.upper() for d in spec.get("drives", ["C"])),
                    windows_users=tuple(spec.get("windows_users", ["Administrator"])),
                    logged_in=spec.get("logged_in"),
                )
            if "web_connector_version" in spec:
                host.web_connector_version = spec["web_connector_version"]
            with self._located("hosts", index, "sleeps"):
                if "sleeps_when_idle_minutes" in spec:
                    host.sleep_when_idle(spec["sleeps_when_idle_minutes"])
                if "sleeps" in spec:
                    host.sleep_at_night(
                        spec["sleeps"]["at"], spec["sleeps"]["wakes"], spec["sleeps"].get("weekends", True)
                    )
        for index, spec in enumerate(data.get("shares", [])):
            with self._located("shares", index):
                world.network.share(world.host(spec["host"]), spec["name"], spec["folder"])
        for index, spec in enumerate(data.get("mapped_drives", [])):
            with self._located("mapped_drives", index):
                world.network.map_drive(world.host(spec["host"]), spec["letter"], spec["share"])
        for index, spec in enumerate(data["company_files"]):
            with self._located("company_files", index, "path"):
                host = world.host(spec["host"])
                company = create_company_file(
                    world, host, spec["path"], company_name=spec["name"], users=spec.get("users", {})
                )
                if spec.get("popups"):
                    company.popups = list(spec["popups"])
                    company.save(host, spec["path"])
                self.files[spec["name"]] = (host, host.fs.local(spec["path"]))
        stratafolio = data.get("stratafolio", {})
        self.admin_email = stratafolio.get("admin", "admin@example.com")
        with self._located("stratafolio"):
            self.organization = world.stratafolio.create_organization(
                stratafolio.get("organization", "Example Realty"), self.admin_email
            )
            for email in stratafolio.get("members", []):
                self.organization.add_member(email)
        if self.use_services:
            self._bind_services(data.get("integrations", []))
        self.integrations: dict[str, Any] = {}  # company -> its integration (simulated, or a real service's)
        for index, spec in enumerate(data.get("integrations", [])):
            with self._located("integrations", index):
                self._link(spec)
        for index, spec in enumerate(data.get("people", [])):
            with self._located("people", index):
                host = world.host(spec["host"])
                starts, ends = spec["works"].split("-")
                if next_moment(ends, self.scenario.start).time() <= next_moment(starts, self.scenario.start).time():
                    raise SimError(f"works {spec['works']!r}: the day must end after it starts")
                path = spec.get("path") or self._path_from(host, spec["company_file"])
                self.people[spec["name"]] = QuickBooksPerson(
                    world,
                    spec["name"],
                    host,
                    path,
                    windows_user=spec.get("windows_user"),
                    mode=spec.get("mode", MULTI_USER),
                    day_starts=starts,
                    day_ends=ends,
                    remote_desktop=spec.get("remote_desktop", False),
                ).start()
        self.add_timeline(data.get("timeline", []))

    def add_timeline(self, items: list[dict[str, Any]]) -> None:
        """Schedule timeline actions (the explorer adds its own to a world already running)."""
        for item in items:
            happened, before = self.world.env.event(), self._last_happened
            self._last_happened = happened
            steps, previous = (self.world.env.event(), self.world.env.event()), self._last_steps
            self._last_steps = steps
            self.world.process(self._at(item, before, happened, previous, steps))

    def _bind_services(self, integrations: list[dict[str, Any]]) -> None:
        """Bind each integration that names a real service (or all, with `service`) to it: one
        endpoint per distinct service, the organization acting through their adapters."""
        from sim.stratafolio.adapter import load_adapter
        from sim.stratafolio.real_service import ServiceOrganization, bind_service

        made: dict[tuple, ServiceBinding] = {}
        for index, spec in enumerate(integrations):
            option = self.service_option or self._service_in_file(index, spec.get("service"))
            if option is None:
                continue
            key = (option.url, option.user, option.password, option.adapter)
            if key not in made:
                with self._located("integrations", index, "service"):
                    adapter = load_adapter(option.adapter, option.url) if option.adapter else None
                    made[key] = bind_service(
                        self.world, option.url, adapter, option.user, option.password, timeout=option.timeout
                    )
            self.bindings[spec["company_file"]] = made[key]
        if self.bindings:
            self.organization = ServiceOrganization(
                self.organization, {company: b for company, b in self.bindings.items()}
            )

    def _service_in_file(self, index: int, spec: dict[str, Any] | None) -> ServiceOption | None:
        if spec is None:
            return None
        password = spec.get("password", "")
        if "password_env" in spec:
            password = os.environ.get(spec["password_env"])
            if password is None:
                raise ScenarioError(
                    self.scenario.file,
                    locate(self.scenario.text, ["integrations", index, "service"]),
                    field_name(["integrations", index, "service", "password_env"]),
                    f"the environment variable {spec['password_env']!r} is not set",
                )
        return ServiceOption(
            spec["url"], spec.get("user", ""), password, spec.get("adapter", ""), float(spec.get("timeout_seconds", 60))
        )

    def service_companies(self) -> list[str]:
        """The company files whose integrations talk to a real service."""
        return list(self.bindings)

    def service_sessions(self) -> list[SessionRecord]:
        """Every session that went to a real service, in the order they started."""
        endpoints = list({id(b.endpoint): b.endpoint for b in self.bindings.values()}.values())
        return sorted((s for e in endpoints for s in e.sessions), key=lambda s: (s.started, s.url, s.number))

    def service_checks(self) -> list[CheckResult]:
        """What the real services got right and wrong in this run (sim.service_checks), once computed."""
        from sim.service_checks import check_service

        if self._checked is None:
            self._checked = check_service(self.service_sessions(), self)
        return self._checked

    def close_services(self) -> None:
        for binding in self.bindings.values():
            binding.endpoint.close()

    def _path_from(self, host, company: str) -> str:
        where, path = self.files[company]
        if where is not host:
            raise SimError(f"{company!r} lives on {where.name}; say by which path {host.name} opens it (field 'path')")
        return path

    def _link(self, spec: dict[str, Any]) -> None:
        world, company = self.world, spec["company_file"]
        if spec.get("invoices_every_minutes") and company in self.bindings:
            from sim.stratafolio.adapter import ServiceAdapter

            if type(self.bindings[company].adapter).create_invoice is ServiceAdapter.create_invoice:
                self.bindings[company].adapter.create_invoice(
                    company, "", "", ""
                )  # refused before any call: says what to implement
        host = world.host(spec["linked_from"])
        integration = self.organization.add_integration(self.admin_email, company, company)
        self.integrations[company] = integration
        user = spec.get("windows_user") or host.logged_in or host.windows_users[0]
        previous = host.logged_in
        if host.logged_in != user:
            host.log_in(user)
        name = admin.link_company_file(
            host,
            spec.get("path") or self._path_from(host, company),
            self.organization,
            integration,
            self.admin_email,
            access=spec.get("access", "always"),
            login_as=spec.get("login_as", "Admin"),
        )
        self.computers[company] = list(integration.computers)
        self.qwcs[company] = host.fs.files_below(rf"C:\Users\{user}\Downloads", ".qwc")[-1:]
        self.apps[company] = (host, user, name)
        if spec.get("auto_run_minutes"):
            host.web_connector(user).set_auto_run(name, True, spec["auto_run_minutes"])
        if previous and previous != user:
            host.log_in(previous)
        if spec.get("invoices_every_minutes"):
            customers = [c["Name"] for c in CompanyFile.load(*self.files[company]).records["customers"]]
            bill_tenants(world, integration, customers, spec["invoices_every_minutes"])

    # --- the timeline -----------------------------------------------------------------------------
    def _at(self, item: dict[str, Any], before: Any, happened: Any, previous: Any, steps: Any):
        world = self.world
        moment = next_moment(item["at"], self.scenario.start)
        # At that moment of the calendar, however long building the office took (linking syncs once),
        # and before anything else due then: in the same order whether the timeline was scheduled
        # at the start or added to the world later.
        yield self._urgent_timeout(max(0.0, (moment - world.start).total_seconds() - world.seconds))
        if "after" in item and before is not None:
            yield before  # the item before it in the timeline has happened,
            yield self._urgent_timeout(parse_duration(item["after"]))  # and this long since
        if "during" in item:
            yield watch(world, parse_moment(item["during"]))  # then at that moment of an update session
        reached, done = steps
        reached.succeed()
        if previous is not None and previous[0].triggered and not previous[1].triggered:
            yield previous[1]  # the item before it, due already, is still under way
        happened.succeed()
        world.record(
            item.get("by", "timeline"),
            "timeline.action",
            action=item["action"],
            **{k: v for k, v in item.items() if k not in ("at", "action", "by")},
        )
        self.landed.append((item, state_label(world)))
        try:
            acting = ACTIONS[item["action"]](self, item)
            if isinstance(acting, Generator):  # an action that takes simulated time (adding a QWC file)
                yield from acting
        except SimError as error:
            world.record(
                item.get("by", "timeline"), "timeline.action_failed", action=item["action"], reason=str(error)[:160]
            )
        done.succeed()

    def _urgent_timeout(self, delay: float):
        """A timeout at SimPy's URGENT priority (made as SimPy's own `run(until=...)` makes its event)."""
        due = self.world.env.event()
        due._ok, due._value = True, None
        self.world.env.schedule(due, URGENT, delay)
        return due

    def run(self, progress: Callable[[float], None] | None = None) -> None:
        steps = 50 if progress else 1
        for step in range(1, steps + 1):
            self.world.run(until=self.end * step / steps)
            if progress:
                progress(step / steps)

    # --- expectations ---------------------------------------------------------------------------------
    def verdicts(self) -> list[Verdict]:
        from sim.expectations import check

        return [check(self, expectation) for expectation in self.scenario.data.get("expect", [])]


# --- actions ---------------------------------------------------------------------------------------
def _integration(run: ScenarioRun, company: str):
    if company not in run.integrations:
        raise SimError(
            f"STRATAFOLIO has no integration for {company!r} in this scenario (add it under [[integrations]])"
        )
    return run.integrations[company]


def _computer(run: ScenarioRun, company: str):
    if not run.computers.get(company):
        raise SimError(f"no computer was authorized for {company!r} in STRATAFOLIO")
    return run.computers[company][-1]


def _file(run: ScenarioRun, item) -> tuple[Any, str]:
    return run.files[item["company_file"]]


def _rename_file(run: ScenarioRun, item) -> None:
    host, path = _file(run, item)
    run.files[item["company_file"]] = (host, admin.rename_company_file(host, path, item["to"]))


def _rename_folder(run: ScenarioRun, item) -> None:
    host = run.world.host(item["host"])
    folder = host.fs.local(item["folder"])
    new = admin.rename_folder(host, folder, item["to"])
    for company, (where, path) in list(run.files.items()):
        moved = relocated(path, folder, new) if where is host else None
        if moved:
            run.files[company] = (host, moved)


def _move_file(run: ScenarioRun, item) -> None:
    host, path = _file(run, item)
    admin.move_company_file(host, path, item["to"])
    where = run.world.network.resolve(host, item["to"])
    run.files[item["company_file"]] = (where.host, where.path)


def _open(run: ScenarioRun, item) -> None:
    host = run.world.host(item["host"])
    path = item.get("path") or run._path_from(host, item["company_file"])
    host.quickbooks.open_company_file(
        path, item.get("user", "Admin"), mode=item.get("mode", MULTI_USER), year=item.get("year")
    )


def _open_single_user(run: ScenarioRun, item) -> None:
    host = run.world.host(item["host"]) if "host" in item else _file(run, item)[0]
    admin.open_as_admin_single_user(host, item.get("path") or run._path_from(host, item["company_file"]))


def _connector(run: ScenarioRun, item):
    company = item["company_file"]
    if company not in run.apps:
        raise SimError(f"{company!r} has no Web Connector application in this scenario")
    host, user, name = run.apps[company]
    return host.web_connector(user), name


def _update_selected(run: ScenarioRun, item) -> None:
    host = run.world.host(item["host"])
    connector = host.web_connector(item.get("user"))
    names = [run.apps[c][2] for c in item["company_files"]] if "company_files" in item else "all"
    connector.update_selected(names)


def _remove(run: ScenarioRun, item) -> None:
    connector, name = _connector(run, item)
    connector.remove_application(name)


def _force_removal(run: ScenarioRun, item) -> None:
    connector, name = _connector(run, item)
    connector.force_removal(name)


def _authorize(run: ScenarioRun, item) -> None:
    company = item["company_file"]
    host = run.world.host(item["host"]) if "host" in item else _file(run, item)[0]
    computer = run.organization.authorize_computer(
        item.get("by", run.admin_email), _integration(run, company), host.name
    )
    run.computers.setdefault(company, []).append(computer)


def _download(run: ScenarioRun, item) -> None:
    company = item["company_file"]
    host = run.world.host(item["host"]) if "host" in item else _file(run, item)[0]
    path = run.organization.download_qwc(
        item.get("by", run.admin_email), _integration(run, company), _computer(run, company), host, item.get("user")
    )
    if item.get("app_url"):  # the file edited by hand (or written by a service with another address)
        text = host.fs.read_bytes(path).decode("utf-8")
        host.fs.write_bytes(
            path,
            re.sub(
                r"<AppURL>[^<]*</AppURL>", lambda _: f"<AppURL>{escape(item['app_url'])}</AppURL>", text, count=1
            ).encode("utf-8"),
        )
        run.world.record(host.name, "qwc.edited", source="FIELD", path=path, app_url=item["app_url"])
    run.qwcs.setdefault(company, []).append(path)


def _add_qwc(run: ScenarioRun, item) -> Generator[Any, Any, None]:
    company = item["company_file"]
    host = run.world.host(item["host"]) if "host" in item else _file(run, item)[0]
    qwcs = run.qwcs.get(company, [])
    if not qwcs:
        raise SimError(f"no QWC file was downloaded for {company!r}")
    qwc = qwcs[0] if item.get("qwc") == "old" else qwcs[-1]
    connector = host.web_connector(item.get("user"))
    app = yield from connector.adding(qwc, access=item.get("access", "always"))
    run.apps[company] = (host, connector.user, app.name)


def _set_password(run: ScenarioRun, item) -> None:
    """The password typed into Web Connector: the authorized computer's, or `password` (a wrong one)."""
    connector, name = _connector(run, item)
    connector.set_password(name, item.get("password") or _computer(run, item["company_file"]).password)


def _delete_computer(run: ScenarioRun, item) -> None:
    integration = _integration(run, item["company_file"])
    for computer in integration.active_computers:
        run.organization.delete_authorized_computer(item.get("by", run.admin_email), integration, computer)


def _leave_popup(run: ScenarioRun, item) -> None:
    host, path = _file(run, item)
    admin.leave_popup(host, path, item["text"])


def _create_invoices(run: ScenarioRun, item) -> None:
    company = CompanyFile.load(*_file(run, item))
    customers = company.records["customers"]
    integration = _integration(run, item["company_file"])
    for number in range(item["count"]):
        named = item.get("customer")
        if isinstance(named, str):  # by name, which QuickBooks may not have (3140 when pushed)
            customer = named
        else:
            customer = (
                company_customer(company, named)["Name"]
                if named is not None
                else customers[number % len(customers)]["Name"]
            )
        integration.create_invoice(customer, f"{200 + number}.00", dated=item.get("dated", ""))


def _host(method: str) -> Callable[[ScenarioRun, dict], None]:
    return lambda run, item: getattr(run.world.host(item["host"]), method)()


ACTIONS: dict[str, Callable[[ScenarioRun, dict], Any]] = {
    "rename_file": _rename_file,
    "rename_folder": _rename_folder,
    "move_file": _move_file,
    "sleep": _host("sleep"),
    "wake": _host("wake"),
    "shut_down": _host("shut_down"),
    "boot": lambda run, item: run.world.host(item["host"]).boot(log_in=item.get("user")),
    "log_in": lambda run, item: run.world.host(item["host"]).log_in(item["user"]),
    "log_out": _host("log_out"),
    "open": _open,
    "open_single_user": _open_single_user,
    "close_quickbooks": lambda run, item: admin.close_quickbooks(run.world.host(item["host"])),
    "dismiss_popups": lambda run, item: admin.dismiss_popups(run.world.host(item["host"])),
    "leave_popup": _leave_popup,
    "update_selected": _update_selected,
    "remove": _remove,
    "force_removal": _force_removal,
    "authorize_computer": _authorize,
    "download_qwc": _download,
    "add_qwc": _add_qwc,
    "set_password": _set_password,
    "delete_authorized_computer": _delete_computer,
    "map_drive": lambda run, item: run.world.network.map_drive(
        run.world.host(item["host"]), item["letter"], item["share"]
    ),
    "unmap_drive": lambda run, item: run.world.network.unmap_drive(run.world.host(item["host"]), item["letter"]),
    "set_auto_run": lambda run, item: _connector(run, item)[0].set_auto_run(
        _connector(run, item)[1], True, item["minutes"]
    ),
    "create_invoices": _create_invoices,
    "forget_password": lambda run, item: _connector(run, item)[0].forget_password(_connector(run, item)[1]),
    "exit_qbwc": lambda run, item: run.world.host(item["host"]).web_connector(item.get("user")).exit(),
    "start_qbwc": lambda run, item: run.world.host(item["host"]).web_connector(item.get("user")).start(),
    "set_qbwc_startup": lambda run, item: (
        run.world.host(item["host"]).web_connector(item.get("user")).set_startup(item["enabled"])
    ),
    "restart": lambda run, item: run.world.host(item["host"]).restart(),
    "copy_file": lambda run, item: admin.copy_company_file(*_file(run, item), item["to"]),
    "change_qb_password": lambda run, item: _company_users(
        run, item, lambda company: company.change_password(item["user"], item["password"])
    ),
    "delete_qb_user": lambda run, item: _company_users(run, item, lambda company: company.remove_user(item["user"])),
    "restrict_qb_user": lambda run, item: _company_users(
        run, item, lambda company: company.restrict_user(item["user"])
    ),
    "lose_qbwc_key": lambda run, item: _connector(run, item)[0].lose_key(_connector(run, item)[1]),
    "service_certificate": lambda run, item: change_service(run.world, "certificate", item["state"]),
    "install_quickbooks": lambda run, item: admin.install_quickbooks(run.world.host(item["host"]), item["year"]),
    "upgrade_company_file": lambda run, item: _upgrade(run, item),
    "run_as_administrator": lambda run, item: run_as_administrator(
        run.world.host(item["host"]), item["program"], bool(item["enabled"]), item.get("user")
    ),
    "deny_write": lambda run, item: run.world.host(item["host"]).fs.deny_write(item["folder"], item["user"]),
    "allow_write": lambda run, item: run.world.host(item["host"]).fs.allow_write(item["folder"], item["user"]),
    "upgrade_qbwc": lambda run, item: (
        run.world.host(item["host"]).web_connector(item.get("user")).upgrade(item["version"])
    ),
    "expire_qbwc_certificate": lambda run, item: expire_qbwc_certificate(
        run.world.host(item["host"]).web_connector(item.get("user"))
    ),
    "service_drops_connection": lambda run, item: change_service(
        run.world, "drops_connection_during", {item["callback"]} if item["callback"] != "none" else set()
    ),
    "update_quickbooks": lambda run, item: run.world.host(item["host"]).quickbooks.install_update(),
    "grant_access_again": lambda run, item: _grant_access_again(run, item),
    "close_company": lambda run, item: run.world.host(item["host"]).quickbooks.close_company(),
    "start_quickbooks": lambda run, item: run.world.host(item["host"]).quickbooks.start_without_file(),
    "end_qbwc_task": lambda run, item: run.world.host(item["host"]).web_connector(item.get("user")).end_task(),
    "end_quickbooks_process": lambda run, item: run.world.host(item["host"]).quickbooks.end_background_quickbooks(),
    "damage_qwclog": lambda run, item: damage_log(run.world.host(item["host"]), item["how"]),
    "delete_qwclog": lambda run, item: delete_log(run.world.host(item["host"])),
    "security_software": lambda run, item: set_security_software(run.world.host(item["host"]), item["enabled"]),
    "set_closing_date": lambda run, item: _company_preferences(
        run, item, "closing_date", lambda company: setattr(company, "closing_date", item["date"])
    ),
    "set_credit_limit": lambda run, item: _company_preferences(
        run,
        item,
        "credit_limit",
        lambda company: change_customer(company, item["customer"], {"CreditLimit": item["amount"]}),
    ),
    "deactivate_customer": lambda run, item: _company_preferences(
        run,
        item,
        "customer_inactive",
        lambda company: change_customer(company, item["customer"], {"IsActive": "false"}),
    ),
    "change_invoice": lambda run, item: _integration(run, item["company_file"]).change_invoice(
        item["ref"], item["amount"]
    ),
    "edit_invoice_in_quickbooks": lambda run, item: run.world.host(item["host"]).quickbooks.edit_invoice(
        item["ref"], item.get("text", "Edited in QuickBooks")
    ),
    "service_misbehaves": lambda run, item: misbehave(run.world, item["callback"], item["how"]),
    "dotnet_tls": lambda run, item: set_dotnet_tls(run.world.host(item["host"]), item["tls"]),
    "service_minimum_tls": lambda run, item: change_service(run.world, "minimum_tls", item["tls"]),
}


def _grant_access_again(run: ScenarioRun, item) -> None:
    company = item["company_file"]
    host, path = _file(run, item)
    if company not in run.apps:
        raise SimError(f"{company!r} has no Web Connector application in this scenario")
    wc_host, user, name = run.apps[company]
    on = run.world.host(item["host"]) if "host" in item else host
    grant_access_again(
        host, path, wc_host.web_connector(user), name, on=on, opened_by=item.get("path"), login_as=item.get("user")
    )


# --- the changes a scenario-file action and a Gherkin step both make (sim.bdd.steps_when) -----------
def grant_access_again(
    host, path: str, connector, app_name: str, on=None, opened_by: str | None = None, login_as: str | None = None
) -> None:
    """As the Admin, in single-user mode on `on` (by default `host`, whose disk holds the file at
    `path`), opening it by `opened_by` (by default `path`): Integrated Applications, the application's
    automatic login revoked, saved, and granted again for `connector` as it is now; then QuickBooks closed."""
    desktop = (on or host).quickbooks
    opened = admin.open_as_admin_single_user(
        desktop.host, opened_by or path, CompanyFile.load(host, path).user("Admin").password
    )
    try:
        desktop.grant_again(connector.application(app_name).owner_id, connector.certificate, login_as=login_as)
    finally:
        if desktop.opened is opened:
            desktop.close_company_file()


def set_security_software(host, blocks: bool) -> None:
    """The security software on `host` starts closing Web Connector's connections, or gets it added
    to its exceptions."""
    (host.security.block if blocks else host.security.allow)(WEB_CONNECTOR_PROGRAM)


def expire_qbwc_certificate(connector) -> None:
    """The code-signing certificate a Web Connector presents to QuickBooks expires (FIELD: Intuit, an
    expired certificate still integrates once the Admin allows it)."""
    connector.certificate_expired = True
    connector.host.world.record(
        connector.host.name, "qbwc.certificate_expired", source="FIELD", version=connector.version
    )


def company_customer(company: CompanyFile, customer: int | str) -> dict:
    """A customer of the company file, by name or by number (1 is the first of its list)."""
    customers = company.records["customers"]
    if isinstance(customer, str):
        found = next((c for c in customers if c["Name"] == customer), None)
        if found is None:
            raise SimError(f"the company file has no customer named {customer!r}")
        return found
    if not 1 <= customer <= len(customers):
        raise SimError(f"the company file has {len(customers)} customers; no customer number {customer}")
    return customers[customer - 1]


def change_customer(company: CompanyFile, customer: int | str, changes: dict[str, str]) -> None:
    """The QuickBooks Admin edits a customer (Customer Center): the changes kept in the file's indexes."""
    company.update_record("customers", company_customer(company, customer), changes)


def change_company_preferences(
    world: World, host, path: str, what: str, change: Callable[[CompanyFile], Any], by: str = "Admin", **details: Any
) -> None:
    """The QuickBooks Admin changes a company preference or a list entry: the file is saved at once."""
    _change_company_file(
        world, host, path, change, by, ("quickbooks.preferences_changed", "FIELD"), what=what, **details
    )


def _company_preferences(run: ScenarioRun, item, what: str, change) -> None:
    details = {k: v for k, v in item.items() if k in ("date", "customer", "amount")}
    change_company_preferences(run.world, *_file(run, item), what, change, by=item.get("by", "Admin"), **details)


def change_company_users(
    world: World, host, path: str, action: str, user: str, change: Callable[[CompanyFile], Any], by: str = "Admin"
) -> None:
    """The QuickBooks Admin changes users (Company > Users): the file is saved at once."""
    _change_company_file(world, host, path, change, by, ("quickbooks.users_changed", "PG"), action=action, user=user)


def _change_company_file(
    world: World,
    host,
    path: str,
    change: Callable[[CompanyFile], Any],
    by: str,
    event: tuple[str, str],
    /,
    **details: Any,
) -> None:
    """A change the QuickBooks Admin makes in a company file, saved at once, and the one event (kind, source)
    that says what it was."""
    company = CompanyFile.load(host, path)
    change(company)
    company.save(host, path)
    kind, source = event
    world.record(by, kind, source=source, **details)


def _company_users(run: ScenarioRun, item, change) -> None:
    change_company_users(run.world, *_file(run, item), item["action"], item["user"], change, by=item.get("by", "Admin"))


def _upgrade(run: ScenarioRun, item) -> None:
    host, path = _file(run, item)
    run.files[item["company_file"]] = (host, admin.upgrade_company_file(host, path, item["year"]))


def run_as_administrator(host, program: str, enabled: bool, user: str | None = None) -> None:
    """The "Run as administrator" compatibility setting of a program, "quickbooks" or "web_connector"
    (FIELD: UAC and elevation)."""
    target = host.quickbooks if program == "quickbooks" else host.web_connector(user)
    target.elevated = enabled
    host.world.record(host.name, "windows.run_as_administrator", source="FIELD", program=program, enabled=enabled)


def change_service(world: World, attribute: str, value) -> None:
    """STRATAFOLIO's web service changes: its certificate, the callbacks during which something in
    front of it drops the connection."""
    setattr(world.stratafolio, attribute, value)
    world.record(
        "STRATAFOLIO",
        "stratafolio.changed",
        source="FIELD",
        what=attribute,
        to=str(sorted(value) if isinstance(value, set) else value),
    )
