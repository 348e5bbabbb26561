"""The step catalogue printed by `wcsim steps`: every step pattern with a real example.

Patterns come from pytest-bdd's registry of the plugin's step functions; each
example is the first line of the bundled features that the pattern matches, so
the catalogue cannot drift from what the features actually use.
"""

from __future__ import annotations

import re

__all__ = ["catalogue", "catalogue_text"]

_STEP_LINE = re.compile(r"^\s*(Given|When|Then|And|But)\s+(.*)$")


def _feature_lines() -> list[str]:
    from sim.claims import features_dir

    lines = []
    for path in sorted(features_dir().glob("*.feature")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _STEP_LINE.match(line)
            if match and "<" not in match.group(2):
                lines.append(match.group(2).strip())
    return lines


def catalogue() -> list[tuple[str, str, str]]:
    """(kind, pattern, example) for every step of the library, in module order."""
    import sim.bdd.steps_given  # noqa: F401  (registers the steps)
    import sim.bdd.steps_then  # noqa: F401
    import sim.bdd.steps_when  # noqa: F401
    from pytest_bdd.steps import step_function_context_registry

    examples = _feature_lines()
    rows = []
    for context in step_function_context_registry.values():
        if not context.step_func.__module__.startswith("sim.bdd."):
            continue
        example = next((line for line in examples if context.parser.is_matching(line)), "(used only through Scenario Outline examples, or not by the bundled features)")
        rows.append((context.type or "step", context.parser.name, example))
    return rows


def catalogue_text() -> str:
    out = []
    for kind in ("given", "when", "then"):
        out.append(f"{kind.upper()}")
        for step_kind, pattern, example in catalogue():
            if step_kind == kind:
                out.append(f"  {pattern}")
                out.append(f"      e.g. {kind.capitalize()} {example}")
        out.append("")
    return "\n".join(out)
