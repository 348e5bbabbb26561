"""Given-steps: the office, its linked files, the people in it, what STRATAFOLIO holds, and timed actions.

Every Given adds to one office (`ScenarioContext.ensure_office`): a file, a link, a second
workstation, another vendor's application on the same file; none rebuilds what the Givens
before it set up. Any When-step (or Given-step) can also be written as a Given that happens
later, at a time: `Given the server goes to sleep at "19:00"`. A clock time there is the
first such moment after the previous timed Given's (after the scenario's start for the
first), so `... sleep at "19:00"` then `... wakes up at "07:00"` is the next morning.
"""

from __future__ import annotations

import inspect
import re

from pytest_bdd import given, parsers, when

from sim.bdd.context import ScenarioContext
from sim.errors import SimError
from sim.people.admin import leave_popup
from sim.people.quickbooks_user import QuickBooksPerson
from sim.people.stratafolio_user import bill_tenants
from sim.quickbooks.company_file import CompanyFile

#: How steps name a computer: "the server" or a workstation's name.
HOST = r"(?P<host>the server|WS\d\d)"


def quoted(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r'"([^"]+)"', text))


# --- the office and its files ------------------------------------------------------------------
# Patterns end in [^"]+ rather than parse's {name}, which would also swallow a timed Given's ' at "10:00"'.
@given(parsers.re(r'^an office whose server holds the company file "(?P<company>[^"]+)"$'))
def office_with_file(wcsim: ScenarioContext, company: str):
    wcsim.add_company(company)


@given(parsers.parse('the server also holds the company file "{company}", not linked to STRATAFOLIO'))
def another_file(wcsim: ScenarioContext, company: str):
    if company in wcsim.locations:
        wcsim.fail(f"the office already holds {company!r}")
    wcsim.add_company(company)


@given(parsers.re(r'^a second server "(?P<name>[^"]+)" holds the company file "(?P<company>[^"]+)"$'))
def second_server(wcsim: ScenarioContext, name: str, company: str):
    """Another file server, sharing its own D:\\QBData as \\\\NAME\\QBData."""
    host = wcsim.add_computer(name, "server")
    wcsim.add_company(company, host)


@given(parsers.re(r"^the office has a workstation (?P<name>WS\d\d)$"))
def workstation(wcsim: ScenarioContext, name: str):
    """A workstation that maps the server's share to Q: (WS01 is there from the start)."""
    wcsim.add_computer(name, "workstation")


@given(
    parsers.re(
        r'^(?P<names>(?:"[^"]+"(?:, | and )?)+) (?:is|are) linked to '
        r"STRATAFOLIO(?P<synced> and (?:has|have) synced once)?$"
    )
)
def linked(wcsim: ScenarioContext, names: str, synced: str | None):
    companies = quoted(names)
    for company in companies:
        wcsim.link(company)
    if synced:
        results = wcsim.sync(list(companies))
        if not all(r.succeeded for r in results):
            wcsim.fail(f"the first sync should succeed, got {[(r.app, r.outcome, r.code) for r in results]}")


@given("these company files are linked to STRATAFOLIO:")
def linked_table(wcsim: ScenarioContext, datatable: list[list[str]]):
    header, *rows = datatable
    if not rows or header[0].strip().casefold() != "company file":
        wcsim.fail(f"expected a table with a 'company file' column and at least one row, got {datatable}")
    for row in rows:
        wcsim.link(row[0].strip())


@given(parsers.re(rf'^"(?P<company>[^"]+)" is linked to STRATAFOLIO from {HOST}(?: through drive Q:)?$'))
def linked_from(wcsim: ScenarioContext, company: str, host: str):
    wcsim.ensure_office()
    wcsim.link(company, wcsim.host(host))


@given(
    parsers.re(
        r'^another vendor\'s application "(?P<app>[^"]+)" is linked to '
        r'"(?P<company>[^"]+)"(?: with access "(?P<access>[^"]+)")?$'
    )
)
def other_vendor(wcsim: ScenarioContext, app: str, company: str, access: str | None):
    """A second Web Connector application on the same company file: its own QWC, OwnerID and approval."""
    try:
        wcsim.link_other_application(app, company, access=access or "always")
    except SimError as error:
        wcsim.fail(f"another vendor's application {app!r} could not be linked to {company!r}: {error}")


# --- STRATAFOLIO ---------------------------------------------------------------------------------
@given(parsers.re(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$'))
@when(parsers.re(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$'))
def new_invoices(wcsim: ScenarioContext, count: str, which: str):
    office = wcsim.require_office()
    companies = list(office.apps) if which == "each integration" else list(quoted(which))
    for company in companies:
        host, path = wcsim.location(company)
        customers = CompanyFile.load(host, path).records["customers"]
        for number in range(int(count)):
            office.integrations[company].create_invoice(
                customers[number % len(customers)]["Name"], f"{100 + number}.00"
            )


@given(parsers.parse("STRATAFOLIO users create an invoice for each integration every {minutes:d} minutes"))
def billing(wcsim: ScenarioContext, minutes: int):
    office = wcsim.require_office()
    for company in office.apps:
        host, path = wcsim.location(company)
        customers = [c["Name"] for c in CompanyFile.load(host, path).records["customers"]]
        bill_tenants(office.world, office.integrations[company], customers, minutes)


@given(parsers.parse('"{email}" is a STRATAFOLIO member without Administrator rights'))
def plain_member(wcsim: ScenarioContext, email: str):
    wcsim.ensure_office().organization.add_member(email)


# --- Web Connector's scheduler --------------------------------------------------------------------
@given(parsers.parse("Auto-Run syncs every integration every {minutes:d} minutes"))
@when(parsers.parse("Auto-Run syncs every integration every {minutes:d} minutes"))
def auto_run(wcsim: ScenarioContext, minutes: int):
    """Every Web Connector of the office that lists applications: the server's and the workstations'."""
    office = wcsim.require_office()
    hosts = {
        id(h): h for h in [office.server, *wcsim.wc_host.values(), *(o.host for o in wcsim.others.values())]
    }.values()
    _auto_run(wcsim, [host for host in hosts if host.web_connector().applications()], minutes)


@given(parsers.re(rf"^Auto-Run on {HOST} syncs every integration every (?P<minutes>\d+) minutes$"))
def auto_run_on(wcsim: ScenarioContext, host: str, minutes: str):
    _auto_run(wcsim, [wcsim.host(host)], int(minutes))


@given(parsers.re(r'^Auto-Run syncs "(?P<name>[^"]+)" every (?P<minutes>\d+) minutes$'))
@when(parsers.re(r'^Auto-Run syncs "(?P<name>[^"]+)" every (?P<minutes>\d+) minutes$'))
def auto_run_one(wcsim: ScenarioContext, name: str, minutes: str):
    wcsim.connector(name).set_auto_run(wcsim.app(name), True, int(minutes))


def _auto_run(wcsim: ScenarioContext, hosts, minutes: int) -> None:
    apps = [(host.web_connector(), app.name) for host in hosts for app in host.web_connector().applications()]
    if not apps:
        wcsim.fail(
            "no Web Connector application to put on Auto-Run (on "
            f"{', '.join(h.name for h in hosts) or 'no computer'}): link a company file first"
        )
    for connector, name in apps:
        connector.set_auto_run(name, True, minutes)


# --- people and habits ---------------------------------------------------------------------------
@given(
    parsers.re(
        rf'^"(?P<person>[^"]+)" works in "(?P<company>[^"]+)" on {HOST} from "(?P<start>[^"]+)" to "(?P<end>[^"]+)"$'
    )
)
def person_works(wcsim: ScenarioContext, person: str, company: str, host: str, start: str, end: str):
    computer = wcsim.host(host)
    wcsim.people[person] = QuickBooksPerson(
        wcsim.world, person, computer, wcsim.path_seen_from(computer, company), day_starts=start, day_ends=end
    ).start()


@given(
    parsers.re(
        rf'^{HOST} sleeps every night from "(?P<sleeps>[^"]+)" to "(?P<wakes>[^"]+)"(?P<weekends> and all weekend)?$'
    )
)
def sleeps_every_night(wcsim: ScenarioContext, host: str, sleeps: str, wakes: str, weekends: str | None):
    """A power habit (Windows' power plan, or someone putting it to sleep when leaving)."""
    wcsim.host(host).sleep_at_night(sleeps, wakes, bool(weekends))


@given("the server stays on and awake and nobody uses QuickBooks")
def nobody_working(wcsim: ScenarioContext):
    office = wcsim.require_office()
    busy = [h.name for h in office.world.hosts.values() if h.open_company_file is not None]
    if not office.server.has_session or busy or wcsim.people:
        wcsim.fail(
            f"expected an idle office; server session={office.server.has_session}, QuickBooks "
            f"open on {busy}, people {list(wcsim.people)}"
        )


@given(parsers.re(r'^a QuickBooks upgrade leaves the pop-up "(?P<text>[^"]+)" in "(?P<company>[^"]+)"$'))
@when(parsers.re(r'^a QuickBooks upgrade leaves the pop-up "(?P<text>[^"]+)" in "(?P<company>[^"]+)"$'))
def upgrade_popup(wcsim: ScenarioContext, text: str, company: str):
    wcsim.ensure_office()
    host, path = wcsim.location(company)
    leave_popup(host, path, text)


@given(parsers.re(r'^STRATAFOLIO has an invoice for "(?P<company>[^"]+)" dated "(?P<date>[^"]+)"$'))
@when(parsers.re(r'^STRATAFOLIO has an invoice for "(?P<company>[^"]+)" dated "(?P<date>[^"]+)"$'))
def dated_invoice(wcsim: ScenarioContext, company: str, date: str):
    """A STRATAFOLIO user enters an invoice with its own date (a correction for an earlier month, say)."""
    host, path = wcsim.location(company)
    customer = CompanyFile.load(host, path).records["customers"][0]["Name"]
    wcsim.require_office().integrations[company].create_invoice(customer, "120.00", dated=date)


# --- any action, later: the timed form of every step ----------------------------------------------
@given(parsers.re(r'^(?P<action>.+) at "(?P<moment>[^"]+)"$'))
def timed(wcsim: ScenarioContext, action: str, moment: str):
    """`Given <any When- or Given-step> at "<time>"`: that step happens at that simulated time, while
    later steps run the simulation. The trace shows it as a timeline action."""
    step = action_step(action)
    if step is None:
        from sim.bdd.catalogue import closest_steps

        hint = "".join(f'\n    Given {text.split(" ", 1)[1]} at "{moment}"' for text in closest_steps(action))
        wcsim.fail(
            f"no step of the library matches {action!r}, so it cannot happen at {moment!r}. "
            f"Closest steps:{hint or ' (none)'}"
        )
    office = wcsim.ensure_office()
    world = office.world
    base = wcsim.timed_base or world.start
    when_ = wcsim.moment(moment, base)
    if when_ < world.now:
        wcsim.fail(f"{moment!r} is {when_:%a %H:%M:%S}, already past (the simulation is at {world.now:%a %H:%M:%S})")
    wcsim.timed_base = when_
    where = wcsim.step_where

    def later():
        yield world.wait_until(when_)
        world.record("gherkin", "timeline.action", action=action)
        try:
            call_step(step, action, wcsim)
        except (AssertionError, SimError) as error:
            raise AssertionError(f"{where}\nthe timed step could not happen at {when_:%a %H:%M:%S}: {error}") from None

    world.process(later())


def action_step(text: str):
    """The library's step a line names (a When-step first, then a Given-step other than the timed one)."""
    from pytest_bdd.steps import step_function_context_registry

    found = [
        c
        for c in step_function_context_registry.values()
        if c.type in ("when", "given") and c.step_func is not timed and c.parser.is_matching(text)
    ]
    found.sort(key=lambda c: (c.type != "when", not c.step_func.__module__.startswith("sim.bdd.")))
    return found[0] if found else None


def call_step(context, text: str, wcsim: ScenarioContext):
    arguments = context.parser.parse_arguments(text) or {}
    wanted = inspect.signature(context.step_func).parameters
    if "datatable" in wanted or "docstring" in wanted:
        raise AssertionError(f"{text!r} needs a table, so it cannot be timed")
    return context.step_func(**{name: value for name, value in {"wcsim": wcsim, **arguments}.items() if name in wanted})
