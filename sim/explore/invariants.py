"""What must hold after any history, whatever people did, and which known cause explains a break.

Invariants (each violation names the first evidence):
  crash                      the simulator raised something other than a refusal of the office
  hang                       the world's livelock guard fired
  record-duplicated          a record is in QuickBooks or in STRATAFOLIO more than once
  record-lost                STRATAFOLIO counts a record as synced that the company file lacks
  failure-without-cause      a sync failed with no code the model can name
  recovery-does-not-restore  after the article's recovery steps (and nothing else since) no sync
                             succeeded
  sync-does-not-resume       every condition the history put the office in has ended (the server
                             woken, Web Connector started again, the colleague out of the file, ...)
                             and nothing was changed for good, yet no sync succeeded in the hours after
  ticket-reused              authenticate handed out a ticket an earlier session had (PG ch.2, ch.10:
                             the ticket names one session in every later callback)
  not-deterministic          the same history gave two different traces (a branched world and the
                             replay of its scenario file count as two runs)

A violation is *explained* when the shrunk history contains a step that is a known cause (the
article's don'ts, the field failures of DOMAIN.md section 9) and the invariant is one a known cause
can break: syncs that fail after the recovery steps. Then the explorer has rediscovered something
written down. A duplicated or lost record, a reused ticket, a hang, a crash are never explained by a
known cause: a sleep may make a sync fail, never copy an invoice. Otherwise it is an unexplained finding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sim.errors import LivelockError, SimError
from sim.explore.histories import DAYS, Step, scenario_text

__all__ = [
    "Violation",
    "check_history",
    "check_run",
    "failure",
    "KNOWN_CAUSES",
    "EXPLAINABLE",
    "explained_by",
    "causes_of",
    "fingerprint",
    "RESUME_WITHIN_SECONDS",
]

#: Step kinds that are known causes, with where they are written down.
KNOWN_CAUSES = {
    "rename_file": "ART: renaming the company file",
    "rename_folder": "ART: renaming a folder of its path",
    "move_file": "ART: moving the file",
    "sleep": "ART/PG: the Web Connector's computer asleep",
    "shut_down": "ART/PG: the Web Connector's computer off",
    "restart": "FIELD: a Windows Update restart, nobody logged in",
    "log_out": "PG: nobody logged in",
    "colleague_opens": "ART: someone working in QuickBooks",
    "admin_single_user": "SDK: the file open single-user",
    "popup_left": "SDK: a pop-up left open",
    "exit_qbwc": "PG: Web Connector closed",
    "qb_password_changed": "FIELD: the QuickBooks password changed",
    "qbwc_password_lost": "PG: the Web Connector password lost",
    "connection_dropped": "FIELD: the connection to the service dropped",
}
#: Known causes that are not one step but how steps fall together, with where they are written down.
RECOVERY_TWICE_AT_ONCE = (
    "found by wcsim explore: the recovery steps followed twice at once (scenarios/recovery-run-twice-at-once.toml)"
)
#: The invariants a known cause can explain.
EXPLAINABLE = ("recovery-does-not-restore",)
#: How soon after the last of a history's conditions ended a sync must have succeeded: Auto-Run
#: every 30 minutes, a run that fell due meanwhile caught up at once, the UpdateLock waited for
#: up to 10 minutes (sim.webconnector.update_session); an hour is ample.
RESUME_WITHIN_SECONDS = 3600
#: And how long a stretch after it must be left to judge by (else the invariant does not apply).
RESUME_WINDOW_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Violation:
    invariant: str
    evidence: str


def _run(history: list[Step], end: int = DAYS * 86400):
    from sim.scenario import parse_scenario
    from sim.scenario_run import ScenarioRun

    run = ScenarioRun(parse_scenario(scenario_text(history, end=end), "history.toml"))
    run.run()
    return run


def failure(error: BaseException) -> Violation:
    """The violation a run that raised stands for."""
    if isinstance(error, LivelockError):
        return Violation("hang", str(error)[:300])
    if isinstance(error, SimError):
        return Violation("crash", f"the office could not be built: {error}"[:300])
    return Violation("crash", f"{type(error).__name__}: {error}"[:300])


def check_history(history: list[Step], determinism: bool = False, end: int = DAYS * 86400) -> list[Violation]:
    """Run the history from its scenario file (ending `end` seconds after the start) and return the
    invariants it broke (none, usually)."""
    try:
        run = _run(history, end)
    except Exception as error:  # noqa: BLE001 - a crash of the simulator is the finding
        return [failure(error)]
    found = check_run(run, history)
    if determinism and fingerprint(run) != replayed_fingerprint(history, end):
        found.append(Violation("not-deterministic", "two runs of the same history gave different traces"))
    return found


def replayed_fingerprint(history: list[Step], end: int = DAYS * 86400) -> str:
    """The trace's fingerprint of the history's scenario file run from scratch."""
    try:
        return fingerprint(_run(history, end))
    except Exception as error:  # noqa: BLE001 - the second run failing where the first did not differs
        return f"raised {type(error).__name__}"


def check_run(run, history: list[Step]) -> list[Violation]:
    """The invariants a finished run of the history broke."""
    found = []
    trace = run.world.trace
    host, path = run.files["Acme Properties"]
    ledger = run.integrations["Acme Properties"].ledger
    try:
        from sim.quickbooks.company_file import CompanyFile

        company = CompanyFile.load(host, path)
        problems = ledger.problems(company)
    except SimError as error:
        company, problems = None, []
        if not any(s.kind in ("rename_file", "rename_folder", "move_file") for s in history):
            found.append(Violation("record-lost", f"the company file cannot be read: {error}"[:300]))
    duplicated = [p for p in problems if " times" in p and " 0 times" not in p]
    if duplicated:
        found.append(Violation("record-duplicated", duplicated[0]))
    lost = [p for p in problems if "that QuickBooks does not" in p]
    if company is not None:
        refs = {record.get("RefNumber") for record in company.records["invoices"]}
        # An invoice STRATAFOLIO has marked as in QuickBooks (it holds a TxnID for it) that is not there.
        lost += [
            f"STRATAFOLIO holds invoice {i.ref_number} as in QuickBooks ({i.qb_txn_id}); QuickBooks does not have it"
            for i in ledger.invoices_created
            if i.qb_txn_id is not None and i.ref_number not in refs
        ]
    if lost:
        found.append(Violation("record-lost", lost[0]))
    unnamed = [e for e in trace.select("update.finished", outcome="failed") if e.get("code") in (None, "", "-")]
    if unnamed:
        found.append(Violation("failure-without-cause", unnamed[0].line()[:300]))
    recovered_at = _recovery_end(history)
    if recovered_at is not None:
        after = [e for e in trace.select("update.finished") if e.seconds >= recovered_at]
        if after and not any(e.get("outcome") == "succeeded" for e in after):
            found.append(Violation("recovery-does-not-restore", after[-1].line()[:300]))
    stuck = _not_resumed(run)
    if stuck:
        found.append(Violation("sync-does-not-resume", stuck))
    tickets: dict[str, float] = {}
    for event in trace.select("stratafolio.sync_started"):
        ticket = event.get("ticket")
        if ticket in tickets:
            first = trace.start + timedelta(seconds=tickets[ticket])
            found.append(
                Violation(
                    "ticket-reused",
                    f"authenticate handed out ticket {ticket} at {event.time:%a %H:%M:%S}, as at {first:%a %H:%M:%S}",
                )
            )
            break
        tickets[ticket] = event.seconds
    return found


def _not_resumed(run) -> str:
    """Evidence that syncs did not resume once every condition the history caused had ended ("" if
    they did, or if the invariant does not apply: something lasting, a refused action, too little time left)."""
    from sim.explore.coverage import troubles_of

    actions = run.world.trace.select("timeline.action")
    if not troubles_of(run).all_ended:
        return ""
    since = (actions[-1].seconds if actions else 0.0) + RESUME_WITHIN_SECONDS
    if run.end - since < RESUME_WINDOW_SECONDS:
        return ""
    finished = [e for e in run.world.trace.select("update.finished") if e.seconds >= since]
    if any(e.get("outcome") in ("succeeded", "no work") for e in finished):
        return ""
    ended = actions[-1].time if actions else run.world.trace.start
    if not finished:
        return (
            f"no update ran from {ended + timedelta(seconds=RESUME_WITHIN_SECONDS):%a %H:%M} "
            f"on, after every condition ended at {ended:%a %H:%M:%S}"
        )
    return f"every update failed after every condition ended at {ended:%a %H:%M:%S}; the last: {finished[-1].line()}"[
        :300
    ]


def _recovery_end(history: list[Step]) -> float | None:
    """When the last recovery ended, if nothing but harmless steps came after it."""
    last = max((i for i, s in enumerate(history) if s.kind == "recover"), default=None)
    if last is None or any(s.kind in KNOWN_CAUSES for s in history[last + 1 :]):
        return None
    return history[last].seconds + (len(history[last].actions()) + 60) * 60.0


def fingerprint(run) -> str:
    return hashlib.sha256(run.world.trace.jsonl().encode()).hexdigest()


def causes_of(history: list[Step]) -> frozenset[str]:
    """The known causes in a history: step kinds of KNOWN_CAUSES, and "recover_twice_at_once" when
    a recovery starts before the one before it has ended (its steps are a minute apart)."""
    causes = {s.kind for s in history if s.kind in KNOWN_CAUSES}
    recoveries = [s for s in history if s.kind == "recover"]
    if any(
        later.seconds - earlier.seconds < 60 * len(earlier.actions())
        for earlier, later in zip(recoveries, recoveries[1:], strict=False)
    ):
        causes.add("recover_twice_at_once")
    return frozenset(causes)


def explained_by(history: list[Step], invariant: str = EXPLAINABLE[0]) -> list[str]:
    """The known causes among the history's steps that explain a break of `invariant` (empty: an
    unexplained finding)."""
    if invariant not in EXPLAINABLE:
        return []
    return sorted(
        RECOVERY_TWICE_AT_ONCE if cause == "recover_twice_at_once" else KNOWN_CAUSES[cause]
        for cause in causes_of(history)
    )
