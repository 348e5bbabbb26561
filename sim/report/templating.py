"""The Jinja2 environment the reports are rendered with: the templates in `sim/report/templates`.

Shared by the HTML pages (sim.report.page) and the timeline pictures (sim.report.timeline), so
neither imports the other for it. Every template is autoescaped, and an undefined name fails.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["environment"]


@functools.cache
def environment() -> Environment:
    made = Environment(
        loader=PackageLoader("sim.report", "templates"),
        autoescape=select_autoescape(["html", "j2", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    made.filters["anchor"] = _anchor
    return made


def _anchor(text: str) -> str:
    """A stable id for a sentence: its first words, lower-case, joined by hyphens."""
    words = "".join(c if c.isalnum() else " " for c in text.casefold()).split()
    return "-".join(words[:8])
