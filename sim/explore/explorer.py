"""The search: Hypothesis draws histories, runs them, shrinks every broken invariant to its
smallest history; independent searches run in worker processes or on a Dask cluster.

A search is one Hypothesis run with its own seed and a share of the budget. Each broken
invariant raises its own exception type, so Hypothesis reports (and shrinks) each one
separately; the explorer keeps, per invariant, the shortest history that broke it. Every
search stores its examples in a Hypothesis database under the output folder, so a rerun
starts from the failures found before. Searches are independent: `explore` hands them to
a process pool, or to a Dask client (`executor="dask"`), and merges what they found.

How a history runs (`explorer`): "branching" (the default) branches it from the healthy office
simulated once (sim.explore.branching), draws steps at seconds and at moments inside sessions, and
ends it six hours after its last step; "replay" is the explorer before issue 26, kept for the
side-by-side benchmark: whole minutes, each history's scenario file built and run for two days.
The report counts the (session state, office condition) pairs a search covered. With guidance on
(`guided`), each history also tells Hypothesis (`target`) how many pairs it reached that no history
had reached before, so it spends part of the budget near histories that reach new ones; it is off by
default, since on bench/explore_time_to_find.py it found the seeded faults later, not sooner.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ConfigurationError
from sim.explore.histories import DAYS, KINDS, Step
from sim.text import one_line

__all__ = ["Finding", "Report", "search", "explore"]


@dataclass
class Finding:
    invariant: str
    history: list[Step]
    evidence: str
    seen: int = 1  # failing runs seen while searching and shrinking
    end: int = DAYS * 86400  # when the history's scenario ends (seconds after the start)

    @property
    def explained_by(self) -> list[str]:
        from sim.explore.invariants import explained_by

        return explained_by(self.history, self.invariant)


@dataclass
class Report:
    histories: int = 0
    findings: dict[str, Finding] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (session state, office condition) pairs reached
    cpu_seconds: float = 0.0  # of the searches' processes and the worlds they forked

    def merge(self, other: Report) -> None:
        self.histories += other.histories
        self.pairs |= other.pairs
        self.cpu_seconds += other.cpu_seconds
        for name, finding in other.findings.items():
            mine = self.findings.get(name)
            if mine is None:
                self.findings[name] = finding
            else:
                mine.seen += finding.seen
                if (len(finding.history), [s.kind for s in finding.history]) < (
                    len(mine.history),
                    [s.kind for s in mine.history],
                ):
                    mine.history, mine.evidence, mine.end = finding.history, finding.evidence, finding.end


_VIOLATIONS: dict[str, type] = {}


def _violation_type(invariant: str) -> type:
    """One exception type per invariant: Hypothesis tells bugs apart by type."""
    if invariant not in _VIOLATIONS:
        _VIOLATIONS[invariant] = type(f"Broke_{invariant.replace('-', '_')}", (AssertionError,), {})
    return _VIOLATIONS[invariant]


def _causes(history: list[Step]) -> frozenset[str]:
    from sim.explore.invariants import causes_of

    return causes_of(history)


def _key(invariant: str, causes: frozenset[str]) -> str:
    return invariant + (f" ({'+'.join(sorted(causes))})" if causes else "")


#: Called with (history, violations, its end in seconds) after every history a search runs, before
#: anything else is done with it (the benchmark times the explorer so; a BaseException ends the search).
OBSERVERS: list[Callable[[list[Step], list[Any], int], None]] = []
EXPLORERS = ("branching", "replay")


def search(
    seed: int,
    budget: int,
    database: str | None = None,
    kinds: tuple[str, ...] = tuple(KINDS),
    determinism_every: int = 25,
    max_rounds: int = 50,
    explorer: str = "branching",
    guided: bool = False,
) -> Report:
    """Hypothesis searches of `budget` histories in all (shrinking included), from `seed`.

    Hypothesis ends a search at its first failure (after shrinking it), so the budget is spent
    in rounds: each round's shrunk finding becomes known, and later rounds only stop for a
    broken invariant that is new, or that a history breaks without the causes already found
    for it. Findings are kept per invariant and set of known causes, the shortest history each."""
    from hypothesis import HealthCheck, Phase, given, settings, target
    from hypothesis import seed as hypothesis_seed
    from hypothesis.database import DirectoryBasedExampleDatabase

    from sim.explore.histories import histories, history_end
    from sim.explore.invariants import Violation, check_history, explained_by, replayed_fingerprint

    if explorer not in EXPLORERS:
        raise ValueError(f"explorer {explorer!r}: one of {', '.join(EXPLORERS)}")
    branching = explorer == "branching"
    report = Report()
    cpu_at_start = _cpu_seconds()
    calls = [0]
    known: dict[str, list[frozenset[str]]] = {}
    reached: dict[tuple[str, str], int] = {}  # pair -> histories that reached it

    def check(history: list[Step]) -> None:
        calls[0] += 1
        if branching:
            end = history_end(history)
            compare = calls[0] == 1 or calls[0] % determinism_every == 0  # the first: does a branch equal its replay?
            assert branches is not None  # opened above whenever branching
            result = branches.run(history, end, fingerprint=compare)
            violations = list(result.violations)
            if compare and result.fingerprint != replayed_fingerprint(history, end):
                violations.append(
                    Violation(
                        "not-deterministic",
                        "the branched run and the replay of its scenario file gave different traces "
                        f"(branched at {result.branched_at:.0f} s)",
                    )
                )
            score = novelty(result.pairs, reached)
            for pair in result.pairs:
                reached[pair] = reached.get(pair, 0) + 1
            if guided:
                target(score, label=GUIDANCE_LABEL)
        else:
            end = DAYS * 86400
            violations = check_history(history, determinism=calls[0] % determinism_every == 0)
        for observer in OBSERVERS:
            observer(history, violations, end)
        causes = _causes(history)
        new = [v for v in violations if not any(found <= causes for found in known.get(v.invariant, []))]
        for violation in new:
            report.merge(
                Report(
                    0,
                    {
                        _key(violation.invariant, causes): Finding(
                            violation.invariant, list(history), violation.evidence, end=end
                        )
                    },
                )
            )
        if branching:
            # What a known cause explains is recorded as it came, not shrunk: the search goes on for what none explains.
            new = [v for v in new if not explained_by(history, v.invariant)]
        if new:
            raise _violation_type(new[0].invariant)(new[0].evidence)

    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink] + (
        [Phase.target] if branching and guided else []
    )
    with _no_constants_from_imported_code(), _branches() if branching else contextlib.nullcontext() as branches:
        for round_number in range(max_rounds):
            remaining = budget - calls[0]
            if remaining <= 0:
                break
            before = dict(report.findings)
            run = settings(
                max_examples=remaining,
                deadline=None,
                database=DirectoryBasedExampleDatabase(database) if database else None,
                report_multiple_bugs=True,
                suppress_health_check=list(HealthCheck),
                phases=phases,
                print_blob=False,
            )(hypothesis_seed(seed * 100 + round_number)(given(histories(kinds=kinds, precise=branching))(check)))
            try:
                run()
            except AssertionError:  # Hypothesis reports a broken invariant by raising it (_violation_type)
                pass
            except ExceptionGroup as group:  # several, or a flaky one: anything else is a failure of the search itself
                _, other = group.split(AssertionError)
                if other is not None:
                    raise other from None
            if report.findings == before:
                break  # the round ended without anything new: the budget is spent
            _drop_dominated(report)
            for finding in report.findings.values():
                known.setdefault(finding.invariant, []).append(_causes(finding.history))
    _drop_dominated(report)
    if branching:
        _confirm_by_replay(report)
    report.histories = calls[0]
    report.pairs = set(reached)
    report.cpu_seconds = _cpu_seconds() - cpu_at_start
    return report


def _cpu_seconds() -> float:
    """CPU time of this process and of the worlds its searches forked (sim.explore.branching)."""
    import resource

    from sim.explore.branching import descendant_cpu_seconds

    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + descendant_cpu_seconds()


GUIDANCE_LABEL = "(session state, office condition) pairs no history reached before"


def novelty(pairs: set[tuple[str, str]], reached: dict[tuple[str, str], int]) -> float:
    """What a history is worth to the search, with guidance on: the pairs it reached that no history
    reached before. (Also tried: the rarity of every pair it reached, 1 / (1 + histories that reached
    it), which rewards long histories of everything at once. With either, Hypothesis' targeting found
    the seeded faults of bench/explore_time_to_find.py later than no guidance: README.)"""
    return float(sum(1 for pair in pairs if pair not in reached))


@contextlib.contextmanager
def _branches() -> Iterator[Any]:
    from sim.explore.branching import Branches, available
    from sim.explore.histories import scenario_text

    if not available():
        raise RuntimeError("the branching explorer needs os.fork (Linux, macOS); use explorer='replay'")
    with Branches(scenario_text([])) as branches:
        yield branches


def _confirm_by_replay(report: Report) -> None:
    """Every finding of a branched run must show again when its scenario file is replayed from
    scratch; one that does not is a finding of its own (the branch and the replay differ)."""
    from sim.explore.invariants import check_history

    for key, finding in list(report.findings.items()):
        if finding.invariant == "not-deterministic":
            continue
        if finding.invariant not in {v.invariant for v in check_history(finding.history, end=finding.end)}:
            del report.findings[key]
            evidence = (
                f"a branched run broke {finding.invariant} ({finding.evidence[:120]}); the replay "
                "of its scenario file did not"
            )
            report.findings["not-deterministic"] = Finding(
                "not-deterministic", finding.history, evidence, finding.seen, finding.end
            )


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
        if any(
            other is not finding and other.invariant == finding.invariant and _causes(other.history) < mine
            for other in report.findings.values()
        ):
            del report.findings[key]


def _search_chunk(arguments: tuple[int, int, str | None, tuple[str, ...], str, bool]) -> Report:
    seed, budget, database, kinds, explorer, guided = arguments
    return search(seed, budget, database, kinds, explorer=explorer, guided=guided)


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
        raise ConfigurationError(
            f"--scheduler {one_line(scheduler, 100)!r} is not a Dask scheduler address like "
            f"tcp://10.0.0.5:8786 ({one_line(error, 200)})"
        )
    if "client" not in outcome:
        why = f" ({one_line(error, 200)})" if error is not None else ""
        raise ConfigurationError(
            f"--scheduler {one_line(scheduler, 100)!r}: no Dask scheduler answered there "
            f"within {SCHEDULER_CONNECT_SECONDS} s{why}"
        )
    return outcome["client"]


def explore(
    budget: int,
    seed: int = 0,
    workers: int = 1,
    out: Path | None = None,
    executor: str = "processes",
    scheduler: str | None = None,
    kinds: tuple[str, ...] = tuple(KINDS),
    progress: Any = None,
    explorer: str = "branching",
    guided: bool = False,
) -> Report:
    """`budget` histories in all, split into independent searches over `workers`."""
    database = str(out / ".hypothesis") if out is not None else None
    chunks = max(1, workers)
    share = [budget // chunks + (1 if i < budget % chunks else 0) for i in range(chunks)]
    jobs = [
        (seed * 1000 + index, amount, database, kinds, explorer, guided) for index, amount in enumerate(share) if amount
    ]
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
