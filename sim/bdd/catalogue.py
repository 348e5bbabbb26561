"""The step catalogue printed by `wcsim steps`, and the closest steps to a line that matches none.

Patterns come from pytest-bdd's registry of the plugin's step functions, written
for people: a regular expression's groups become `{name}`, its choices
`(this | that)`, its optional parts `[...]`. Each example is the first line of
the bundled features that the pattern matches (with its data table, if it has
one), so the catalogue cannot drift from what the features actually use. Steps are
grouped by Given/When/Then and by topic.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["Step", "catalogue", "catalogue_text", "readable", "closest_steps", "TOPICS"]

#: A topic is chosen by the first of these words its readable pattern contains.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Office and linking", ("office", "linked", "holds the company file")),
    ("Computers and Windows", ("sleep", "wakes", "switched", "restarts", "Windows", "stays on")),
    ("Records and invoices", ("invoice", "record")),
    ("Web Connector", ("Web Connector", "Auto-Run", "QWC", "adding the application", "registry")),
    ("STRATAFOLIO", ("STRATAFOLIO", "Administrator", "authorized computer")),
    ("Company files and QuickBooks", ("company file", "folder", "QuickBooks", "works in", "pop-up", "cannot open", "slowdown")),
    ("Sync outcomes", ("sync",)),
    ("Time", ("simulation runs",)),
)

_QUOTED_LIST = '(?P<names>(?:"[^"]+"(?:, | and )?)+)'


@dataclass(frozen=True)
class Step:
    kind: str  # given, when or then
    pattern: str  # readable
    example: str
    table: tuple[tuple[str, ...], ...] = ()
    topic: str = "Other"


def readable(pattern: str) -> str:
    """A step pattern as a person reads it: no regular-expression syntax."""
    text = pattern.removeprefix("^").removesuffix("$")
    text = text.replace(_QUOTED_LIST, '"{company}"[, "{company}" and "{company}"]').replace(r"WS\d\d", "WS01")
    text = re.sub(r"\(\?:(\w+(?:\|\w+)+)\)", lambda m: m.group(1).replace("|", "/"), text)
    text = re.sub(r"\(\?P<(\w+)>\\d\+\)", r"{\1:d}", text)
    text = re.sub(r'"\(\?P<(\w+)>\[\^"\]\+\)"', r'"{\1}"', text)

    def choices(match: re.Match) -> str:
        name, body = match.group(1), match.group(2)
        return "(" + " | ".join(f'"{{{name}}}"' if part == '"[^"]+"' else part for part in body.split("|")) + ")"

    text = re.sub(r"\(\?P<(\w+)>((?:[^()|]+\|)+[^()|]+)\)", choices, text)
    text = re.sub(r"\(\?(?:P<\w+>|:)((?:[^()]|\([^()]*\))*)\)\?", r"[\1]", text)
    text = re.sub(r"(\w)s\?", r"\1(s)", text)
    return text.replace("\\'", "'")


def _topic(pattern: str) -> str:
    for topic, words in TOPICS:
        if any(word in pattern for word in words):
            return topic
    return "Other"


def _feature_steps() -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """Every step line of the bundled features with its data table, Scenario Outlines expanded."""
    from pytest_bdd.parser import FeatureParser

    from sim.claims import features_dir

    folder = features_dir()
    lines = []
    for path in sorted(folder.glob("*.feature")):
        feature = FeatureParser(str(folder), path.name).parse()
        for template in feature.scenarios.values():
            contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    table = tuple(tuple(cell.value for cell in row.cells) for row in step.datatable.rows) if step.datatable else ()
                    lines.append((step.name, table))
    return lines


def catalogue() -> list[Step]:
    """Every step of the library, in module order."""
    import sim.bdd.steps_given  # noqa: F401  (registers the steps)
    import sim.bdd.steps_then  # noqa: F401
    import sim.bdd.steps_when  # noqa: F401
    from pytest_bdd.steps import step_function_context_registry

    examples = _feature_steps()
    rows = []
    for context in step_function_context_registry.values():
        if not context.step_func.__module__.startswith("sim.bdd."):
            continue
        line, table = next(((line, table) for line, table in examples if context.parser.is_matching(line)), ("(not used by the bundled features)", ()))
        pattern = readable(context.parser.name)
        rows.append(Step(context.type or "step", pattern, line, table, _topic(pattern)))
    return rows


def catalogue_text() -> str:
    steps = catalogue()
    out = ["Steps of the wcsim library. {name} is a value you write (quoted where the pattern quotes it),",
           "(a | b) a choice, [ ... ] an optional part. Each example is taken from the bundled features.", ""]
    for kind in ("given", "when", "then"):
        out.append(kind.upper())
        for topic in [t for t, _ in TOPICS] + ["Other"]:
            group = [s for s in steps if s.kind == kind and s.topic == topic]
            if not group:
                continue
            out.append(f"  {topic}")
            for step in group:
                out.append(f"    {step.pattern}")
                out.append(f"        e.g. {kind.capitalize()} {step.example}")
                for row in step.table:
                    out.append("             | " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def closest_steps(line: str, count: int = 3) -> list[str]:
    """The library's steps most like `line`, each with its own keyword, ready to paste (an example from
    the bundled features, or the pattern for a step no bundled feature uses)."""
    def similarity(text: str) -> float:
        return difflib.SequenceMatcher(None, line.casefold(), text.casefold()).ratio()

    texts = {(s.pattern if s.example.startswith("(") else s.example): s.kind for s in catalogue()}
    ranked = sorted(texts, key=lambda text: -similarity(text))[:count]
    return [f"{texts[text].capitalize()} {text}" for text in ranked if similarity(text) > 0.3]
