"""The claims report: every claim's verdict, with its tier, evidence and situations, as Markdown,
JSON or the HTML page.

`render` writes what `sim.claims.check_claims` found, per claim: the claim in plain words, the
verdict, the decisive trace and QWCLog lines the Then-steps collected, and the provenance of every
mechanism that acted; the tiers come from sim.report.tiers, the HTML page from sim.report.page.
"""

from __future__ import annotations

import json

from sim.claims import ARTICLE, ClaimVerdict

__all__ = ["render"]


def render(
    verdicts: list[ClaimVerdict],
    fmt: str = "md",
    seed: int = 0,
    seeds: dict[str, tuple[int, int]] | None = None,
    boundaries: list | tuple | None = None,
    findings: dict | None = None,
) -> str:
    """The report. `seeds` (claim id -> (held, seeds run)) adds how often each claim held over many seeds.
    The situations around the claims (sim.report.boundaries) and the experiments on the sentences'
    wording (sim.report.contradictions) are run now unless given; `boundaries=()` leaves them out."""
    from sim.report.boundaries import boundaries as run_boundaries
    from sim.report.contradictions import findings as run_findings
    from sim.report.tiers import TIER_WORDS, counts, read_article

    seeds = seeds or {}
    boundaries = tuple(run_boundaries(seed) if boundaries is None else boundaries)
    findings = run_findings(seed) if findings is None else findings
    if fmt == "html":
        from sim.report.page import claims_page

        return claims_page(verdicts, seed, seeds, boundaries, findings)
    blocks, readings = read_article(verdicts, boundaries, findings)
    sentences = [item for block in blocks for item in block.sentences if item.reading is not None]
    if fmt == "json":
        return json.dumps(
            {
                "article": ARTICLE,
                "seed": seed,
                "all_hold": all(v.holds for v in verdicts),
                "tiers": TIER_WORDS,
                "sentence_tiers": counts(s.reading for s in sentences),
                "claim_tiers": counts(readings.values()),
                "sentences": [
                    {
                        "text": s.sentence.text,
                        "claims": list(s.sentence.claims),
                        "tier": s.reading.tier,
                        "label": s.reading.label,
                        "also": s.reading.also,
                        "notes": s.reading.notes,
                    }
                    for s in sentences
                    if s.reading is not None
                ],  # all have one (above): said for the type checker
                "claims": [
                    {
                        "id": v.claim.id,
                        "section": v.claim.section,
                        "claim": v.claim.text,
                        "verdict": "holds" if v.holds else ("not checked" if v.not_checked else "does not hold"),
                        **({"not_checked": v.not_checked} if v.not_checked else {}),
                        "tier": readings[v.claim.id].tier,
                        "label": readings[v.claim.id].label,
                        "notes": readings[v.claim.id].notes,
                        "scenarios": [
                            {
                                "name": s.name,
                                "passed": s.passed,
                                "failure": s.failure,
                                "trace": s.evidence.get("trace", []),
                                "log": s.evidence.get("log", []),
                            }
                            for s in v.scenarios
                        ],
                        "provenance": v.provenance,
                        "decided_by": readings[v.claim.id].sources,
                        **(
                            {"over_seeds": {"held": seeds[v.claim.id][0], "runs": seeds[v.claim.id][1]}}
                            if v.claim.id in seeds
                            else {}
                        ),
                        "situations": [
                            {
                                "id": b.id,
                                "question": b.question,
                                "variants": [
                                    {**dict(x.conditions), "observed": x.observed, "holds": x.holds} for x in b.variants
                                ],
                            }
                            for b in boundaries
                            if b.claim == v.claim.id
                        ],
                    }
                    for v in verdicts
                ],
            },
            indent=2,
        )
    return _markdown(verdicts, seed, seeds, boundaries, readings, sentences)


def _verdict_word(verdict: ClaimVerdict) -> str:
    if not verdict.scenarios:
        return "does not hold (no scenario checks it)"
    if verdict.not_checked:
        return "not checked (the real service's adapter lacks a step)"
    return "holds" if verdict.holds else "does not hold"


def _markdown(
    verdicts: list[ClaimVerdict], seed: int, seeds: dict[str, tuple[int, int]], boundaries, readings, sentences
) -> str:
    from sim.report.page import _in_time_order
    from sim.report.tiers import TIER_WORDS, counts

    held = sum(v.holds for v in verdicts)
    tiers = counts(readings.values())
    told = ", ".join(f"{count} {TIER_WORDS[tier]}" for tier, count in tiers.items())
    by_sentence = ", ".join(
        f"{count} {TIER_WORDS[tier]}" for tier, count in counts(s.reading for s in sentences).items()
    )
    out = [
        f'# Claims of "{ARTICLE}"',
        "",
        f"Checked by simulation (seed {seed}): {held} of {len(verdicts)} claims' scenarios pass. Claims: {told}.",
        f"Sentences that make a claim ({len(sentences)}): {by_sentence}.",
        "",
    ]
    if not boundaries:
        out[-1:-1] = [
            'Situations not tried (--no-boundaries): a claim can read "holds" where some situation would break it.'
        ]
    over = " over seeds |" if seeds else ""
    out += [f"| claim | section | tier | scenarios |{over}", "|---|---|---|---|" + ("---|" if seeds else "")]
    for v in verdicts:
        held_over_seeds = (
            f" {seeds[v.claim.id][0]}/{seeds[v.claim.id][1]} held |" if v.claim.id in seeds else (" |" if seeds else "")
        )
        reading = readings[v.claim.id]
        out.append(
            f"| {v.claim.id} | {v.claim.section} | "
            f"{_verdict_word(v) if not v.holds else reading.words + ' (' + reading.label + ')'} "
            f"| {sum(s.passed for s in v.scenarios)}/{len(v.scenarios)} passed "
            f"|{held_over_seeds}"
        )
    out += ["", "## The article's sentences", ""]
    for item in sentences:
        out.append(f"- **{item.reading.words}** ({item.reading.label}): {item.sentence.text}")
        out += [f"  - {note}" for note in item.reading.notes]
    for v in verdicts:
        reading = readings[v.claim.id]
        out += [
            "",
            f"## {v.claim.id}: {_verdict_word(v) if not v.holds else reading.words}",
            "",
            f"> {v.claim.text}",
            "",
        ]
        out += [f"- {note}" for note in reading.notes]
        for scenario in v.scenarios:
            mark = (
                "passed"
                if scenario.passed
                else (f"not checked: {scenario.failure}" if scenario.not_checked else f"FAILED: {scenario.failure}")
            )
            out += ["", f"### Scenario: {scenario.name}: {mark}"]
            lines = scenario.evidence.get("trace", [])[:8]
            logs = _in_time_order(scenario.evidence.get("log", []))[:4]
            if lines:
                out += ["", "Evidence (trace):", "", "```"] + lines + ["```"]
            if logs:
                out += ["", "Evidence (QWCLog.txt, in time order):", "", "```"] + logs + ["```"]
        for boundary in (b for b in boundaries if b.claim == v.claim.id):
            out += [
                "",
                f"Where it holds: {boundary.question}",
                "",
                "| " + " | ".join(boundary.columns) + " | observed | holds |",
                "|" + "---|" * (len(boundary.columns) + 2),
            ]
            out += [
                "| "
                + " | ".join(value for _, value in x.conditions)
                + f" | {x.observed} | {'yes' if x.holds else 'no'} |"
                for x in boundary.variants
            ]
        if reading.sources:
            out += ["", "Mechanisms that decided it, by provenance:"]
            for source, kinds in reading.sources.items():
                label = "assumed (no public source)" if source == "assumed" else source
                out.append(f"- {label}: {', '.join(kinds)}")
    return "\n".join(out) + "\n"
