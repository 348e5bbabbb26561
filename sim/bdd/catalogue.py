"""The step catalogue printed by `wcsim steps`: every step pattern with a real example.

Patterns come from pytest-bdd's registry of the plugin's step functions; each
example is the first line of the bundled features that the pattern matches, so
the catalogue cannot drift from what the features actually use.
"""

from __future__ import annotations

__all__ = ["catalogue", "catalogue_text"]


def _feature_lines() -> list[str]:
    """Every step line of the bundled features, Scenario Outlines expanded with their examples."""
    from pytest_bdd.parser import FeatureParser

    from sim.claims import features_dir

    folder = features_dir()
    lines: list[str] = []
    for path in sorted(folder.glob("*.feature")):
        feature = FeatureParser(str(folder), path.name).parse()
        for template in feature.scenarios.values():
            contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
            for context in contexts:
                lines += [step.name for step in template.render(context).steps]
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
        example = next((line for line in examples if context.parser.is_matching(line)), "(not used by the bundled features)")
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
