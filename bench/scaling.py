"""Benchmark: how the reference office scales with simulated time and with company files.

Each configuration runs in a fresh process (so peak memory is its own) and reports wall
seconds, time compression, milliseconds per update session in the first and in the last
simulated week (the cost per update should not grow as company files grow), peak memory,
and bytes per trace event. A bare SimPy loop is measured in the same processes as the
anchor; its rate is printed beside each row.

    python bench/scaling.py [--days 1,7,30,90,365] [--files 1,3,10,30] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from bench.reference_office import bare_simpy_rate
from sim.office import build_office, reference_office
from sim.people.quickbooks_user import QuickBooksPerson
days, files = {days}, {files}
if files == 3:
    office = reference_office(seed=1)
else:
    names = tuple(f"Company {{n:02d}}" for n in range(1, files + 1))
    office = build_office(seed=1, companies=names, workstations=2)
    office.link_all()
    for app in office.apps.values():
        office.web_connector.set_auto_run(app, True, 5)
    hosts = [office.workstations[0], office.workstations[1], office.server]
    for number, name in enumerate(names[: 8]):
        host = hosts[number % 3]
        path = office.files[name] if host is office.server else office.mapped_path(name)
        QuickBooksPerson(office.world, f"person{{number}}", host, path, day_starts="08:00", day_ends="17:00").start()
world = office.world
if days >= 90:  # a long run streams its trace to a file and keeps the last events in memory
    import tempfile
    # (a day of events is fewer than the 10,000 kept: each day's updates are counted from memory)
    world.trace.spill_to(tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name, keep=10_000)
started = time.perf_counter()
week_marks = []
per_day = {{}}
for day in range(days):
    before = time.perf_counter()
    mark = len(world.trace)
    world.run(days=1)
    week_marks.append(time.perf_counter() - before)
    # Counted as the run goes: reading a streamed trace back at the end would load it whole.
    per_day[day] = len(world.trace.select("update.finished", since=mark))
wall = time.perf_counter() - started
finished = sum(per_day.values())
def ms_per_update(first_day, last_day):
    seconds = sum(week_marks[first_day:last_day]); count = sum(per_day.get(d, 0) for d in range(first_day, last_day))
    return 1000 * seconds / count if count else 0.0
print(json.dumps({{
    "days": days, "files": files, "wall": wall, "compression": days * 86400 / wall, "bare": bare_simpy_rate(),
    "updates": finished, "events": len(world.trace), "spilled": days >= 90,
    "first_week_ms": ms_per_update(0, min(7, days)), "last_week_ms": ms_per_update(max(0, days - 7), days),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def run(days: int, files: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", ONE_RUN.format(root=str(ROOT), days=days, files=files)],
        capture_output=True,
        text=True,
        timeout=7200,
    )
    if done.returncode != 0:
        raise SystemExit(f"{days} days, {files} files failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", default="1,7,30,90,365")
    parser.add_argument("--files", default="1,3,10,30")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table (for README)")
    arguments = parser.parse_args()
    configs = [(int(d), 3) for d in arguments.days.split(",")] + [
        (30, int(f)) for f in arguments.files.split(",") if int(f) != 3
    ]
    header = (
        "| days | files | wall s | compression | bare SimPy ev/s | updates | ms/update "
        "week 1 | ms/update last week | peak MB | trace events |"
    )
    # From 90 days the trace is streamed to a file (Trace.spill_to), which bounds its memory.
    print(header)
    print("|" + "---|" * 10)
    for days, files in configs:
        r = run(days, files)
        print(
            f"| {r['days']} | {r['files']} | {r['wall']:.1f} | {r['compression']:,.0f}x | "
            f"{r['bare']:,.0f} | {r['updates']:,} | "
            f"{r['first_week_ms']:.2f} | {r['last_week_ms']:.2f} | {r['peak_mb']:.0f} | "
            f"{r['events']:,}{' (streamed to a file)' if r['spilled'] else ''} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
