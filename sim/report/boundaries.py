"""Where a claim holds: the office varied around it, each variant simulated, in a small table.

A claim's scenarios show it in one office. A writer needs to know how far it reaches:
does "a full sync while someone works fails for all of them" still hold when that
person works at a workstation, in single-user mode, or when no records wait to be
written? Does a rename break the sync from a workstation's Web Connector too? Each
`Situations` here names a question, the conditions it varies and how one variant is
simulated; every variant builds its own small office, does the action, and reports what
the mechanisms did, whether the claim's wording held, and which trace events decided it
(their provenance tells the report whether the outcome rests on an independent source,
on the article itself, or on an assumption). Nothing here is stored: the report runs
them every time, so they follow the model.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sim.office import build_office
from sim.people.admin import (
    close_quickbooks,
    connect_with_qwc,
    dismiss_popups,
    first_sync,
    leave_popup,
    link_company_file,
    move_company_file,
    open_as_admin_single_user,
    rename_company_file,
    rename_folder,
)
from sim.people.quickbooks_user import NOTICEABLE_SLOWDOWN_SECONDS, QuickBooksPerson
from sim.people.stratafolio_user import bill_tenants
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER
from sim.windows.filesystem import relocated

__all__ = ["Variant", "Boundary", "Situations", "boundaries", "SITUATIONS", "BOUNDARY_CLAIMS"]

COMPANIES = ("Acme Properties", "Birch Lane Rentals", "Cedar Storage")
ACME = COMPANIES[0]


@dataclass(frozen=True)
class Variant:
    conditions: tuple[tuple[str, str], ...]  # (what was varied, its value here)
    observed: str
    holds: bool
    #: (provenance, trace kind) of the events that decided the outcome, for the report's tiers.
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Boundary:
    id: str
    claim: str
    question: str
    variants: tuple[Variant, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.variants[0].conditions) if self.variants else ()

    @property
    def held(self) -> int:
        return sum(v.holds for v in self.variants)


@dataclass(frozen=True)
class Situations:
    """A question about a claim, the conditions it varies (name, values) and how one variant is simulated:
    `simulate(seed, *values)` -> (observed, holds, deciding events)."""

    id: str
    claim: str
    question: str
    conditions: tuple[tuple[str, tuple[str, ...]], ...]
    simulate: Callable[..., tuple[str, bool, list]]


def _sources(events) -> tuple[tuple[str, str], ...]:
    """(provenance, kind) of the events a simulation says decided its outcome: each returns only those,
    and a mechanism's carry their source (what people did carries none)."""
    return tuple(sorted({(e.source, e.kind) for e in events if e.source}))


# --- small offices --------------------------------------------------------------------------------
def _linked(seed: int, where: str = "the server", companies: tuple[str, ...] = (ACME,)):
    """Files on the server, each linked the normal way from the server or from WS01 (drive Q:)."""
    office = build_office(seed=seed, companies=companies)
    host = office.server if where == "the server" else office.workstations[0]
    for company in companies:
        path = office.files[company] if host is office.server else office.mapped_path(company)
        office.apps[company] = link_company_file(
            host, path, office.organization, office.integrations[company], "admin@example.com"
        )
    return office, host


def _sync(office, host, companies) -> list:
    process = host.web_connector().update_selected([office.apps[c] for c in companies])
    office.world.run_until_done(process, 120)
    return list(process.value or [])


def _outcomes(results) -> str:
    return ", ".join(f"{r.outcome}{' ' + r.code if r.code and r.code != '-' else ''}" for r in results) or "nothing ran"


def _since(world, mark: int, *kinds: str, **details) -> list:
    return [e for kind in kinds for e in world.trace.select(kind, since=mark, **details)]


# --- people working -------------------------------------------------------------------------------
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
    path = office.files[ACME] if host is office.server else office.mapped_path(ACME)
    person = QuickBooksPerson(
        office.world, "maria", host, path, mode=mode, day_starts="08:30", day_ends="17:00"
    ).start()
    return office, person


def _where(where: str) -> str:
    return "the Web Connector's computer" if where == "server" else "a workstation"


def _full_sync_while_working(seed: int, where: str, mode: str, waiting: str):
    office, person = _office_with_a_person(seed, where, mode, waiting == "yes")
    world = office.world
    world.run(until="10:00")
    mark = len(world.trace)
    process = office.web_connector.update_selected("all")
    world.run_until_done(process, 120)
    results = process.value or []
    failed = [r.app.removeprefix("STRATAFOLIO - ") for r in results if r.outcome != "succeeded"]
    holds = len(failed) == len(COMPANIES) and person.slowed_seconds >= NOTICEABLE_SLOWDOWN_SECONDS
    observed = (
        f"{len(failed)} of {len(results)} failed"
        + (f" ({', '.join(failed)})" if 0 < len(failed) < len(results) else "")
        + f"; slowed {person.slowed_seconds:.1f} s"
    )
    return observed, holds, _since(world, mark, "update.finished", "sdk.", "person.slowed_down")


def _scheduler_while_working(seed: int, where: str, mode: str, waiting: str):
    office, person = _office_with_a_person(seed, where, mode, waiting == "yes")
    world = office.world
    for app in office.apps.values():
        office.web_connector.set_auto_run(app, True, 15)
    mark = len(world.trace)
    world.run(until="12:00")
    finished = [
        e for e in world.trace.select("update.finished", since=mark, trigger="scheduled") if e.seconds >= 3600 * 2
    ]
    failed = [e for e in finished if e.get("outcome") != "succeeded"]
    share = len(failed) / len(finished) if finished else 0.0
    holds = share >= 0.85 and person.slowed_seconds >= NOTICEABLE_SLOWDOWN_SECONDS
    observed = (
        f"{len(failed)} of {len(finished)} scheduled syncs failed ({share:.0%}); slowed {person.slowed_seconds:.1f} s"
    )
    return observed, holds, failed + _since(world, mark, "sdk.record_in_use", "person.slowed_down")


# --- the computer off or asleep ----------------------------------------------------------------------
def _off_or_asleep(seed: int, where: str, power: str):
    office, host = _linked(seed, where)
    world = office.world
    host.web_connector().set_auto_run(office.apps[ACME], True, 15)

    def at_nine():
        yield world.wait_until("09:00")
        host.sleep() if power == "asleep" else host.shut_down()

    world.process(at_nine())
    mark, cut = len(world.trace), world.at("09:00")
    world.run(until="11:00")
    started = world.trace.select("update.started", since=mark, trigger="scheduled")
    before, after = [e for e in started if e.seconds < cut], [e for e in started if e.seconds >= cut]
    holds = bool(before) and not after
    return (
        f"{len(before)} scheduled syncs before 09:00, {len(after)} after",
        holds,
        _since(world, mark, "host.asleep", "host.off") + after + before[-1:],
    )


# --- renames, moves and removals ---------------------------------------------------------------------
FOLDER = r"D:\QBData\Company Files"


def _change(office, change: str) -> str:
    """Make the change; where the company file is now."""
    server, path = office.server, office.files[ACME]
    if change == "the file renamed":
        return rename_company_file(server, path, "Acme Properties 2026.QBW")
    if change in ("a folder renamed", "the shared folder renamed"):
        folder = FOLDER if change == "a folder renamed" else r"D:\QBData"
        new_folder = rename_folder(server, folder, "Files 2026" if change == "a folder renamed" else "QB Data Archive")
        return cast(str, relocated(path, folder, new_folder))  # the file lies below the folder renamed
    if change == "moved to another folder":
        return move_company_file(server, path, r"D:\Archive\Acme Properties.QBW")
    if change == "moved to another drive":
        return move_company_file(server, path, r"C:\QuickBooks\Acme Properties.QBW")
    if change == "moved to another server":
        other = office.world.add_server("NEWSRV", drives=("C", "D"), logged_in="Administrator")
        office.world.network.share(other, "QBData", r"D:\QBData")
        return move_company_file(server, path, r"\\NEWSRV\QBData\Acme Properties.QBW")
    raise ValueError(change)


def _sync_after_change(seed: int, change: str, where: str, trigger: str = "manual"):
    office, host = _linked(seed, where)
    world = office.world
    world.run(until="08:00")
    _change(office, change)
    mark = len(world.trace)
    if trigger == "manual":
        results = _sync(office, host, [ACME])
        finished = world.trace.select("update.finished", since=mark)
    else:
        host.web_connector().set_auto_run(office.apps[ACME], True, 15)
        world.run(until="09:00")
        finished = world.trace.select("update.finished", since=mark, trigger="scheduled")
        results = []
    failed = [e for e in finished if e.get("outcome") == "failed"]
    holds = bool(finished) and len(failed) == len(finished)
    codes = sorted({str(e.get("code")) for e in failed})
    observed = (_outcomes(results) if results else f"{len(failed)} of {len(finished)} scheduled syncs failed") + (
        f" ({', '.join(codes)})" if codes and not results else ""
    )
    return observed, holds, _since(world, mark, "update.finished", "sdk.begin_session_failed")


def _rename(seed: int, where: str, trigger: str):
    return _sync_after_change(seed, "the file renamed", where, trigger)


def _rename_folder(seed: int, folder: str, where: str):
    return _sync_after_change(
        seed, "a folder renamed" if folder == "the file's own folder" else "the shared folder renamed", where
    )


def _move(seed: int, target: str, where: str):
    return _sync_after_change(
        seed,
        {
            "another folder": "moved to another folder",
            "another drive": "moved to another drive",
            "another server": "moved to another server",
        }[target],
        where,
    )


def _removal(seed: int, change: str, where: str):
    office, host = _linked(seed, where)
    world = office.world
    _change(office, change)
    mark = len(world.trace)
    connector = host.web_connector()
    removed = connector.remove_application(office.apps[ACME])
    listed = office.apps[ACME] in [a.name for a in connector.applications()]
    holds = not removed and listed
    return (
        ("the removal fails; still listed" if holds else f"removed={removed}, listed={listed}"),
        holds,
        _since(world, mark, "qbwc.remove_failed", "sdk."),
    )


# --- linking, single-user, full syncs ----------------------------------------------------------------
def _first_sync(seed: int, linked_from: str, quickbooks: str):
    office = build_office(seed=seed)
    world = office.world
    host = office.server if linked_from == "the server" else office.workstations[0]
    path = office.files[ACME] if host is office.server else office.mapped_path(ACME)
    organization, integration = office.organization, office.integrations[ACME]
    computer = organization.authorize_computer("admin@example.com", integration, host.name)
    qwc = organization.download_qwc("admin@example.com", integration, computer, host)
    app = connect_with_qwc(host, path, qwc, computer.password, keep_open=quickbooks == "open")
    mark = len(world.trace)
    result = first_sync(host, app)
    close_quickbooks(host)
    holds = result is not None and result.succeeded
    return (
        (_outcomes([result]) if result else "nothing ran"),
        holds,
        _since(world, mark, "update.finished", "sdk.begin_session_failed"),
    )


def _single_user(seed: int, opened_on: str, where: str):
    office, host = _linked(seed, where)
    world = office.world
    other = office.workstations[0] if host is office.server else office.server
    opener = host if opened_on == "the Web Connector's computer" else other
    path = office.files[ACME] if opener is office.server else office.mapped_path(ACME)
    open_as_admin_single_user(opener, path)
    dismiss_popups(opener)
    mark = len(world.trace)
    results = _sync(office, host, [ACME])
    holds = bool(results) and all(r.succeeded for r in results)
    return _outcomes(results), holds, _since(world, mark, "update.finished", "sdk.begin_session_failed")


def _full_sync_nobody_working(seed: int, files: str, where: str):
    companies = COMPANIES[: int(files)]
    office, host = _linked(seed, where, companies)
    world = office.world
    for company in companies:
        customers = [c["Name"] for c in CompanyFile.load(office.server, office.files[company]).records["customers"]]
        for number in range(2):
            office.integrations[company].create_invoice(customers[number], f"{100 + number}.00")
    mark = len(world.trace)
    results = _sync(office, host, companies)
    problems = [
        p
        for c in companies
        for p in office.integrations[c].ledger.problems(CompanyFile.load(office.server, office.files[c]))
    ]
    holds = bool(results) and all(r.succeeded for r in results) and not problems
    return (
        _outcomes(results) + (f"; {len(problems)} records not exactly once" if problems else ""),
        holds,
        _since(world, mark, "update.finished", "sdk.begin_session_failed"),
    )


# --- the recovery steps ----------------------------------------------------------------------------------
DEVIATIONS = (
    "none",
    "the integration removed after the change",
    "the authorized computer not deleted",
    "the file not opened as the admin",
    "a pop-up left open",
    "the old QWC file reused",
)


def _recover(office, change: str, deviation: str = "none") -> dict[str, Any]:
    """The six recovery steps around `change`, with one deviation; what happened at each point."""
    world, server = office.world, office.server
    organization, integration = office.organization, office.integrations[ACME]
    connector = server.web_connector()
    old_qwc = server.fs.files_below(r"C:\Users", ".qwc")[0]
    old_computer = integration.computers[-1]
    seen: dict[str, Any] = {}
    if deviation != "the integration removed after the change":
        seen["removed"] = connector.remove_application(office.apps[ACME])
    if deviation != "the authorized computer not deleted":
        organization.delete_authorized_computer("admin@example.com", integration, old_computer)
    location = _change(office, change)
    if deviation == "the integration removed after the change":
        seen["removed"] = connector.remove_application(office.apps[ACME])
        if not seen["removed"]:
            return seen
    if deviation == "a pop-up left open":
        leave_popup(server, location, "Update your company file")
    if deviation != "the file not opened as the admin":
        open_as_admin_single_user(server, location)
        if deviation != "a pop-up left open":
            dismiss_popups(server)
    computer = organization.authorize_computer("admin@example.com", integration, server.name)
    qwc = (
        old_qwc
        if deviation == "the old QWC file reused"
        else organization.download_qwc("admin@example.com", integration, computer, server)
    )
    try:
        app = connector.add_application(qwc)
    except Exception as error:  # noqa: BLE001 - a refusal is the observation
        close_quickbooks(server)
        seen["add_failed"] = getattr(error, "code", type(error).__name__)
        return seen
    connector.set_password(app.name, computer.password)
    office.apps[ACME] = app.name
    seen["first"] = first_sync(server, app.name)
    close_quickbooks(server)
    seen["sync"] = _sync(office, server, [ACME])
    seen["old_login"] = world.stratafolio.authenticate(old_computer.user_name, old_computer.password)[1] != "nvu"
    seen["problems"] = integration.ledger.problems(CompanyFile.load(*_where_is(office, location)))
    return seen


def _where_is(office, location: str):
    where = office.world.network.resolve(office.server, location)
    return where.host, where.path


def _recovery_order(seed: int, deviation: str):
    office, _ = _linked(seed)
    world = office.world
    mark = len(world.trace)
    seen = _recover(office, "the file renamed", deviation)
    if "add_failed" in seen:
        observed, holds = f"adding the QWC file fails ({seen['add_failed']})", True
    elif seen.get("removed") is False:
        observed, holds = "the removal fails: the integration stays listed", True
    else:
        synced = all(r.succeeded for r in seen.get("sync", []))
        observed = ("the sync succeeds" if synced else f"the sync fails ({_outcomes(seen['sync'])})") + (
            "; the old computer's login still works" if seen.get("old_login") else ""
        )
        holds = not synced  # a skipped step that breaks nothing does not "matter" as the article says
    return (
        observed,
        holds,
        _since(
            world,
            mark,
            "qbwc.add_failed",
            "qbwc.remove_failed",
            "update.finished",
            "stratafolio.login_refused",
            "stratafolio.sync_started",
        ),
    )


def _recovery_change(seed: int, change: str):
    office, _ = _linked(seed)
    world = office.world
    customers = [c["Name"] for c in CompanyFile.load(office.server, office.files[ACME]).records["customers"]]
    for number in range(2):
        office.integrations[ACME].create_invoice(customers[number], f"{100 + number}.00")
    mark = len(world.trace)
    seen = _recover(office, change)
    synced = bool(seen.get("sync")) and all(r.succeeded for r in seen["sync"])
    holds = synced and not seen.get("problems") and not seen.get("old_login")
    observed = ("the sync succeeds" if synced else f"the sync fails ({_outcomes(seen.get('sync', []))})") + (
        f"; {len(seen['problems'])} records not exactly once" if seen.get("problems") else "; every record once"
    )
    return observed, holds, _since(world, mark, "update.finished", "stratafolio.login_refused")


WHERE = ("the server", "a workstation")
SITUATIONS: tuple[Situations, ...] = (
    Situations(
        "first-sync",
        "claim-normal-link",
        "Linking the normal way: does the first sync succeed, linked from the server or "
        "from a workstation, with QuickBooks still open or closed before it?",
        (("linked from", WHERE), ("QuickBooks at the first sync", ("open", "closed"))),
        _first_sync,
    ),
    Situations(
        "rename",
        "claim-rename-file",
        "The company file renamed at 08:00: do the syncs after it fail, manual and "
        "scheduled, from the server's Web Connector or a workstation's?",
        (("Web Connector on", WHERE), ("sync", ("manual", "scheduled"))),
        _rename,
    ),
    Situations(
        "rename-folder",
        "claim-rename-folder",
        "A folder of the file's path renamed: does the next sync fail?",
        (("folder renamed", ("the file's own folder", "the shared folder above it")), ("Web Connector on", WHERE)),
        _rename_folder,
    ),
    Situations(
        "move",
        "claim-move-file",
        "The file moved: does the next sync fail?",
        (("moved to", ("another folder", "another drive", "another server")), ("Web Connector on", WHERE)),
        _move,
    ),
    Situations(
        "removal",
        "claim-rename-blocks-removal",
        "After the file changed: does a normal removal from Web Connector fail, leaving the integration listed?",
        (("change", ("the file renamed", "a folder renamed", "moved to another folder")), ("Web Connector on", WHERE)),
        _removal,
    ),
    Situations(
        "off-or-asleep",
        "claim-scheduler-conditions",
        "Auto-Run every 15 minutes, the Web Connector's computer asleep or off from 09:00: does the scheduler stop?",
        (("Web Connector on", WHERE), ("from 09:00 it is", ("asleep", "off"))),
        _off_or_asleep,
    ),
    Situations(
        "working-scheduler",
        "claim-scheduler-conditions",
        "Auto-Run every 15 minutes for three files, 09:00-12:00, while one person works "
        "in Acme Properties: do at least 85% of the scheduled syncs fail, and is that "
        "person slowed down?",
        (
            ("works at", ("server", "workstation")),
            ("mode", (MULTI_USER, SINGLE_USER)),
            ("records waiting", ("yes", "no")),
        ),
        _scheduler_while_working,
    ),
    Situations(
        "working-full-sync",
        "claim-full-sync-while-working",
        "A full sync of all integrations at 10:00 while one person works in Acme "
        "Properties: does it fail for all of them and slow that person down?",
        (
            ("works at", ("server", "workstation")),
            ("mode", (MULTI_USER, SINGLE_USER)),
            ("records waiting", ("yes", "no")),
        ),
        _full_sync_while_working,
    ),
    Situations(
        "full-sync-nobody",
        "claim-full-sync-nobody-working",
        "Nobody in QuickBooks, all integrations selected and synced: does every one succeed, every record once?",
        (("files", ("1", "3")), ("Web Connector on", WHERE)),
        _full_sync_nobody_working,
    ),
    Situations(
        "single-user",
        "claim-single-user-sync",
        "The Admin logged in to the file in single-user mode, that file synced: does it succeed?",
        (("logged in on", ("the Web Connector's computer", "another computer")), ("Web Connector on", WHERE)),
        _single_user,
    ),
    Situations(
        "recovery-change",
        "claim-recovery-restores",
        "The six recovery steps around each kind of change: does sync come back, every "
        "record once, the old login refused?",
        (("change", ("the file renamed", "a folder renamed", "moved to another folder", "moved to another server")),),
        _recovery_change,
    ),
    Situations(
        "recovery-order",
        "claim-recovery-order",
        "The recovery steps around a rename, with one step skipped or moved: does a specific failure follow?",
        (("deviation", DEVIATIONS[1:]),),
        _recovery_order,
    ),
)

#: claim id -> the ids of the situation sets about it.
BOUNDARY_CLAIMS: dict[str, tuple[str, ...]] = {}
for _situations in SITUATIONS:
    BOUNDARY_CLAIMS.setdefault(_situations.claim, ())
    BOUNDARY_CLAIMS[_situations.claim] += (_situations.id,)


def _label(situations: Situations, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = zip(situations.conditions, values, strict=False)
    shown = tuple(_where(v) if name == "works at" else v for (name, _), v in pairs)
    return tuple((name, value) for (name, _), value in zip(situations.conditions, shown, strict=False))


def _variant(situations: Situations, seed: int, values: tuple[str, ...]) -> Variant:
    observed, holds, events = situations.simulate(seed, *values)
    return Variant(_label(situations, values), observed, bool(holds), _sources(events))


@functools.lru_cache(maxsize=4)
def boundaries(seed: int = 0) -> tuple[Boundary, ...]:
    """Every situation set simulated (each variant its own world, so the same seed gives the same tables)."""
    found = []
    for situations in SITUATIONS:
        values = itertools.product(*(choices for _, choices in situations.conditions))
        found.append(
            Boundary(
                situations.id,
                situations.claim,
                situations.question,
                tuple(_variant(situations, seed, v) for v in values),
            )
        )
    return tuple(found)
