"""Benchmark: how soon the explorer finds each seeded fault (time to bug, as FuzzBench and Magma judge fuzzers).

Each fault of `sim.explore.faults` is seeded into the model alone; the explorer then searches from
a fixed seed with a fixed budget of CPU-seconds, and the run stops at the first history that
breaks the fault's invariant where the same history without the fault does not (checked by
replaying it from scratch without the fault; that check's own CPU is not counted). The time is
CPU-seconds of every process the search used (its forked worlds included), from the search's
start; "not found" when the budget ran out first. Each (fault, seed) runs in a fresh process.

    python bench/explore_time_to_find.py [--budget 30] [--seeds 0,1,2] [--faults a,b] [--jobs 1]
    python bench/explore_time_to_find.py --explorer replay,branching,guided   # side by side

Per fault it prints the median over the seeds (not found counts as longer than any time), then
the median over the faults, and histories per CPU-second.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.explore.faults import FAULTS, Fault  # noqa: E402

NOT_FOUND = float("inf")
#: The search's budget of histories: what a user would give (`wcsim explore --budget 3000`); the
#: CPU budget ends each run first. (Hypothesis plans its phases from it: targeting, for one.)
HISTORIES = 3000


class _Stop(BaseException):
    """Ends a search from inside it (Hypothesis lets BaseException through untouched)."""


def _cpu() -> float:
    """CPU-seconds of this process and of the forked worlds the explorer reports (the trunk, once
    waited for, is not counted again through RUSAGE_CHILDREN)."""
    from sim.explore.branching import descendant_cpu_seconds

    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + descendant_cpu_seconds()


def _one_run(fault_name: str, seed: int, budget: float, explorer: str, out) -> None:
    """One search with one fault, in this (fresh) process; sends (seconds or inf, histories, cpu) to `out`."""
    import pytest

    import sim.explore.explorer as explorer_module
    from sim.explore import invariants

    fault = next(f for f in FAULTS if f.name == fault_name)
    histories, control_cpu, found = [0], [0.0], [NOT_FOUND]
    check_scratch = invariants.check_history
    with pytest.MonkeyPatch.context() as mp:
        fault.apply(mp)

        def control_breaks(history, end) -> bool:
            """Does the model without the fault break the same invariant for this history?"""
            started = _cpu()
            mp.undo()
            try:
                return fault.invariant in {v.invariant for v in check_scratch(history, determinism=True, end=end)}
            finally:
                fault.apply(mp)
                control_cpu[0] += _cpu() - started

        def observe(history, violations, end) -> None:
            histories[0] += 1
            spent = _cpu() - start - control_cpu[0]
            if fault.invariant in {v.invariant for v in violations} and not control_breaks(history, end):
                found[0] = spent
                raise _Stop
            if spent > budget:
                raise _Stop

        explorer_module.OBSERVERS.append(observe)
        start = _cpu()
        options = {"explorer": "branching", "guided": True} if explorer == "guided" else {"explorer": explorer}
        try:
            explorer_module.search(seed=seed, budget=HISTORIES, **options)
        except _Stop:
            pass
        spent = _cpu() - start - control_cpu[0]
    out.send((found[0], histories[0], spent))
    out.close()


def run(fault: Fault, seed: int, budget: float, explorer: str) -> tuple[float, int, float]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_one_run, args=(fault.name, seed, budget, explorer, send))
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = (NOT_FOUND, 0, 0.0)
    process.join()
    return result


def _shown(seconds: float) -> str:
    return "not found" if seconds == NOT_FOUND else f"{seconds:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=30.0, help="CPU-seconds per fault and seed")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--faults", default=",".join(f.name for f in FAULTS))
    parser.add_argument(
        "--explorer",
        default="replay,branching",
        help="comma-separated: replay (the explorer before issue 26), branching, guided (branching with guidance)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (each is one process)")
    arguments = parser.parse_args()
    seeds = [int(s) for s in arguments.seeds.split(",")]
    faults = [f for f in FAULTS if f.name in arguments.faults.split(",")]
    explorers = arguments.explorer.split(",")
    jobs = [(fault, seed, explorer) for explorer in explorers for fault in faults for seed in seeds]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max(1, arguments.jobs)) as pool:  # each run is its own process
        results = dict(
            zip(jobs, pool.map(lambda job: run(job[0], job[1], arguments.budget, job[2]), jobs), strict=False)
        )
    wall = time.perf_counter() - started
    print(f"budget {arguments.budget:g} CPU-s per fault and seed; seeds {arguments.seeds}; wall {wall:.0f} s")
    header = (
        "| fault | where | invariant | "
        + " | ".join(f"{e}: CPU-s to find (median of seeds; each seed)" for e in explorers)
        + " |"
    )
    print(header)
    print("|" + "---|" * (3 + len(explorers)))
    medians = {e: [] for e in explorers}
    for fault in faults:
        cells = []
        for explorer in explorers:
            times = [results[(fault, seed, explorer)][0] for seed in seeds]
            median = statistics.median(times)  # "not found" sorts after every time
            medians[explorer].append(median)
            cells.append(f"{_shown(median)} ({', '.join(_shown(t) for t in times)})")
        print(f"| {fault.name} | {fault.where} | {fault.invariant} | " + " | ".join(cells) + " |")
    for explorer in explorers:
        histories = sum(results[(f, s, explorer)][1] for f in faults for s in seeds)
        cpu = sum(results[(f, s, explorer)][2] for f in faults for s in seeds)
        found = sum(m != NOT_FOUND for m in medians[explorer])
        print(
            f"{explorer}: median over faults {_shown(statistics.median(medians[explorer]))} "
            f"CPU-s; found {found} of {len(faults)}; "
            f"{histories} histories in {cpu:.1f} CPU-s = {histories / cpu if cpu else 0:.1f} histories per CPU-second"
        )


if __name__ == "__main__":
    main()
