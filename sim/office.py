"""A ready-made office: the starting point of tests, Gherkin steps, the claims and the benchmark.

`build_office` makes a world with one file server (which runs QuickBooks and Web
Connector, where the article says the file lives), any number of workstations
that map the server's share to a drive letter, company files on the share, and a
STRATAFOLIO organization with one integration per file. Linking the files is
left to the caller (`link_all`), because how a file gets linked is itself
something the scenarios check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sim.people.admin import link_company_file
from sim.quickbooks.company_file import create_company_file
from sim.stratafolio.organization import Integration, Organization
from sim.windows.host import Host
from sim.world import DEFAULT_START, World

if TYPE_CHECKING:
    from sim.stratafolio.real_service import ServiceBinding

__all__ = ["Office", "build_office", "serve_office_through", "ADMIN_EMAIL", "SHARE_FOLDER"]

ADMIN_EMAIL = "admin@example.com"
SHARE_FOLDER = r"D:\QBData"


@dataclass
class Office:
    world: World
    server: Host
    workstations: list[Host]
    files: dict[str, str]  # company name -> path on the server
    organization: Organization
    integrations: dict[str, Integration]
    apps: dict[str, str] = field(default_factory=dict)  # company name -> Web Connector app name
    share: str = ""

    @property
    def web_connector(self):
        return self.server.web_connector()

    def link_all(self) -> None:
        for company, path in self.files.items():
            self.apps[company] = link_company_file(
                self.server, path, self.organization, self.integrations[company], ADMIN_EMAIL
            )

    def mapped_path(self, company: str, letter: str = "Q") -> str:
        """The file's path as a workstation that maps the share to `letter` sees it."""
        return letter + ":" + self.files[company][len(SHARE_FOLDER) :]


def build_office(
    seed: int = 0,
    companies: tuple[str, ...] = ("Acme Properties",),
    workstations: int = 1,
    start: datetime = DEFAULT_START,
    folder: str = r"D:\QBData\Company Files",
    quickbooks_year: int = 2024,
    web_connector_version: str | None = None,
) -> Office:
    """The server runs QuickBooks `quickbooks_year` (its company files at that year) and the Web
    Connector `web_connector_version` (None: the host's default, the standalone 2.3): any pairing
    an office may have (the 2.3 build beside an older QuickBooks, or the 33.0.x of QuickBooks 2024
    and later)."""
    world = World(seed=seed, start=start)
    server = world.add_server("FILESRV", drives=("C", "D"), windows_users=("Administrator",), logged_in="Administrator")
    if web_connector_version is not None:
        server.web_connector_version = web_connector_version
    server.quickbooks.installed_years = (quickbooks_year,)
    share = world.network.share(server, "QBData", SHARE_FOLDER)
    stations = []
    for number in range(1, workstations + 1):
        station = world.add_workstation(f"WS{number:02d}", windows_users=(f"user{number}",), logged_in=f"user{number}")
        world.network.map_drive(station, "Q", share)
        stations.append(station)
    organization = world.stratafolio.create_organization("Example Realty", ADMIN_EMAIL)
    files, integrations = {}, {}
    for company in companies:
        path = f"{folder}\\{company}.QBW"
        create_company_file(
            world,
            server,
            path,
            company_name=company,
            users={"Admin": "", "maria": "", "li": ""},
            version=quickbooks_year,
        )
        files[company] = path
        integrations[company] = organization.add_integration(ADMIN_EMAIL, company, company)
    return Office(world, server, stations, files, organization, integrations, share=share)


def reference_office(seed: int = 0, every_minutes: int = 5) -> Office:
    """The benchmark's office: one server with 3 company files, 2 workstations, 8 people
    on workday habits (in shifts, since one computer runs one QuickBooks), one
    integration per file on Auto-Run every `every_minutes` minutes."""
    from sim.people.quickbooks_user import QuickBooksPerson

    office = build_office(
        seed=seed, companies=("Acme Properties", "Birch Lane Rentals", "Cedar Storage"), workstations=2
    )
    office.link_all()
    connector = office.web_connector
    for app in office.apps.values():
        connector.set_auto_run(app, True, every_minutes)
    companies = list(office.files)
    shifts = [("08:00", "11:00"), ("11:30", "14:30"), ("15:00", "18:00")]
    hosts = [office.workstations[0], office.workstations[1], office.server]
    names = ["maria", "li", "Admin"]
    for number in range(8):
        host = hosts[number % 3]
        start, end = shifts[number // 3]
        company = companies[number % len(companies)]
        path = office.files[company] if host is office.server else office.mapped_path(company)
        QuickBooksPerson(office.world, names[number % 3], host, path, day_starts=start, day_ends=end).start()
    return office


def serve_office_through(office, binding: ServiceBinding) -> None:
    """Put every integration of a ready-made office in the real service of `binding` (sim.stratafolio.real_service)."""
    from sim.stratafolio.real_service import ServiceOrganization

    office.organization = ServiceOrganization(office.organization, default=binding)
    office.integrations = {
        company: office.organization.add_integration(ADMIN_EMAIL, company, company) for company in office.files
    }
