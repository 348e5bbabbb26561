"""Refresh README's "Measured" section from runs made now, on this machine.

Runs the test suite, the features suite, the claims report and each benchmark in
bench/ (each prints its own anchor, measured in the same run), times them, and
rewrites the section between the `measured:start` and `measured:end` markers in
README.md with what they printed and the machine they ran on. Nobody edits those
figures by hand. Takes about five minutes on 2 cores.

    python bench/refresh_readme.py [--readme README.md] [--dry-run]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- measured:start -->", "<!-- measured:end -->"

#: (what, command, which printed lines to keep: a regex, or None for the time alone)
RUNS = (
    (
        # The figure before issue 27, measured on this machine when quiet, stays beside the current one.
        "whole test suite (`python -m pytest`, 2 workers; before issue 27, 2026-12-06, quiet: "
        "119.3 s wall, 1085 passed)",
        [sys.executable, "-m", "pytest", "-q"],
        r"\d+ passed.*",
    ),
    (
        "features suite (`python -m pytest tests/test_features.py -n 0`)",
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "tests/test_features.py"],
        r"\d+ passed.*",
    ),
    ("claims report (`wcsim claims`)", [sys.executable, "-m", "sim", "claims"], None),
    (
        "`python bench/reference_office.py` (30 days, 3 files, 2 workstations, 8 people, Auto-Run every 5 min)",
        [sys.executable, "bench/reference_office.py"],
        r"(time compression|compression per M|bare SimPy|ratio to bare|peak memory|trace events|updates) .*",
    ),
    (
        "`python bench/cost_per_update.py` (90 days of the reference office)",
        [sys.executable, "bench/cost_per_update.py"],
        r"(ms per update, week|calls per update, week) .*",
    ),
    (
        "`python bench/http_sessions.py` (40 full sessions each, loopback)",
        [sys.executable, "bench/http_sessions.py"],
        r"(HTTP|in-process) .*",
    ),
    (
        "`python bench/diagnose_log.py` (50 MB QWCLog.txt: a restart a day, then one every 5 minutes)",
        [sys.executable, "bench/diagnose_log.py"],
        r"(anchor|whole diagnosis) .*",
    ),
    (
        "`python bench/in_process_sessions.py` (100 customers in pages of 10, no network)",
        [sys.executable, "bench/in_process_sessions.py"],
        r"(qbwc-kit|same,|wcsim|ratio) .*",
    ),
    (
        "`python bench/service_week.py` (7 simulated days against real services over HTTP)",
        [sys.executable, "bench/service_week.py"],
        r"(wcsim serve|qbwc-kit service): .*",
    ),
    (
        "`python bench/explore.py` (600 histories, seed 0, branching explorer, Dask: 1 and 2 local workers)",
        [sys.executable, "bench/explore.py"],
        r"(1 worker|2 workers|speed-up|bare SimPy) .*",
    ),
)


def machine() -> str:
    memory = ""
    try:
        total_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    return (
        f"{os.cpu_count()} cores{memory}, {platform.system()} {platform.release()} "
        f"{platform.machine()}, Python {platform.python_version()}"
    )


def measure(command: list[str], keep: str | None) -> str:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - started
    figure = f"{wall:.1f} s wall"
    if done.returncode not in (0, 1):
        return f"{figure}; exited {done.returncode}: {done.stderr.strip().splitlines()[-1:] or ''}"
    if keep:
        lines = [" ".join(m.group(0).split()) for line in done.stdout.splitlines() if (m := re.search(keep, line))]
        figure += "; " + "; ".join(lines)
    return figure


def section(rows: list[tuple[str, str]], on: str, when: str) -> str:
    table = "\n".join(f"| {what} | {figure.replace('|', '/')} |" for what, figure in rows)
    return (
        f"{START}\n## Measured ({when}, by `python bench/refresh_readme.py`)\n\nMachine: {on}. Shared and noisy: "
        f"each benchmark prints its anchor measured in the same run; compare ratios, not seconds.\n\n"
        f"| what | figure |\n|---|---|\n{table}\n{END}"
    )


def replace_section(readme: str, new: str) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"README has no {START} ... {END} section to refresh")
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return before + new + after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--dry-run", action="store_true", help="print the section instead of writing it")
    arguments = parser.parse_args()
    rows = []
    for what, command, keep in RUNS:
        print(f"measuring: {what}", file=sys.stderr, flush=True)
        rows.append((what, measure(command, keep)))
    new = section(rows, machine(), date.today().isoformat())
    if arguments.dry_run:
        print(new)
    else:
        arguments.readme.write_text(
            replace_section(arguments.readme.read_text(encoding="utf-8"), new), encoding="utf-8"
        )
        print(f"refreshed {arguments.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
