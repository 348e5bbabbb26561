"""Where a claim holds: the office varied around it, each variant simulated, in a small table.

A claim's scenarios show it in one office. A writer needs to know how far it reaches:
does "a full sync while someone works fails for all of them" still hold when that
person works at a workstation, in single-user mode, or when no records wait to be
written? Each variant here builds its own office, runs the same action, and reports
what the mechanisms did; the claim's wording is then judged against that, never
assumed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sim.office import build_office
from sim.people.quickbooks_user import NOTICEABLE_SLOWDOWN_SECONDS, QuickBooksPerson
from sim.people.stratafolio_user import bill_tenants
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER

__all__ = ["Variant", "Boundary", "boundaries", "BOUNDARY_CLAIMS"]

COMPANIES = ("Acme Properties", "Birch Lane Rentals", "Cedar Storage")


@dataclass(frozen=True)
class Variant:
    conditions: tuple[tuple[str, str], ...]  # (what was varied, its value here)
    observed: str
    holds: bool


@dataclass(frozen=True)
class Boundary:
    claim: str
    question: str
    variants: tuple[Variant, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.variants[0].conditions) if self.variants else ()


def _office_with_a_person(seed: int, where: str, mode: str, waiting: bool):
    """Three linked files; a person working in the first from 08:30; with `waiting`, STRATAFOLIO
    users keep creating invoices (two at once, then one every 20 minutes per integration)."""
    office = build_office(seed=seed, companies=COMPANIES)
    office.link_all()
    if waiting:
        for company, integration in office.integrations.items():
            customers = [c["Name"] for c in CompanyFile.load(office.server, office.files[company]).records["customers"]]
            for number in range(2):
                integration.create_invoice(customers[number], f"{100 + number}.00")
            bill_tenants(office.world, integration, customers, 20)
    host = office.server if where == "server" else office.workstations[0]
    path = office.files[COMPANIES[0]] if host is office.server else office.mapped_path(COMPANIES[0])
    person = QuickBooksPerson(office.world, "maria", host, path, mode=mode, day_starts="08:30", day_ends="17:00").start()
    return office, person


def _where(where: str) -> str:
    return "the Web Connector's computer" if where == "server" else "a workstation"


def _full_sync_while_working(seed: int, where: str, mode: str, waiting: bool) -> tuple[str, bool]:
    office, person = _office_with_a_person(seed, where, mode, waiting)
    world = office.world
    world.run(until="10:00")
    process = office.web_connector.update_selected("all")
    world.run_until_done(process, 120)
    results = process.value or []
    failed = [r.app.removeprefix("STRATAFOLIO - ") for r in results if r.outcome != "succeeded"]
    holds = len(failed) == len(COMPANIES) and person.slowed_seconds >= NOTICEABLE_SLOWDOWN_SECONDS
    observed = f"{len(failed)} of {len(results)} failed" + (f" ({', '.join(failed)})" if 0 < len(failed) < len(results) else "") + f"; slowed {person.slowed_seconds:.1f} s"
    return observed, holds


def _scheduler_while_working(seed: int, where: str, mode: str, waiting: bool) -> tuple[str, bool]:
    office, person = _office_with_a_person(seed, where, mode, waiting)
    world = office.world
    for app in office.apps.values():
        office.web_connector.set_auto_run(app, True, 15)
    mark = len(world.trace)
    world.run(until="12:00")
    finished = [e for e in world.trace.select("update.finished", since=mark, trigger="scheduled") if e.seconds >= 3600 * 2]
    failed = [e for e in finished if e.get("outcome") != "succeeded"]
    share = len(failed) / len(finished) if finished else 0.0
    holds = share >= 0.85 and person.slowed_seconds >= NOTICEABLE_SLOWDOWN_SECONDS
    return f"{len(failed)} of {len(finished)} scheduled syncs failed ({share:.0%}); slowed {person.slowed_seconds:.1f} s", holds


#: claim id -> (the question, how one variant is simulated: its observation and whether the claim holds)
BOUNDARY_CLAIMS = {
    "claim-scheduler-conditions": (
        "Auto-Run every 15 minutes for three files, 09:00-12:00, while one person works in Acme Properties: do at least 85% of the scheduled syncs fail, and is that person slowed down?",
        _scheduler_while_working,
    ),
    "claim-full-sync-while-working": (
        "A full sync of all integrations at 10:00 while one person works in Acme Properties: does it fail for all of them and slow that person down?",
        _full_sync_while_working,
    ),
}


def boundaries(seed: int = 0) -> list[Boundary]:
    found = []
    for claim, (question, simulate) in BOUNDARY_CLAIMS.items():
        variants = tuple(
            Variant((("works at", _where(where)), ("mode", mode), ("records waiting", "yes" if waiting else "no")), *simulate(seed, where, mode, waiting))
            for where, mode, waiting in itertools.product(("server", "workstation"), (MULTI_USER, SINGLE_USER), (True, False))
        )
        found.append(Boundary(claim, question, variants))
    return found
