"""The HTML pages of the reports, rendered with Jinja2 from `sim/report/templates`.

`claims_page` is the annotated article for documentation writers: the article's own
text with each checked sentence marked by its verdict, and, a click away, the
scenarios in Gherkin, a plain-language account, timelines and log lines.
`scenario_page` is the page `wcsim run FILE --html OUT` writes for one run. Both are
one self-contained file: inline CSS and SVG, no scripts from the network.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sim.trace import PROVENANCE

if TYPE_CHECKING:
    from sim.claims import ClaimVerdict

__all__ = ["environment", "claims_page", "scenario_page"]

#: Sources, in words, for the legend (the trace's own, with what resting on the article means).
SOURCES = {source: words for source, words in PROVENANCE.items() if source} | {
    "ART": PROVENANCE["ART"] + ": evidence resting on it is circular",
}


@functools.cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("sim.report", "templates"), autoescape=select_autoescape(["html", "j2", "svg"]), undefined=StrictUndefined, trim_blocks=False)


def claims_page(verdicts: list["ClaimVerdict"], seed: int, seeds: dict[str, tuple[int, int]] | None = None, boundaries: dict | None = None) -> str:
    from sim.report.article import annotated_article
    from sim.report.plain import account
    from sim.report.timeline import render_svg, timelines

    by_id = {v.claim.id: v for v in verdicts}
    claims = []
    for verdict in verdicts:
        scenarios = []
        for scenario in verdict.scenarios:
            evidence = scenario.evidence
            start = datetime.fromisoformat(evidence["start"]) if evidence.get("start") else None
            pictures = [render_svg(t) for t in timelines(evidence.get("timeline", []), start, evidence.get("end", 0.0))] if start else []
            scenarios.append({
                "name": scenario.name, "passed": scenario.passed, "failure": scenario.failure,
                "gherkin": evidence.get("gherkin", []), "account": [account(e) for e in sorted(evidence.get("events", []), key=lambda e: e.get("seq", 0))],
                "log": evidence.get("log", []), "timelines": pictures, "measured": evidence.get("measured", []),
            })
        claims.append({
            "id": verdict.claim.id, "text": verdict.claim.text, "section": verdict.claim.section, "holds": verdict.holds,
            "checked": bool(verdict.scenarios) and not verdict.not_checked, "scenarios": scenarios, "provenance": verdict.provenance,
            "basis": verdict.claim.basis, "basis_note": verdict.claim.basis_note,
            "seeds": (seeds or {}).get(verdict.claim.id),
            "boundary": (boundaries or {}).get(verdict.claim.id),
        })
    blocks = annotated_article()
    checked_sentences = sum(1 for b in blocks for s in b.sentences if s.claims)
    return environment().get_template("claims.html.j2").render(
        blocks=blocks, claims=claims, holds=lambda ids: all(i in by_id and by_id[i].holds for i in ids),
        held=sum(v.holds for v in verdicts), total=len(verdicts), seed=seed, sources=SOURCES,
        checked_sentences=checked_sentences, other_sentences=sum(len(b.sentences) for b in blocks) - checked_sentences,
        seeds_run=(max(t for _, t in seeds.values()) if seeds else 0),
    )


def scenario_page(run: Any, verdicts: list) -> str:
    """The page of one scenario run, with the verdicts its expectations gave."""
    from sim.report.timeline import compact_events, render_svg, timelines

    data = run.scenario.data["scenario"]
    world = run.world
    pictures = [render_svg(t) for t in timelines(compact_events(world.trace), world.start, run.end, data["name"])]
    texts = {host.name: host.qwc_log.text() for host in world.hosts.values()}
    logs = {name: text.splitlines()[-40:] for name, text in texts.items() if text}
    return environment().get_template("scenario.html.j2").render(scenario=data, seed=world.seed, verdicts=verdicts, timelines=pictures, logs=logs)
