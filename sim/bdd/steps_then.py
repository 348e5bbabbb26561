"""Then-steps: what the simulation shows, with the trace and log lines that show it.

Each step observes outcomes the mechanisms produced (update results, trace
events, QWCLog.txt lines, the ledger against the company file) and adds the
decisive lines to the scenario's evidence, which the claims report prints.
Steps about scheduled syncs name the stretch of simulated time they look at
(`after "12:00"`, `before "Tue 07:00"`, `between "19:00" and "07:00"`, `since the
rename`, `during the run`); without one they look from the first When step of the
last run of When steps until now. A failure says which window it looked at, and the
trace lines it prints are those of that window.
"""

from __future__ import annotations

from datetime import timedelta

from pytest_bdd import parsers, then

from sim.bdd.context import WINDOW, ScenarioContext
from sim.bdd.steps_given import HOST
from sim.people.quickbooks_user import NOTICEABLE_SLOWDOWN_SECONDS
from sim.quickbooks.company_file import CompanyFile


def _result(wcsim: ScenarioContext, company: str):
    app = wcsim.app(company)
    found = [r for r in wcsim.results if r.app == app]
    if not found:
        wcsim.fail(f"no sync of {company!r} ran in the last Update Selected (ran: {[r.app for r in wcsim.results]})")
    return found[-1]


def _record(wcsim: ScenarioContext, company: str | None = None) -> None:
    app = wcsim.app(company) if company else None
    events = wcsim.window("update.finished", app=app) if app else wcsim.window("update.finished")
    wcsim.evidence.add_events(events)
    wcsim.evidence.add_events(wcsim.window("sdk.begin_session_failed"), limit=2)
    wcsim.evidence.add_events(wcsim.window("sdk.record_in_use"), limit=2)


@then(parsers.parse('the sync of "{company}" succeeds'))
def sync_succeeds(wcsim: ScenarioContext, company: str):
    result = _result(wcsim, company)
    _record(wcsim, company)
    if result.outcome != "succeeded":
        wcsim.fail(
            f"expected the sync of {company!r} to succeed; it ended {result.outcome} {result.code} {result.message}"
        )
    wcsim.evidence.add_log(wcsim.log_lines("COMPLETED successfully")[-1:])


@then(parsers.parse('the sync of "{company}" fails with "{code}"'))
def sync_fails_with(wcsim: ScenarioContext, company: str, code: str):
    result = _result(wcsim, company)
    _record(wcsim, company)
    if result.outcome != "failed" or result.code != code:
        wcsim.fail(
            f"expected the sync of {company!r} to fail with {code}; it ended {result.outcome} "
            f"{result.code or ''} {result.message}"
        )
    wcsim.evidence.add_log(wcsim.log_lines(code)[-2:])


@then(parsers.re(r"^every integration's sync (?P<outcome>succeeds|fails)$"))
def every_sync(wcsim: ScenarioContext, outcome: str):
    _record(wcsim)
    if not wcsim.results:
        wcsim.fail("no sync ran")
    wanted = "succeeded" if outcome == "succeeds" else "failed"
    wrong = [(r.app, r.outcome, r.code) for r in wcsim.results if r.outcome != wanted]
    if wrong or len(wcsim.results) != len(wcsim.require_office().web_connector.applications()):
        wcsim.fail(f"expected every integration's sync to have {wanted}; these did not: {wrong}")


# --- scheduled syncs, in a window of simulated time --------------------------------------------------
#: "of "Acme Properties"" narrows a step to one application; without it, every application counts.
OF = r'(?: of "(?P<name>[^"]+)")?'


def _scheduled(wcsim: ScenarioContext, kind: str, name: str | None, window: str | None):
    """The window the step names, and the scheduled updates (started or finished) inside it."""
    span = wcsim.resolve_window(window)
    details = {"trigger": "scheduled", **({"app": wcsim.app(name)} if name else {})}
    return span, wcsim.events(span, kind, **details)


def _whose(name: str | None) -> str:
    return f"scheduled syncs of {name!r}" if name else "scheduled syncs"


@then(parsers.re(rf'^every scheduled sync{OF} fails with "(?P<code>[^"]+)"{WINDOW}$'))
def scheduled_fail(wcsim: ScenarioContext, name: str | None, code: str, window: str | None):
    span, finished = _scheduled(wcsim, "update.finished", name, window)
    wcsim.evidence.add_events(finished, limit=3)
    wcsim.evidence.add_log(wcsim.log_lines("SCHEDULED UPDATE")[-1:] + wcsim.log_lines(code)[-1:])
    if not finished:
        wcsim.fail(f"no {_whose(name)} ended {span.described()}", finished, span)
    wrong = [e for e in finished if (e.get("outcome"), e.get("code")) != ("failed", code)]
    if wrong:
        wcsim.fail(
            f"expected every {_whose(name)} {span.words} to fail with {code}; {len(wrong)} of "
            f"{len(finished)} did not, first at "
            f"{wrong[0].time:%a %H:%M:%S}: {wrong[0].get('outcome')} {wrong[0].get('code') or ''}".rstrip(),
            wrong,
            span,
        )


@then(parsers.re(rf"^every scheduled sync{OF} succeeds{WINDOW}$"))
def scheduled_succeed(wcsim: ScenarioContext, name: str | None, window: str | None):
    span, finished = _scheduled(wcsim, "update.finished", name, window)
    wcsim.evidence.add_events(finished, limit=3)
    wrong = [e for e in finished if e.get("outcome") != "succeeded"]
    if not finished:
        wcsim.fail(f"expected {_whose(name)} that all succeed {span.described()}; none ended in it", finished, span)
    if wrong:
        wcsim.fail(
            f"expected every {_whose(name)} {span.words} to succeed; {len(wrong)} of {len(finished)} did not, first at "
            f"{wrong[0].time:%a %H:%M:%S}: {wrong[0].get('outcome')} {wrong[0].get('code') or ''}".rstrip(),
            wrong,
            span,
        )


@then(
    parsers.re(
        rf'^at least (?P<percent>\d+)% of the scheduled syncs{OF} fail(?: because "(?P<reason>[^"]+)")?{WINDOW}$'
    )
)
def scheduled_fail_share(
    wcsim: ScenarioContext, percent: str, name: str | None, reason: str | None, window: str | None
):
    """People work in bursts, so a sync can slip between two transactions: the claim
    is checked as a share of the attempts, and the evidence says how many."""
    span, finished = _scheduled(wcsim, "update.finished", name, window)
    failed = [
        e for e in finished if e.get("outcome") == "failed" and (reason is None or reason in (e.get("reason") or ""))
    ]
    what = _whose(name) + " failing" + (f" because {reason!r}" if reason else "") + f" {span.words}"
    wcsim.evidence.add_events(failed, limit=2)
    wcsim.evidence.add_events(wcsim.events(span, "sdk.record_in_use"), limit=1)
    wcsim.evidence.trace_lines.append(f"{len(failed)} of {len(finished)} {what}")
    if not finished:
        wcsim.fail(f"no scheduled sync ended {span.described()}, so nothing shows {what}", finished, span)
    wcsim.evidence.measured.append(
        f"{len(failed)} of {len(finished)} {what} "
        f"({100 * len(failed) / len(finished):.0f}%; the claim is checked as at least "
        f"{percent}%)"
    )
    if 100 * len(failed) < int(percent) * len(finished):
        wcsim.fail(
            f"expected at least {percent}% {what}; {len(failed)} of {len(finished)} {span.described()}", finished, span
        )


@then(parsers.re(rf"^no scheduled sync{OF} is attempted{WINDOW}$"))
def none_attempted(wcsim: ScenarioContext, name: str | None, window: str | None):
    span, started = _scheduled(wcsim, "update.started", name, window)
    wcsim.evidence.add_events(
        [
            *wcsim.events(span, "qbwc.stopped"),
            *wcsim.events(span, "qbwc.exit_warning"),
            *wcsim.events(span, "host.asleep"),
            *wcsim.events(span, "host.off"),
        ]
    )
    if started:
        wcsim.fail(
            f"expected no {_whose(name)} {span.described()}; {len(started)} started, first at "
            f"{started[0].time:%a %H:%M:%S}",
            started,
            span,
        )
    if window and window.startswith(("after ", "between ", "since the ")):
        # Silence after a moment proves something only if the scheduler ran before it.
        before = [
            e
            for e in wcsim.world.trace.select(
                "update.started", trigger="scheduled", **({"app": wcsim.app(name)} if name else {})
            )
            if e.seconds < span.begin
        ]
        wcsim.evidence.add_events(before[-1:])
        if not before:
            moment = span.start + timedelta(seconds=span.begin)
            wcsim.fail(
                f"no scheduled sync started before {moment:%a %H:%M:%S} either (looked from the start of the run), "
                f"so the silence {span.words} proves nothing about it",
                before,
                None,
            )


@then(parsers.re(rf"^at least (?P<count>\d+) scheduled syncs{OF} were attempted{WINDOW}$"))
def attempted(wcsim: ScenarioContext, count: str, name: str | None, window: str | None):
    span, started = _scheduled(wcsim, "update.started", name, window)
    wcsim.evidence.add_events(started[:1] + started[-1:])
    if len(started) < int(count):
        wcsim.fail(
            f"expected at least {count} {_whose(name)} {span.described()}; {len(started)} started", started, span
        )


@then(parsers.parse('the Web Connector log shows "{text}"'))
def log_shows(wcsim: ScenarioContext, text: str):
    lines = wcsim.log_lines(text)
    if not lines:
        wcsim.fail(f"QWCLog.txt has no line containing {text!r}")
    wcsim.evidence.add_log(lines[-1:])


@then(parsers.parse('the Web Connector log shows the old path of "{company}"'))
def log_shows_old_path(wcsim: ScenarioContext, company: str):
    # The path Web Connector is told to open is authenticate's [1] (PG ch.10), logged as it arrives.
    old = wcsim.original.get(company)
    lines = [
        line
        for line in wcsim.log_lines("Received from authenticate() following parameters:")
        if old and f'<authRet[1]="{old}">' in line
    ]
    if not lines:
        wcsim.fail(f"QWCLog.txt never shows Web Connector told to open the old path {old!r}")
    wcsim.evidence.add_log(lines[-1:])


@then(parsers.parse('Web Connector warns "{code}"'))
def web_connector_warns(wcsim: ScenarioContext, code: str):
    """A warning dialog (QBWC1020 on exit, PG appendix A): a dialog, not a QWCLog.txt line."""
    warnings = wcsim.world.trace.select("qbwc.exit_warning", code=code)
    if not warnings:
        wcsim.fail(f"Web Connector showed no {code} warning")
    wcsim.evidence.add_events(warnings)


@then(parsers.parse('the removal fails and the integration for "{company}" is still listed in Web Connector'))
def removal_failed(wcsim: ScenarioContext, company: str):
    listed = [a.name for a in wcsim.connector(company).applications()]
    wcsim.evidence.add_events(wcsim.window("qbwc.remove_failed"))
    wcsim.evidence.add_log(wcsim.log_lines("Cannot remove")[-1:])
    if wcsim.removed.get(company) is not False or wcsim.app(company) not in listed:
        wcsim.fail(
            f"expected the removal of {company!r} to fail; removed={wcsim.removed.get(company)}, listed={listed}"
        )


@then(parsers.parse('the integration for "{company}" is no longer listed in Web Connector'))
def not_listed(wcsim: ScenarioContext, company: str):
    listed = [a.name for a in wcsim.connector(company).applications()]
    wcsim.evidence.add_events(
        wcsim.world.trace.select("qbwc.app_removed")[-1:] + wcsim.world.trace.select("registry.key_deleted")[-1:]
    )
    if wcsim.app(company) in listed:
        wcsim.fail(f"expected {company!r} to be gone from Web Connector; listed: {listed}")


@then(parsers.parse('"{person}" notices a slowdown'))
def slowdown(wcsim: ScenarioContext, person: str):
    worker = wcsim.people.get(person)
    if worker is None:
        wcsim.fail(f"{person!r} is not working in this scenario")
    # Slowed by a session elsewhere in the file (assumed), or stopped by one in their own QuickBooks (FIELD: Codat).
    events = wcsim.world.trace.select("person.slowed_down", actor=worker.actor) + wcsim.world.trace.select(
        "person.blocked", actor=worker.actor
    )
    wcsim.evidence.add_events(events, limit=1)
    wcsim.evidence.add_events(wcsim.world.trace.select("person.slowdown_ended", actor=worker.actor), limit=1)
    if not events or worker.slowed_seconds < NOTICEABLE_SLOWDOWN_SECONDS:
        wcsim.fail(
            f"expected {person!r} to notice a slowdown (at least "
            f"{NOTICEABLE_SLOWDOWN_SECONDS:.0f} s of extra time, assumed); slowed "
            f"{worker.slowed_seconds:.1f} s"
        )


@then(parsers.re(r'^every record of (?P<which>every company file|"[^"]+") is present exactly once on both sides$'))
def records_once(wcsim: ScenarioContext, which: str):
    office = wcsim.require_office()
    companies = list(office.integrations) if which == "every company file" else [which.strip('"')]
    for company in companies:
        host, path = wcsim.location(company)
        company_file = CompanyFile.load(host, path)
        ledger = office.integrations[company].ledger
        problems = ledger.problems(company_file)
        counts = ledger.count()
        wcsim.evidence.trace_lines.append(
            f"ledger of {company}: {counts}, {len(ledger.invoices_created)} pushed from "
            f"STRATAFOLIO, problems: {problems or 'none'}"
        )
        if problems:
            wcsim.fail(f"records of {company!r} are not present exactly once: {problems}")


@then(parsers.parse('the step is refused because "{email}" is not an Administrator'))
def refused(wcsim: ScenarioContext, email: str):
    wcsim.evidence.add_events(wcsim.world.trace.select("stratafolio.refused", who=email))
    if not wcsim.errors or "not an Administrator" not in str(wcsim.errors[-1]):
        wcsim.fail(f"expected STRATAFOLIO to refuse {email}; errors seen: {[str(e) for e in wcsim.errors]}")


@then(parsers.re(r'^adding the application fails with "(?P<code>[^"]+)"(?: and QuickBooks\' "(?P<hresult>[^"]+)")?$'))
def add_failed(wcsim: ScenarioContext, code: str, hresult: str | None):
    wcsim.evidence.add_events(wcsim.world.trace.select("qbwc.add_failed")[-1:])
    wcsim.evidence.add_log(wcsim.log_lines("problem adding")[-1:])
    if not any(getattr(e, "code", None) == code and (hresult is None or hresult in str(e)) for e in wcsim.errors):
        wanted = code + (f" with QuickBooks' {hresult}" if hresult else "")
        wcsim.fail(
            f"expected adding the application to fail with {wanted}; failures seen: "
            f"{[str(e) for e in wcsim.errors] or 'none'}"
        )


@then(parsers.parse('"{user}" cannot open "{company}" while it is open in single-user mode'))
def cannot_open(wcsim: ScenarioContext, user: str, company: str):
    from sim.errors import CompanyFileError

    station = wcsim.require_office().workstations[0]
    try:
        station.quickbooks.open_company_file(wcsim.path_seen_from(station, company), user)
    except CompanyFileError as error:
        wcsim.evidence.trace_lines.append(f"{user} on WS01: {error}")
        return
    wcsim.fail(f"{user!r} could open {company!r} although the Admin has it open in single-user mode")


@then(parsers.re(rf"^the sync cannot start because {HOST} is (?P<state>asleep|off|logged out)$"))
def sync_not_started(wcsim: ScenarioContext, host: str, state: str):
    computer = wcsim.host(host)
    wcsim.evidence.add_events(wcsim.window("update.not_started"), limit=2)
    if not wcsim.results:
        wcsim.fail(
            "no sync was asked for: use a step such as 'When \"Acme Properties\" is synced in Web Connector' first"
        )
    started = [(r.app, r.outcome) for r in wcsim.results if r.outcome != "not started"]
    if started:
        wcsim.fail(f"expected no sync to start; these did: {started}")
    seen = "logged out" if computer.is_on and computer.logged_in is None else computer.power.value
    if seen != state:
        wcsim.fail(f"the sync did not start, but {computer.name} is {seen}, not {state}: {wcsim.results[0].message}")


@then(parsers.re(r'^(?P<count>\d+) invoices? of "(?P<company>[^"]+)" (?:has|have) not reached QuickBooks$'))
def invoices_not_in_quickbooks(wcsim: ScenarioContext, count: str, company: str):
    office = wcsim.require_office()
    if company not in office.integrations:
        wcsim.fail(f"STRATAFOLIO has no integration {company!r} (integrations: {', '.join(office.integrations)})")
    host, path = wcsim.location(company)
    in_quickbooks = {r.get("RefNumber") for r in CompanyFile.load(host, path).records["invoices"]}
    waiting = [
        i.ref_number for i in office.integrations[company].ledger.invoices_created if i.ref_number not in in_quickbooks
    ]
    if len(waiting) != int(count):
        wcsim.fail(
            f"expected {count} invoices of {company!r} missing from QuickBooks; {len(waiting)} "
            f"are ({', '.join(waiting[:5]) or 'none'})"
        )


@then(
    parsers.re(
        r"^STRATAFOLIO (?P<still>still accepts|no longer accepts) the old authorized "
        r'computer\'s login for "(?P<company>[^"]+)"$'
    )
)
def old_computer_login(wcsim: ScenarioContext, still: str, company: str):
    """Web Connector's authenticate with the old computer's user name and password, as a stale QWC would send it."""
    old = wcsim.old_computers.get(company)
    if old is None:
        wcsim.fail(f"{company!r} has no old authorized computer: authorize a new one first")
    wcsim.mark = len(wcsim.world.trace)
    answer = wcsim.authenticate(old)
    accepted = answer[1] != "nvu"
    wcsim.evidence.add_events(wcsim.window("stratafolio.sync_started") + wcsim.window("stratafolio.login_refused"))
    if accepted != (still == "still accepts"):
        wcsim.fail(
            f"expected STRATAFOLIO to {'accept' if still == 'still accepts' else 'refuse'} "
            f"{old.user_name!r}; authenticate answered {answer[1] or 'a ticket'}"
        )


@then(parsers.parse('Web Connector reports "{code}"'))
def web_connector_reports(wcsim: ScenarioContext, code: str):
    """A code the Web Connector shows outside its log (a start-up dialog, a failed start)."""
    events = [e for e in wcsim.world.trace if e.get("code") == code and e.kind.startswith("qbwc.")]
    wcsim.evidence.add_events(events, limit=1)
    if not events:
        wcsim.fail(f"Web Connector never reported {code}")


@then(parsers.parse('QuickBooks refuses invoice "{ref}" of "{company}" with status {status:d}'))
def push_refused(wcsim: ScenarioContext, ref: str, company: str, status: int):
    office = wcsim.require_office()
    invoice = next((i for i in office.integrations[company].ledger.invoices_created if i.ref_number == ref), None)
    wcsim.evidence.add_events(wcsim.world.trace.select("stratafolio.push_rejected", ref=ref)[-1:])
    if invoice is None or not invoice.rejection.startswith(f"{status}:"):
        wcsim.fail(
            f"expected STRATAFOLIO to list invoice {ref!r} of {company!r} as refused with "
            f"{status}; it shows {invoice.rejection if invoice else 'no such invoice'!r}"
        )
