"""`wcsim explore`: run the explorer, write what it found, print the table.

Exit codes: 0 nothing unexplained was found, 1 at least one unexplained finding (a broken
invariant no known cause explains), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

__all__ = ["explore_command", "local_worker_limit", "WORKER_MEGABYTES"]

#: Memory one worker process takes while it explores (measured: about 48 MB each; issue 28).
WORKER_MEGABYTES = 48
#: Worker processes per core: more only take turns, and each still takes its memory.
WORKERS_PER_CORE = 4


def local_worker_limit() -> tuple[int, str]:
    """How many worker processes this computer may run at once, and why (its cores and free memory)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    free = _available_megabytes()
    limit = WORKERS_PER_CORE * cores
    if free is not None:
        limit = min(limit, free // WORKER_MEGABYTES)
    why = f"{cores} core(s), at most {WORKERS_PER_CORE} workers a core" + (
        f"; {free:,} MB of memory available, about {WORKER_MEGABYTES} MB a worker" if free is not None else ""
    )
    return max(1, limit), why


def _available_megabytes() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1 << 20)
    except (ValueError, OSError, AttributeError):
        return None


def explore_command(arguments: argparse.Namespace) -> int:
    from sim.console import console, escape, progress_bar
    from sim.explore.explorer import explore
    from sim.explore.findings import summary_rows, write_findings

    try:
        import hypothesis  # noqa: F401
    except ImportError:
        sys.stderr.write('wcsim: error: wcsim explore needs Hypothesis: pip install "wcsim[explore]"\n')
        return 2
    from sim.output_files import output_folder_problem

    problem = output_folder_problem("--out", arguments.out) if arguments.out is not None else ""
    if problem:  # before the search, not after it
        sys.stderr.write(f"wcsim: error: {problem}\n")
        return 2
    if arguments.scheduler and arguments.executor != "dask":
        sys.stderr.write("wcsim: error: --scheduler needs --executor dask\n")
        return 2
    if arguments.executor == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            sys.stderr.write('wcsim: error: --executor dask needs Dask: pip install "wcsim[explore]"\n')
            return 2
    if not arguments.scheduler:  # the workers run here: as many as this computer holds
        limit, why = local_worker_limit()
        if arguments.workers > limit:
            sys.stderr.write(
                f"wcsim: error: --workers {arguments.workers}: this computer runs at most {limit} at once ({why})\n"
            )
            return 2
    from sim.errors import SimError

    started = time.perf_counter()
    try:
        with progress_bar(f"exploring {arguments.budget} histories") as progress:
            report = explore(
                arguments.budget,
                arguments.seed,
                arguments.workers,
                arguments.out,
                arguments.executor,
                arguments.scheduler,
                progress=progress,
                explorer=arguments.explorer,
                guided=arguments.guidance,
            )
    except SimError as error:  # a scheduler that does not answer as one
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    wall = time.perf_counter() - started
    if arguments.out is not None:
        try:
            write_findings(report, arguments.out)
        except OSError as error:  # a disk that filled up during the search
            sys.stderr.write(
                f"wcsim: error: --out {str(arguments.out)!r}: cannot write the findings: {error.strerror or error}\n"
            )
            return 2
    rows = summary_rows(report, arguments.out)
    out = console()
    out.print(
        f"{report.histories:,} histories run (with shrinking) in {wall:.1f} s, "
        f"{report.histories / wall:.1f} a second, seed {arguments.seed}, "
        f"{arguments.workers} worker(s) ({arguments.executor}, {arguments.explorer})"
    )
    if arguments.explorer == "branching":
        out.print(
            f"{len(report.pairs):,} (session state, office condition) pairs covered"
            + (" (guided)" if arguments.guidance else "")
        )
    if not rows:
        out.print("No invariant was broken.")
        return 0
    if sys.stdout.isatty():
        from rich.table import Table

        table = Table("invariant broken", "explained by", "failing runs seen", "smallest history", "example file")
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        out.print(table)
    else:
        for row in rows:
            sys.stdout.write(" | ".join(row) + "\n")
    return 1 if any(finding.explained_by == [] for finding in report.findings.values()) else 0
