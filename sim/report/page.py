"""The HTML pages of the reports, rendered with Jinja2 from `sim/report/templates`.

`claims_page` is the annotated article for documentation writers: the article's own
text, each sentence coloured by its tier (sim.report.tiers) with its note printed under
it, a legend and a headline counting the tiers at the top, and, a click away, each
claim's situations, its scenarios in Gherkin, a plain-language account, timelines and
log lines (grouped by scenario, in time order).
`scenario_page` is the page `wcsim run FILE --html OUT` writes for one run. Both are
one self-contained file: inline CSS and SVG, no scripts from the network.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sim.report.templating import environment
from sim.trace import PROVENANCE

if TYPE_CHECKING:
    from sim.claims import ClaimVerdict

__all__ = ["environment", "claims_page", "scenario_page"]

#: Sources, in words, for the legend (the trace's own, with what resting on the article means).
SOURCES = {source: words for source, words in PROVENANCE.items() if source} | {
    "ART": PROVENANCE["ART"] + ": evidence resting on it is circular",
}


def claims_page(
    verdicts: list[ClaimVerdict],
    seed: int,
    seeds: dict[str, tuple[int, int]] | None = None,
    boundaries=(),
    findings: dict | None = None,
) -> str:
    from sim.report.plain import account
    from sim.report.tiers import TIER_WORDS, counts, read_article
    from sim.report.timeline import LEGEND, marker_list, render_svg, timelines

    blocks, readings = read_article(verdicts, boundaries, findings or {})
    claims = []
    for verdict in verdicts:
        scenarios = []
        for scenario in verdict.scenarios:
            evidence = scenario.evidence
            start = datetime.fromisoformat(evidence["start"]) if evidence.get("start") else None
            drawn = timelines(evidence.get("timeline", []), start, evidence.get("end", 0.0)) if start else []
            scenarios.append(
                {
                    "name": scenario.name,
                    "passed": scenario.passed,
                    "failure": scenario.failure,
                    "gherkin": evidence.get("gherkin", []),
                    "account": [account(e) for e in sorted(evidence.get("events", []), key=lambda e: e.get("seq", 0))],
                    "log": _in_time_order(evidence.get("log", [])),
                    "timelines": [(render_svg(t), marker_list(t)) for t in drawn],
                    "measured": evidence.get("measured", []),
                }
            )
        claims.append(
            {
                "id": verdict.claim.id,
                "text": verdict.claim.text,
                "section": verdict.claim.section,
                "holds": verdict.holds,
                "checked": bool(verdict.scenarios) and not verdict.not_checked,
                "scenarios": scenarios,
                "reading": readings[verdict.claim.id],
                "seeds": (seeds or {}).get(verdict.claim.id),
                "boundaries": [b for b in boundaries if b.claim == verdict.claim.id],
            }
        )
    claim_sentences = [s.reading for b in blocks for s in b.sentences if s.reading is not None]
    return (
        environment()
        .get_template("claims.html.j2")
        .render(
            blocks=blocks,
            claims=claims,
            seed=seed,
            sources=SOURCES,
            tier_words=TIER_WORDS,
            legend=LEGEND,
            sentence_counts=counts(claim_sentences),
            claim_counts=counts(readings.values()),
            checked_sentences=len(claim_sentences),
            other_sentences=sum(len(b.sentences) for b in blocks) - len(claim_sentences),
            total=len(verdicts),
            seeds_run=(max(t for _, t in seeds.values()) if seeds else 0),
            situations_tried=bool(boundaries),
        )
    )


def _in_time_order(lines: list[str]) -> list[str]:
    """QWCLog.txt lines sorted by their time stamp (lines without one keep their place after the one before)."""
    keyed, last = [], ""
    for index, line in enumerate(lines):
        stamp = line.split("\t", 1)[0].split(" ", 1)[0] if line[:8].isdigit() else last
        last = stamp
        keyed.append((stamp, index, line))
    return [line for _, _, line in sorted(keyed)]


def scenario_page(run: Any, verdicts: list) -> str:
    """The page of one scenario run, with the verdicts its expectations gave."""
    from sim.report.timeline import LEGEND, compact_events, marker_list, render_svg, timelines

    data = run.scenario.data["scenario"]
    world = run.world
    pictures = [
        (render_svg(t), marker_list(t))
        for t in timelines(compact_events(world.trace), world.start, run.end, data["name"])
    ]
    texts = {host.name: host.qwc_log.text() for host in world.hosts.values()}
    logs = {name: text.splitlines()[-40:] for name, text in texts.items() if text}
    return (
        environment()
        .get_template("scenario.html.j2")
        .render(scenario=data, seed=world.seed, verdicts=verdicts, timelines=pictures, logs=logs, legend=LEGEND)
    )
