"""Benchmark: explorer histories per second on this machine, on a local Dask cluster of 1 and of 2 workers.

Each run explores the same budget from the same seed (histories include Hypothesis' shrinking of
anything found), as independent searches, one per worker; the cluster is started before the clock
starts, the searches' own start (building the office, the trunk of branching worlds) is inside it.
Also printed: histories per CPU-second of the searches (what they cost, whatever else the machine runs:
near-equal for 1 and 2 workers means the work divides without loss and the wall-clock speed-up is
what free cores allow), the load average after each, and a bare SimPy loop's events per second.

    python bench/explore.py [--budget 600] [--explorer branching|replay] [--executor dask|processes]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reference_office import bare_simpy_rate  # noqa: E402
from sim.explore.explorer import explore  # noqa: E402


def rate(budget: int, workers: int, explorer: str, executor: str) -> tuple[float, int, int, float]:
    """(histories per second, findings, pairs covered, histories per CPU-second of the searches)."""
    if executor == "dask":
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            started = time.perf_counter()
            report = explore(
                budget, seed=0, workers=workers, executor="dask", scheduler=cluster.scheduler_address, explorer=explorer
            )
            seconds = time.perf_counter() - started
    else:
        started = time.perf_counter()
        report = explore(budget, seed=0, workers=workers, explorer=explorer)
        seconds = time.perf_counter() - started
    return report.histories / seconds, len(report.findings), len(report.pairs), report.histories / report.cpu_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=600)
    parser.add_argument("--explorer", choices=("branching", "replay"), default="branching")
    parser.add_argument("--executor", choices=("dask", "processes"), default="dask")
    arguments = parser.parse_args()
    bare = bare_simpy_rate()
    one, found_one, pairs_one, cpu_one = rate(arguments.budget, 1, arguments.explorer, arguments.executor)
    load_one = os.getloadavg()[0]
    two, found_two, pairs_two, cpu_two = rate(arguments.budget, 2, arguments.explorer, arguments.executor)
    load_two = os.getloadavg()[0]
    print(
        f"budget                     {arguments.budget} histories, seed 0, "
        f"{arguments.explorer} explorer, {arguments.executor}, {os.cpu_count()} cores"
    )
    print(
        f"1 worker                   {one:6.1f} histories/s ({cpu_one:.1f} per CPU-second; "
        f"{found_one} invariants broken, {pairs_one} pairs covered; load {load_one:.1f})"
    )
    print(
        f"2 workers                  {two:6.1f} histories/s ({cpu_two:.1f} per CPU-second; "
        f"{found_two} invariants broken, {pairs_two} pairs covered; load {load_two:.1f})"
    )
    print(f"speed-up 1 -> 2 workers    {two / one:6.2f}x  (target >= 1.8x; per CPU-second {cpu_two / cpu_one:.2f}x)")
    print(f"bare SimPy, same run       {bare:,.0f} events/s")


if __name__ == "__main__":
    main()
