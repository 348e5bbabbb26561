"""Benchmark: explorer histories per second on this machine, with 1 and with 2 worker processes.

Each run explores the same budget from the same seed (histories include Hypothesis' shrinking
of anything found). Printed beside a bare SimPy loop's events per second in the same run.

    python bench/explore.py [--budget 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reference_office import bare_simpy_rate  # noqa: E402
from sim.explore.explorer import explore  # noqa: E402


def rate(budget: int, workers: int) -> tuple[float, int]:
    started = time.perf_counter()
    report = explore(budget, seed=0, workers=workers)
    return report.histories / (time.perf_counter() - started), len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=300)
    budget = parser.parse_args().budget
    bare = bare_simpy_rate()
    one, found_one = rate(budget, 1)
    two, found_two = rate(budget, 2)
    print(f"budget                     {budget} histories, seed 0")
    print(f"1 worker                   {one:6.1f} histories/s ({found_one} invariants broken)")
    print(f"2 workers                  {two:6.1f} histories/s ({found_two} invariants broken)")
    print(f"speed-up 1 -> 2 workers    {two / one:6.2f}x  (target >= 1.6x)")
    print(f"bare SimPy, same run       {bare:,.0f} events/s")


if __name__ == "__main__":
    main()
