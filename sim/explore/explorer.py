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
import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from sim.errors import ConfigurationError
from sim.explore.histories import KINDS, Step
from sim.text import one_line

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


def _causes(history: list[Step]) -> frozenset[str]:
    from sim.explore.invariants import KNOWN_CAUSES

    return frozenset(s.kind for s in history if s.kind in KNOWN_CAUSES)


def _key(invariant: str, causes: frozenset[str]) -> str:
    return invariant + (f" ({'+'.join(sorted(causes))})" if causes else "")


def search(seed: int, budget: int, database: str | None = None, kinds: tuple[str, ...] = tuple(KINDS), determinism_every: int = 25, max_rounds: int = 50) -> Report:
    """Hypothesis searches of `budget` histories in all (shrinking included), from `seed`.

    Hypothesis ends a search at its first failure (after shrinking it), so the budget is spent
    in rounds: each round's shrunk finding becomes known, and later rounds only stop for a
    broken invariant that is new, or that a history breaks without the causes already found
    for it. Findings are kept per invariant and set of known causes, the shortest history each."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.database import DirectoryBasedExampleDatabase

    from sim.explore.histories import histories
    from sim.explore.invariants import check_history

    report = Report()
    calls = [0]
    known: dict[str, list[frozenset[str]]] = {}

    def check(history: list[Step]) -> None:
        calls[0] += 1
        violations = check_history(history, determinism=calls[0] % determinism_every == 0)
        causes = _causes(history)
        new = [v for v in violations if not any(found <= causes for found in known.get(v.invariant, []))]
        for violation in new:
            report.merge(Report(0, {_key(violation.invariant, causes): Finding(violation.invariant, list(history), violation.evidence)}))
        if new:
            raise _violation_type(new[0].invariant)(new[0].evidence)

    with _no_constants_from_imported_code():
        for round_number in range(max_rounds):
            remaining = budget - calls[0]
            if remaining <= 0:
                break
            before = dict(report.findings)
            run = settings(
                max_examples=remaining, deadline=None, database=DirectoryBasedExampleDatabase(database) if database else None, report_multiple_bugs=True,
                suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink], print_blob=False,
            )(hypothesis_seed(seed * 100 + round_number)(given(histories(kinds=kinds))(check)))
            try:
                run()
            except BaseException as error:  # noqa: BLE001 - Hypothesis reports the broken invariants by raising
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
            if report.findings == before:
                break  # the round ended without anything new: the budget is spent
            _drop_dominated(report)
            for finding in report.findings.values():
                known.setdefault(finding.invariant, []).append(_causes(finding.history))
    _drop_dominated(report)
    report.histories = calls[0]
    return report


#: Searches running in this process now (a Dask worker may run several in threads) and what they
#: replaced: the first to start takes Hypothesis' constant pool away, the last puts it back.
_SEARCHING: dict[str, Any] = {"count": 0, "original": None}
_SEARCHING_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_constants_from_imported_code() -> Iterator[None]:
    """Hypothesis also draws constants it finds in every local module imported so far, so one
    seed would explore other histories in a process that imported more (a test suite, a
    notebook): for the explorer, the seed alone decides. A Hypothesis without that pool (or
    with it elsewhere) is left as it is."""
    try:
        from hypothesis.internal.conjecture import providers

        providers._get_local_constants, providers.CONSTANTS_CACHE.cache  # noqa: B018 - both must exist
    except (ImportError, AttributeError):
        yield
        return
    with _SEARCHING_LOCK:
        _SEARCHING["count"] += 1
        if _SEARCHING["count"] == 1:
            none = providers.Constants()
            _SEARCHING["original"] = providers._get_local_constants
            providers.CONSTANTS_CACHE.cache.clear()  # allowed constants worked out from the pool as it was
            providers._get_local_constants = lambda: none
    try:
        yield
    finally:
        with _SEARCHING_LOCK:
            _SEARCHING["count"] -= 1
            if _SEARCHING["count"] == 0:
                providers._get_local_constants = _SEARCHING["original"]
                providers.CONSTANTS_CACHE.cache.clear()


def _drop_dominated(report: Report) -> None:
    """Shrinking passes through histories with more causes than the smallest: a finding whose
    causes include another's for the same invariant is that one, not yet shrunk."""
    for key, finding in list(report.findings.items()):
        mine = _causes(finding.history)
        if any(other is not finding and other.invariant == finding.invariant and _causes(other.history) < mine for other in report.findings.values()):
            del report.findings[key]


def _search_chunk(arguments: tuple[int, int, str | None, tuple[str, ...]]) -> Report:
    seed, budget, database, kinds = arguments
    return search(seed, budget, database, kinds)


#: How long to wait for a Dask scheduler to answer. Dask's own timeouts leave parts of its
#: greeting unbounded: an address where something else listens hung over 400 s.
SCHEDULER_CONNECT_SECONDS = 20


def _dask_client(scheduler: str | None, workers: int):
    """A client of the scheduler at `scheduler`, or of a local cluster of `workers` processes."""
    import dask
    from dask.distributed import Client

    if not scheduler:
        return Client(processes=True, n_workers=workers, threads_per_worker=1)
    outcome: dict[str, Any] = {}

    def connect() -> None:
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": f"{SCHEDULER_CONNECT_SECONDS}s"}):
                outcome["client"] = Client(scheduler, timeout=SCHEDULER_CONNECT_SECONDS)
        except Exception as error:  # noqa: BLE001 - handed to the waiting thread, which names it
            outcome["error"] = error

    # Connecting runs in a thread of its own that is abandoned if it has not finished in time.
    waiting = threading.Thread(target=connect, daemon=True, name="wcsim-dask-connect")
    waiting.start()
    waiting.join(SCHEDULER_CONNECT_SECONDS + 1)
    error = outcome.get("error")
    if isinstance(error, (ValueError, TypeError)):
        raise ConfigurationError(f"--scheduler {one_line(scheduler, 100)!r} is not a Dask scheduler address like tcp://10.0.0.5:8786 ({one_line(error, 200)})")
    if "client" not in outcome:
        why = f" ({one_line(error, 200)})" if error is not None else ""
        raise ConfigurationError(f"--scheduler {one_line(scheduler, 100)!r}: no Dask scheduler answered there within {SCHEDULER_CONNECT_SECONDS} s{why}")
    return outcome["client"]


def explore(budget: int, seed: int = 0, workers: int = 1, out: Path | None = None, executor: str = "processes", scheduler: str | None = None,
            kinds: tuple[str, ...] = tuple(KINDS), progress: Any = None) -> Report:
    """`budget` histories in all, split into independent searches over `workers`."""
    database = str(out / ".hypothesis") if out is not None else None
    chunks = max(1, workers)
    share = [budget // chunks + (1 if i < budget % chunks else 0) for i in range(chunks)]
    jobs = [(seed * 1000 + index, amount, database, kinds) for index, amount in enumerate(share) if amount]
    total = Report()
    if executor == "dask":
        client = _dask_client(scheduler, chunks)
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
    _drop_dominated(total)
    return total
