"""The search: Hypothesis draws histories, runs them, shrinks every broken invariant to its
smallest history; independent searches run in worker processes or on a Dask cluster.

A search is one Hypothesis run with its own seed and a share of the budget. Each broken
invariant raises its own exception type, so Hypothesis reports (and shrinks) each one
separately; the explorer keeps, per invariant, the shortest history that broke it. Every
search stores its examples in a Hypothesis database under the output folder, so a rerun
starts from the failures found before. Searches are independent: `explore` hands them to
a process pool, or to a Dask client (`executor="dask"`), and merges what they found.
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.explore.histories import KINDS, Step

__all__ = ["Finding", "Report", "search", "explore"]


@dataclass
class Finding:
    invariant: str
    history: list[Step]
    evidence: str
    seen: int = 1  # failing runs seen while searching and shrinking

    @property
    def explained_by(self) -> list[str]:
        from sim.explore.invariants import explained_by

        return explained_by(self.history)


@dataclass
class Report:
    histories: int = 0
    findings: dict[str, Finding] = field(default_factory=dict)

    def merge(self, other: "Report") -> None:
        self.histories += other.histories
        for name, finding in other.findings.items():
            mine = self.findings.get(name)
            if mine is None:
                self.findings[name] = finding
            else:
                mine.seen += finding.seen
                if (len(finding.history), [s.kind for s in finding.history]) < (len(mine.history), [s.kind for s in mine.history]):
                    mine.history, mine.evidence = finding.history, finding.evidence


_VIOLATIONS: dict[str, type] = {}


def _violation_type(invariant: str) -> type:
    """One exception type per invariant: Hypothesis tells bugs apart by type."""
    if invariant not in _VIOLATIONS:
        _VIOLATIONS[invariant] = type(f"Broke_{invariant.replace('-', '_')}", (AssertionError,), {})
    return _VIOLATIONS[invariant]


def search(seed: int, budget: int, database: str | None = None, kinds: tuple[str, ...] = tuple(KINDS), determinism_every: int = 25) -> Report:
    """One Hypothesis search of `budget` histories (plus shrinking), its own seed."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.database import DirectoryBasedExampleDatabase

    from sim.explore.histories import histories
    from sim.explore.invariants import check_history

    report = Report()
    calls = [0]

    @settings(
        max_examples=budget, deadline=None, database=DirectoryBasedExampleDatabase(database) if database else None, report_multiple_bugs=True,
        suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink], print_blob=False,
    )
    @hypothesis_seed(seed)
    @given(histories(kinds=kinds))
    def check(history: list[Step]) -> None:
        calls[0] += 1
        violations = check_history(history, determinism=calls[0] % determinism_every == 0)
        for violation in violations:
            report.merge(Report(0, {violation.invariant: Finding(violation.invariant, list(history), violation.evidence)}))
        if violations:
            raise _violation_type(violations[0].invariant)(violations[0].evidence)

    try:
        check()
    except BaseException as error:  # noqa: BLE001 - Hypothesis reports the broken invariants by raising
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
    report.histories = calls[0]
    return report


def _search_chunk(arguments: tuple[int, int, str | None, tuple[str, ...]]) -> Report:
    seed, budget, database, kinds = arguments
    return search(seed, budget, database, kinds)


def explore(budget: int, seed: int = 0, workers: int = 1, out: Path | None = None, executor: str = "processes", scheduler: str | None = None,
            kinds: tuple[str, ...] = tuple(KINDS), progress: Any = None) -> Report:
    """`budget` histories in all, split into independent searches over `workers`."""
    database = str(out / ".hypothesis") if out is not None else None
    chunks = max(1, workers)
    share = [budget // chunks + (1 if i < budget % chunks else 0) for i in range(chunks)]
    jobs = [(seed * 1000 + index, amount, database, kinds) for index, amount in enumerate(share) if amount]
    total = Report()
    if executor == "dask":
        from dask.distributed import Client

        client = Client(scheduler) if scheduler else Client(processes=True, n_workers=chunks, threads_per_worker=1)
        try:
            for report in client.gather(client.map(_search_chunk, jobs, pure=False)):
                total.merge(report)
        finally:
            client.close()
    elif chunks == 1:
        for job in jobs:
            total.merge(_search_chunk(job))
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=chunks) as pool:
            for done, report in enumerate(pool.map(_search_chunk, jobs), 1):
                total.merge(report)
                if progress:
                    progress(done / len(jobs))
    return total
