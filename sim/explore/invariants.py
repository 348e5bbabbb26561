"""What must hold after any history, whatever people did, and which known cause explains a break.

Invariants (each violation names the first evidence):
  crash                      the simulator raised something other than a refusal of the office
  hang                       the world's livelock guard fired
  record-duplicated          a record is in QuickBooks or in STRATAFOLIO more than once
  record-lost                STRATAFOLIO counts a record as synced that the company file lacks
  failure-without-cause      a sync failed with no code the model can name
  recovery-does-not-restore  after the article's recovery steps (and nothing else since) no sync
                             succeeded
  not-deterministic          the same history gave two different traces

A violation is *explained* when the shrunk history contains a step that is a known cause
(the article's don'ts, the field failures of DOMAIN.md section 9): then the explorer has
rediscovered something written down. Otherwise it is an unexplained finding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sim.errors import LivelockError, SimError
from sim.explore.histories import Step, scenario_text

__all__ = ["Violation", "check_history", "KNOWN_CAUSES", "explained_by"]

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


@dataclass(frozen=True)
class Violation:
    invariant: str
    evidence: str


def _run(history: list[Step]):
    from sim.scenario import parse_scenario
    from sim.scenario_run import ScenarioRun

    run = ScenarioRun(parse_scenario(scenario_text(history), "history.toml"))
    run.run()
    return run


def check_history(history: list[Step], determinism: bool = False) -> list[Violation]:
    """Run the history and return the invariants it broke (none, usually)."""
    try:
        run = _run(history)
    except LivelockError as error:
        return [Violation("hang", str(error)[:300])]
    except SimError as error:
        return [Violation("crash", f"the office could not be built: {error}"[:300])]
    except Exception as error:  # noqa: BLE001 - a crash of the simulator is the finding
        return [Violation("crash", f"{type(error).__name__}: {error}"[:300])]
    found = []
    trace = run.world.trace
    host, path = run.files["Acme Properties"]
    try:
        from sim.quickbooks.company_file import CompanyFile

        problems = run.integrations["Acme Properties"].ledger.problems(CompanyFile.load(host, path))
    except SimError as error:
        problems = []
        if not any(s.kind in ("rename_file", "rename_folder", "move_file") for s in history):
            found.append(Violation("record-lost", f"the company file cannot be read: {error}"[:300]))
    duplicated = [p for p in problems if " times" in p and " 0 times" not in p]
    if duplicated:
        found.append(Violation("record-duplicated", duplicated[0]))
    lost = [p for p in problems if "that QuickBooks does not" in p]
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
    if determinism and _fingerprint(run) != _fingerprint(_run(history)):
        found.append(Violation("not-deterministic", "two runs of the same history gave different traces"))
    return found


def _recovery_end(history: list[Step]) -> float | None:
    """When the last recovery ended, if nothing but harmless steps came after it."""
    last = max((i for i, s in enumerate(history) if s.kind == "recover"), default=None)
    if last is None or any(s.kind in KNOWN_CAUSES for s in history[last + 1:]):
        return None
    return (history[last].minute + len(history[last].actions()) + 60) * 60.0


def _fingerprint(run) -> str:
    return hashlib.sha256(run.world.trace.jsonl().encode()).hexdigest()


def explained_by(history: list[Step]) -> list[str]:
    """The known causes among the history's steps (empty: an unexplained finding)."""
    return sorted({KNOWN_CAUSES[s.kind] for s in history if s.kind in KNOWN_CAUSES})
