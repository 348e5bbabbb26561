"""What the `wcsim` commands print on a terminal: colour, tables and progress bars through rich.

Colour and bars appear only on a terminal, and never when NO_COLOR is set (rich
honours it); into a pipe or a file the commands print plain lines that other tools
can read, the same text without the styling.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

__all__ = ["console", "progress_bar", "print_verdicts", "escape"]


def console(stream=None) -> Console:
    """A rich console on `stream` (standard output by default) that never wraps or highlights."""
    return Console(file=stream or sys.stdout, highlight=False, soft_wrap=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[float], None] | None]:
    """A bar on standard error, gone when done; None (no bar) when standard error is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn(escape(description)),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=1.0)
        yield lambda fraction: bar.update(task, completed=fraction)


def print_verdicts(verdicts, stream=None) -> None:
    """Expectations with HOLDS in green and FAILS in red, each with what was observed."""
    from sim.text import one_line

    out = console(stream)
    if verdicts:
        out.print("\nExpectations:")
    for verdict in verdicts:
        word = "[green]HOLDS[/green]" if verdict.holds else "[bold red]FAILS[/bold red]"
        out.print(
            f"  {word}  {escape(one_line(verdict.description))}\n         observed: "
            f"{escape(one_line(verdict.observed))}"
        )
