"""Benchmark: does an update session cost more as the simulated months go by?

Runs the reference office for 90 simulated days (the trace streamed to a file from the first
hours, so every week pays for that alike) and prints, for week 1 and week 12: wall milliseconds
per update session, and Python function calls per update session counted by cProfile in a
second, identical run. The calls are exact and the same on any machine: they show whether the
work per update grows (a scan over a growing list would); the milliseconds also move with the
machine's noise.

    python bench/cost_per_update.py [--days 90]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.office import reference_office  # noqa: E402


def office_world():
    world = reference_office(seed=1).world
    world.trace.spill_to(tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name, keep=1_000)
    return world


def week(world, profile: bool) -> tuple[float, int]:
    """(milliseconds, function calls) per update session over the next 7 simulated days."""
    mark = len(world.trace)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    world.run(days=7)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - started
    updates = len(world.trace.select("update.finished", since=mark))
    calls = sum(stat[1] for stat in pstats.Stats(profiler).stats.values()) if profiler else 0
    return 1000 * wall / updates, round(calls / updates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    days = parser.parse_args().days
    weeks = days // 7
    timed = office_world()
    ms = [week(timed, profile=False)[0] for _ in range(weeks)]
    counted = office_world()
    first_calls = week(counted, profile=True)[1]
    counted.run(days=7 * (weeks - 2))
    last_calls = week(counted, profile=True)[1]
    print(
        f"ms per update, week 1 / week {weeks}        {ms[0]:.3f} / {ms[-1]:.3f}  "
        f"({ms[-1] / ms[0] - 1:+.1%}; target within 10%)"
    )
    print(
        f"calls per update, week 1 / week {weeks}     {first_calls} / {last_calls}  "
        f"({last_calls / first_calls - 1:+.1%})"
    )
    print(f"ms per update, each week                 {' '.join(f'{m:.2f}' for m in ms)}")


if __name__ == "__main__":
    main()
