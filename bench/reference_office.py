"""Benchmark: the reference office for 30 simulated days (a script, not a test).

One server with 3 company files, 2 workstations, 8 people on workday habits in
shifts, one integration per file on Auto-Run every 5 minutes. Prints the time
compression (simulated seconds per wall second), events per second, a bare SimPy
loop's events per second measured in the same run, their ratio, and peak memory.

    python bench/reference_office.py [--days 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import resource
import time

import simpy

from sim.office import reference_office


def bare_simpy_rate(events: int = 1_000_000) -> float:
    env = simpy.Environment()

    def ticker():
        while True:
            yield env.timeout(1)

    env.process(ticker())
    started = time.perf_counter()
    env.run(until=events)
    return events / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()

    office = reference_office(seed=arguments.seed)
    world = office.world
    # Count every SimPy event the simulation processes.
    processed = [0]
    step = world.env.step

    def counting_step():
        processed[0] += 1
        step()

    world.env.step = counting_step
    started = time.perf_counter()
    world.run(days=arguments.days)
    wall = time.perf_counter() - started
    world.env.step = step

    simulated = arguments.days * 86400
    rate = processed[0] / wall
    bare = bare_simpy_rate()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    updates = world.trace.select("update.finished")
    succeeded = sum(1 for e in updates if e.get("outcome") == "succeeded")
    print(f"simulated days        {arguments.days}")
    print(f"wall seconds          {wall:.1f}")
    print(f"time compression      {simulated / wall:,.0f}x  (target >= 100,000x)")
    per_million = simulated / wall / (bare / 1e6)
    print(
        f"compression per M bare SimPy events/s  {per_million:,.0f}  (issue 15: about "
        "47,000 before it, target 3x: >= 141,000)"
    )
    print(f"simpy events          {processed[0]:,}")
    print(f"events per second     {rate:,.0f}")
    print(f"bare SimPy events/s   {bare:,.0f}")
    print(f"ratio to bare SimPy   {rate / bare:.1%}  (target >= 25%)")
    print(f"peak memory           {peak_mb:.0f} MB  (target < 200 MB)")
    print(f"trace events          {len(world.trace):,}")
    print(f"updates               {len(updates):,} ({succeeded:,} succeeded)")


if __name__ == "__main__":
    main()
