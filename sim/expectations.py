"""Checking a scenario's expectations against what the run produced.

Every expectation is read from the trace, the QWCLog.txt files, the Web Connector
app lists and the STRATAFOLIO ledgers after the run: never from the scenario's
own description of what should happen. Each check returns a `Verdict` with what
was observed, so a failing expectation explains itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.people.quickbooks_user import NOTICEABLE_SLOWDOWN_SECONDS
from sim.quickbooks.company_file import CompanyFile
from sim.world import next_moment

if TYPE_CHECKING:
    from sim.parts import ScenarioRun

__all__ = ["check", "Verdict"]


@dataclass(frozen=True)
class Verdict:
    """One expectation checked: what it says, whether it holds, and what the run showed."""

    description: str
    holds: bool
    observed: str


def check(run: ScenarioRun, item: dict[str, Any]) -> Verdict:
    return _CHECKS[item["kind"]](run, item)


def _window(run: ScenarioRun, item: dict[str, Any]) -> tuple[float, float]:
    if "between" not in item:
        return 0.0, float("inf")
    start = run.scenario.start
    first, last = (next_moment(moment, start) for moment in item["between"])
    return (first - start).total_seconds(), (last - start).total_seconds()


def _describe(item: dict[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in item.items() if k != "kind"]
    return f"{item['kind']}: " + ", ".join(parts)


def _sync(run, item):
    company = item["company_file"]
    app = run.apps.get(company, (None, None, None))[2]
    low, high = _window(run, item)
    events = (
        [
            e
            for e in run.world.trace.select("update.finished", app=app)
            if low <= e.seconds <= high and ("trigger" not in item or e.get("trigger") == item["trigger"])
        ]
        if app
        else []
    )
    matching = [
        e
        for e in events
        if item["outcome"] in ("any", e.get("outcome")) and ("code" not in item or e.get("code") == item["code"])
    ]
    which = item.get("which", "any")
    if which == "all":
        holds = bool(events) and len(matching) == len(events)
    elif which == "none":
        holds = not matching
    else:
        holds = bool(matching)
    seen = {}
    for e in events:
        key = f"{e.get('outcome')} {e.get('code')}".replace(" -", "")
        seen[key] = seen.get(key, 0) + 1
    observed = f"{len(events)} syncs of {company!r} in the window: " + (
        ", ".join(f"{n}x {k}" for k, n in seen.items()) or "none"
    )
    return Verdict(_describe(item), holds, observed)


def _cannot_open(run, item):
    """A person found the company file impossible to open (in the window)."""
    return _person_event(run, item, "person.cannot_open", "they opened it every time")


def _person_event(run, item, kind: str, otherwise: str):
    """Whether the person's trace has a `kind` event in the window (the first one as the observation)."""
    low, high = _window(run, item)
    actor = run.people[item["person"]].actor
    found = [e for e in run.world.trace.select(kind, actor=actor) if low <= e.seconds <= high]
    return Verdict(_describe(item), bool(found), found[0].line() if found else otherwise)


def _error_seen(run, item):
    code = item["code"]
    low, high = _window(run, item)
    found = [e for e in run.world.trace if low <= e.seconds <= high and code in (e.get("hresult"), e.get("code"))]
    observed = found[0].line() if found else f"no event carries {code}"
    return Verdict(_describe(item), bool(found), observed)


def _log_contains(run, item):
    hosts = [run.world.host(item["host"])] if "host" in item else list(run.world.hosts.values())
    lines = [line for host in hosts for line in host.qwc_log.text().splitlines() if item["text"] in line]
    return Verdict(_describe(item), bool(lines), lines[0] if lines else "no QWCLog.txt line contains it")


def _ledger_problems(run, item) -> tuple[list[str] | None, str]:
    """The ledger's disagreements with the company file as the office now names it (None and
    why, when the file cannot be read: it may be gone or damaged, which is the observation; or
    when a real service's adapter cannot say what the service holds)."""
    from sim.stratafolio.adapter import AdapterMissing

    host, path = run.files[item["company_file"]]
    try:
        ledger = run.integrations[item["company_file"]].ledger
    except AdapterMissing as missing:
        return None, f"not checked: {missing}"
    try:
        return ledger.problems(CompanyFile.load(host, path)), path
    except Exception as error:  # noqa: BLE001
        return None, f"cannot read the company file: {error}"


def _records_once(run, item):
    problems, note = _ledger_problems(run, item)
    if problems is None:
        return Verdict(_describe(item), False, note)
    return Verdict(
        _describe(item), not problems, "; ".join(problems) or "every record present exactly once on both sides"
    )


def _records_missing(run, item):
    """STRATAFOLIO counts records as in QuickBooks that the company file (as the office now
    names it) does not hold: the sync wrote them somewhere else."""
    problems, note = _ledger_problems(run, item)
    if problems is None:
        return Verdict(_describe(item), False, note)
    missing = [p for p in problems if "that QuickBooks does not" in p]
    return Verdict(
        _describe(item), bool(missing), "; ".join(missing) or f"{note} holds every record STRATAFOLIO counts as synced"
    )


def _slowed_down(run, item):
    person = run.people[item["person"]]
    events = run.world.trace.select("person.slowed_down", actor=person.actor) + run.world.trace.select(
        "person.blocked", actor=person.actor
    )
    return Verdict(
        _describe(item),
        bool(events) and person.slowed_seconds >= NOTICEABLE_SLOWDOWN_SECONDS,
        f"slowed {len(events)} times, {person.slowed_seconds:.0f} s lost (noticed from "
        f"{NOTICEABLE_SLOWDOWN_SECONDS:.0f} s, assumed)",
    )


def _blocked(run, item):
    """A person could not use their QuickBooks while a session was attached to it (in the window)."""
    return _person_event(run, item, "person.blocked", "their QuickBooks never waited on a session")


def _rejected(run, item):
    """STRATAFOLIO lists `count` invoices QuickBooks refused, and every other invoice it made is in
    QuickBooks exactly once: a refusal does not hold the others back."""
    if item["company_file"] not in run.integrations:
        return Verdict(_describe(item), False, f"STRATAFOLIO has no integration for {item['company_file']!r}")
    ledger = run.integrations[item["company_file"]].ledger
    try:
        refs = [r.get("RefNumber") for r in CompanyFile.load(*run.files[item["company_file"]]).records["invoices"]]
    except Exception as error:  # noqa: BLE001  (gone or damaged: that is the observation)
        return Verdict(_describe(item), False, f"cannot read the company file: {error}")
    rejected = ledger.rejected
    copies = Counter(refs)
    others = [i.ref_number for i in ledger.invoices_created if not i.rejection and copies[i.ref_number] != 1]
    observed = (
        f"{len(rejected)} rejected "
        f"({'; '.join(f'{i.ref_number}: {i.rejection[:60]}' for i in rejected[:3]) or 'none'}); "
        f"not in QuickBooks exactly once: {', '.join(others) or 'none'}"
    )
    return Verdict(_describe(item), len(rejected) == item["count"] and not others, observed)


def _listed(run, item):
    company = item["company_file"]
    if company not in run.apps:
        return Verdict(_describe(item), item["listed"] is False, f"{company!r} was never added to Web Connector")
    host, user, name = run.apps[company]
    listed = name in [a.name for a in host.web_connector(user).applications()]
    return Verdict(
        _describe(item),
        listed == item["listed"],
        f"{name!r} is {'listed' if listed else 'not listed'} on {host.name} for {user}",
    )


def _service_check(run, item):
    """A check of the real service's conduct (sim.service_checks): held, or (holds = false) violated.
    "all" means none violated (and, with holds = false, some); a single check that could not be
    checked in this run (no connectionError was ever called, say) does not hold either way."""
    wanted = item.get("holds", True)
    results = [r for r in run.service_checks() if item["check"] in ("all", r.id)]
    unchecked = [r for r in results if r.status == "not checked"]
    if item["check"] != "all" and unchecked:
        return Verdict(_describe(item), False, "; ".join(f"{r.id}: not checked ({r.note})" for r in unchecked))
    violated = [r for r in results if r.status == "violated"]
    observed = "; ".join(f"{r.id}: {r.found} findings, first: {r.findings[0]}" for r in violated) or "; ".join(
        f"{r.id}: {r.status}" for r in results
    )
    return Verdict(_describe(item), (not violated) if wanted else bool(violated), observed)


_CHECKS = {
    "sync": _sync,
    "error_seen": _error_seen,
    "log_contains": _log_contains,
    "records_once": _records_once,
    "records_missing": _records_missing,
    "slowed_down": _slowed_down,
    "listed": _listed,
    "cannot_open": _cannot_open,
    "blocked": _blocked,
    "rejected": _rejected,
    "service_check": _service_check,
}
