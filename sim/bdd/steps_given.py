"""Given-steps: the office, its linked files, the people in it and what STRATAFOLIO holds."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, when

from sim.bdd.context import ScenarioContext
from sim.office import ADMIN_EMAIL
from sim.people.admin import leave_popup, link_company_file
from sim.people.quickbooks_user import QuickBooksPerson
from sim.people.stratafolio_user import bill_tenants
from sim.quickbooks.company_file import CompanyFile, create_company_file


def quoted(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r'"([^"]+)"', text))


@given(parsers.parse('an office whose server holds the company file "{company}"'))
def office_with_file(wcsim: ScenarioContext, company: str):
    wcsim.build((company,))


@given(parsers.re(r'^(?P<names>(?:"[^"]+"(?:, | and )?)+) (?:is|are) linked to STRATAFOLIO(?P<synced> and (?:has|have) synced once)?$'))
def linked(wcsim: ScenarioContext, names: str, synced: str | None):
    companies = quoted(names)
    _link_all(wcsim, companies)
    if synced:
        results = wcsim.sync(list(companies))
        if not all(r.succeeded for r in results):
            wcsim.fail(f"the first sync should succeed, got {[(r.app, r.outcome, r.code) for r in results]}")


@given(parsers.parse('the server also holds the company file "{company}", not linked to STRATAFOLIO'))
def another_file(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    if company in wcsim.locations:
        wcsim.fail(f"the office already holds {company!r}")
    folder = next(iter(office.files.values())).rsplit("\\", 1)[0]
    path = f"{folder}\\{company}.QBW"
    create_company_file(office.world, office.server, path, company_name=company, users={"Admin": "", "maria": "", "li": ""})
    wcsim.locations[company] = (office.server, path)


@given("these company files are linked to STRATAFOLIO:")
def linked_table(wcsim: ScenarioContext, datatable: list[list[str]]):
    header, *rows = datatable
    if not rows or header[0].strip().casefold() != "company file":
        wcsim.fail(f"expected a table with a 'company file' column and at least one row, got {datatable}")
    _link_all(wcsim, tuple(row[0].strip() for row in rows))


def _link_all(wcsim: ScenarioContext, companies: tuple[str, ...]) -> None:
    office = wcsim.build(companies)
    office.link_all()
    for company in companies:
        wcsim.wc_host[company] = office.server
        wcsim.computers[company] = office.integrations[company].computers[-1]


@given(parsers.parse('"{company}" is linked to STRATAFOLIO from WS01 through drive Q:'))
def linked_from_workstation(wcsim: ScenarioContext, company: str):
    office = wcsim.build((company,))
    station = office.workstations[0]
    office.apps[company] = link_company_file(station, office.mapped_path(company), office.organization, office.integrations[company], ADMIN_EMAIL)
    wcsim.wc_host[company] = station


@given(parsers.re(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$'))
@when(parsers.re(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$'))
def new_invoices(wcsim: ScenarioContext, count: str, which: str):
    office = wcsim.require_office()
    companies = list(office.integrations) if which == "each integration" else list(quoted(which))
    for company in companies:
        host, path = wcsim.location(company)
        customers = CompanyFile.load(host, path).records["customers"]
        for number in range(int(count)):
            office.integrations[company].create_invoice(customers[number % len(customers)]["Name"], f"{100 + number}.00")


@given(parsers.parse("STRATAFOLIO users create an invoice for each integration every {minutes:d} minutes"))
def billing(wcsim: ScenarioContext, minutes: int):
    office = wcsim.require_office()
    for company, integration in office.integrations.items():
        host, path = wcsim.location(company)
        customers = [c["Name"] for c in CompanyFile.load(host, path).records["customers"]]
        bill_tenants(office.world, integration, customers, minutes)


#: How steps name a computer: "the server" or a workstation's name.
HOST = r"(?P<host>the server|WS\d\d)"


@given(parsers.parse("Auto-Run syncs every integration every {minutes:d} minutes"))
@when(parsers.parse("Auto-Run syncs every integration every {minutes:d} minutes"))
def auto_run(wcsim: ScenarioContext, minutes: int):
    """Every Web Connector of the office that lists applications: the server's and the workstations'."""
    office = wcsim.require_office()
    hosts = {id(h): h for h in [office.server, *wcsim.wc_host.values()]}.values()
    _auto_run(wcsim, [host for host in hosts if host.web_connector().applications()], minutes)


@given(parsers.re(rf"^Auto-Run on {HOST} syncs every integration every (?P<minutes>\d+) minutes$"))
def auto_run_on(wcsim: ScenarioContext, host: str, minutes: str):
    _auto_run(wcsim, [wcsim.host(host)], int(minutes))


def _auto_run(wcsim: ScenarioContext, hosts, minutes: int) -> None:
    apps = [(host.web_connector(), app.name) for host in hosts for app in host.web_connector().applications()]
    if not apps:
        wcsim.fail(f"no Web Connector application to put on Auto-Run (on {', '.join(h.name for h in hosts) or 'no computer'}): link a company file first")
    for connector, name in apps:
        connector.set_auto_run(name, True, minutes)


@given(parsers.re(r'^"(?P<person>[^"]+)" works in "(?P<company>[^"]+)" on (?P<where>the server|WS01) from "(?P<start>[^"]+)" to "(?P<end>[^"]+)"$'))
def person_works(wcsim: ScenarioContext, person: str, company: str, where: str, start: str, end: str):
    office = wcsim.require_office()
    host = office.server if where == "the server" else office.workstations[0]
    path = office.files[company] if host is office.server else office.mapped_path(company)
    wcsim.people[person] = QuickBooksPerson(office.world, person, host, path, day_starts=start, day_ends=end).start()


@given(parsers.parse('the server goes to sleep at "{moment}"'))
def server_sleeps(wcsim: ScenarioContext, moment: str):
    _at(wcsim, moment, wcsim.require_office().server.sleep)


@given(parsers.parse('the server is switched off at "{moment}"'))
def server_off(wcsim: ScenarioContext, moment: str):
    _at(wcsim, moment, wcsim.require_office().server.shut_down)


def _at(wcsim: ScenarioContext, moment: str, action) -> None:
    world = wcsim.world

    def later():
        yield world.wait_until(moment)
        action()

    world.process(later())


@given("the server stays on and awake and nobody uses QuickBooks")
def nobody_working(wcsim: ScenarioContext):
    office = wcsim.require_office()
    busy = [h.name for h in office.world.hosts.values() if h.open_company_file is not None]
    if not office.server.has_session or busy or wcsim.people:
        wcsim.fail(f"expected an idle office; server session={office.server.has_session}, QuickBooks open on {busy}, people {list(wcsim.people)}")


@given(parsers.parse('a QuickBooks upgrade leaves the pop-up "{text}" in "{company}"'))
@when(parsers.parse('a QuickBooks upgrade leaves the pop-up "{text}" in "{company}"'))
def upgrade_popup(wcsim: ScenarioContext, text: str, company: str):
    host, path = wcsim.location(company)
    leave_popup(host, path, text)


@given(parsers.parse('STRATAFOLIO has an invoice for "{company}" dated "{date}"'))
@when(parsers.parse('STRATAFOLIO has an invoice for "{company}" dated "{date}"'))
def dated_invoice(wcsim: ScenarioContext, company: str, date: str):
    """A STRATAFOLIO user enters an invoice with its own date (a correction for an earlier month, say)."""
    host, path = wcsim.location(company)
    customer = CompanyFile.load(host, path).records["customers"][0]["Name"]
    wcsim.require_office().integrations[company].create_invoice(customer, "120.00", dated=date)


@given(parsers.parse('"{email}" is a STRATAFOLIO member without Administrator rights'))
def plain_member(wcsim: ScenarioContext, email: str):
    wcsim.require_office().organization.add_member(email)
