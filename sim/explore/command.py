"""`wcsim explore`: run the explorer, write what it found, print the table.

Exit codes: 0 nothing unexplained was found, 1 at least one unexplained finding (a broken
invariant no known cause explains), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import time

__all__ = ["explore_command"]


def explore_command(arguments: argparse.Namespace) -> int:
    from sim.console import console, escape, progress_bar
    from sim.explore.explorer import explore
    from sim.explore.findings import summary_rows, write_findings

    try:
        import hypothesis  # noqa: F401
    except ImportError:
        sys.stderr.write('wcsim: error: wcsim explore needs Hypothesis: pip install "wcsim[explore]"\n')
        return 2
    if arguments.out is not None and arguments.out.exists() and not arguments.out.is_dir():
        sys.stderr.write(f"wcsim: error: --out: {str(arguments.out)!r} is a file, not a folder\n")
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
    started = time.perf_counter()
    with progress_bar(f"exploring {arguments.budget} histories") as progress:
        report = explore(arguments.budget, arguments.seed, arguments.workers, arguments.out, arguments.executor, arguments.scheduler, progress=progress,
                         explorer=arguments.explorer, guided=arguments.guidance)
    wall = time.perf_counter() - started
    if arguments.out is not None:
        write_findings(report, arguments.out)
    rows = summary_rows(report, arguments.out)
    out = console()
    out.print(f"{report.histories:,} histories run (with shrinking) in {wall:.1f} s, {report.histories / wall:.1f} a second, seed {arguments.seed}, "
              f"{arguments.workers} worker(s) ({arguments.executor}, {arguments.explorer})")
    if arguments.explorer == "branching":
        out.print(f"{len(report.pairs):,} (session state, office condition) pairs covered" + (" (guided)" if arguments.guidance else ""))
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
