"""How far each sentence and claim of the article holds, in four tiers, with notes computed from the runs.

A reader needs more than green or red. The tiers, worst first:
- `fails`: a scenario of its claim fails, an experiment contradicts its wording, or it held in
  none of the situations tried;
- `some`: its claims hold, but among the situations tried (sim.report.boundaries) some break it;
- `rests`: it holds, but the mechanisms that decided it were modelled from the article itself
  (circular, provenance ART) or are assumed (no public source);
- `holds`: it holds in every situation tried, on mechanisms with an independent source.
Against a real web service, a scenario that needs a step its adapter does not implement is not checked:
it is no failure, and a claim with nothing worse is `unchecked` (grey), never `holds`.
Every note is worded here from what the runs gave (the verdicts, the variants and the provenance
of the trace events that decided them), so none can go stale when the model changes; the only
written notes are an annotation's scope (what no simulation can decide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.claims import ClaimVerdict
    from sim.report.article import Sentence
    from sim.report.boundaries import Boundary, Variant
    from sim.report.contradictions import Finding

__all__ = [
    "TIERS",
    "TIER_WORDS",
    "Reading",
    "read_sentence",
    "read_claim",
    "read_article",
    "counts",
    "situations_summary",
    "MECHANISMS",
]

TIERS = ("holds", "some", "rests", "fails", "unchecked")
TIER_WORDS = {
    "holds": "holds",
    "some": "holds only in some situations",
    "rests": "rests on the article or an assumption",
    "fails": "does not hold",
    "unchecked": "not checked",
}
#: Trace kinds that decide outcomes, in words (what mechanism a claim rests on); others show as their kind.
MECHANISMS = {
    "qbwc.remove_failed": "the removal handshake with the remembered file",
    "stratafolio.refused": "STRATAFOLIO's Administrator role",
    "sdk.record_in_use": "QuickBooks' record lock while someone edits",
    "person.slowed_down": "the slowdown of a person's work while a sync runs",
    "person.slowdown_ended": "the slowdown of a person's work while a sync runs",
    "sdk.begin_session_failed": "QuickBooks refusing to open the file",
    "update.finished": "the update session",
    "update.started": "the Auto-Run scheduler",
    "qbwc.add_failed": "adding a QWC file",
    "host.asleep": "a computer's power state",
    "host.off": "a computer's power state",
    "stratafolio.login_refused": "STRATAFOLIO's authorized computers",
    "qbwc.app_removed": "the removal handshake with the remembered file",
    "registry.key_deleted": "Force Removal from the registry",
}


@dataclass
class Reading:
    """The verdict a sentence or claim gets: its tier, the badge's words, and the computed notes."""

    tier: str
    label: str
    notes: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # weaker tiers it also falls in, in words
    situations: list[tuple[Boundary, tuple[Variant, ...]]] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)  # provenance -> deciding trace kinds
    finding: Finding | None = None

    @property
    def words(self) -> str:
        return TIER_WORDS[self.tier]


def _selected(names: tuple[str, ...], boundaries: dict[str, Boundary]) -> list[tuple[Boundary, tuple[Variant, ...]]]:
    chosen = []
    for name in names:
        identifier, _, value = name.partition(":")
        boundary = boundaries.get(identifier)
        if boundary is None:
            continue
        variants = tuple(v for v in boundary.variants if not value or value in (x for _, x in v.conditions))
        if variants:
            chosen.append((boundary, variants))
    return chosen


def situations_summary(boundary: Boundary, variants: tuple[Variant, ...]) -> str:
    """Where it held among the situations tried, in a sentence: which conditions it needed, which did not matter."""
    held = [v for v in variants if v.holds]
    if len(variants) == 1:
        (only,) = variants
        return (
            f"{'Holds' if only.holds else 'Does not hold'} in the one situation tried "
            f"({_conditions(only)}): {only.observed}."
        )
    if len(held) == len(variants):
        varied = "; ".join(
            f"{name}: {', '.join(dict.fromkeys(dict(v.conditions)[name] for v in variants))}"
            for name in boundary.columns
            if len({dict(v.conditions)[name] for v in variants}) > 1
        )
        return f"Holds in all {len(variants)} situations tried" + (f" ({varied})." if varied else ".")
    failing = [v for v in variants if not v.holds]
    shown = "; ".join(f"{_conditions(v)}: {v.observed}" for v in failing[:4]) + (
        f"; and {len(failing) - 4} more (the table of the claim lists them)" if len(failing) > 4 else ""
    )
    if not held:
        return f"Holds in none of the {len(variants)} situations tried: {shown}."
    return (
        f"Holds in {len(held)} of {len(variants)} situations tried, "
        f"{_where_it_held(boundary, variants, held)}. Not when {shown}."
    )


def _conditions(variant: Variant) -> str:
    return ", ".join(value for _, value in variant.conditions)


def _where_it_held(boundary: Boundary, variants, held) -> str:
    """The conditions shared by every situation where it held, if they describe exactly those; else the list."""
    needed: list[tuple[str, list[str]]] = []
    free: list[tuple[str, list[str]]] = []
    for name in boundary.columns:
        values_held = list(dict.fromkeys(dict(v.conditions)[name] for v in held))
        values_all = list(dict.fromkeys(dict(v.conditions)[name] for v in variants))
        (free if len(values_held) == len(values_all) else needed).append((name, values_held))
    exact = sum(1 for v in variants if all(dict(v.conditions)[name] in values for name, values in needed)) == len(held)
    if not exact or not needed:
        return "; ".join(_conditions(v) for v in held)
    words = " and ".join(f"{name}: {' or '.join(values)}" for name, values in needed)
    return f"when {words}" + (f" (whichever {', '.join(name for name, _ in free)})" if free else "")


def _basis(sources: dict[str, list[str]]) -> list[str]:
    notes = []
    for source, what in (
        ("ART", "a rule modelled from the article itself (circular: the run cannot confirm it independently)"),
        ("assumed", "an assumption of this simulator (no public source)"),
    ):
        if source in sources:
            mechanisms = ", ".join(dict.fromkeys(MECHANISMS.get(kind, kind) for kind in sources[source]))
            notes.append(f"Rests on {what}: {mechanisms}.")
    return notes


def _sources(pairs) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for source, kind in pairs:
        if source and kind not in found.setdefault(source, []):
            found[source].append(kind)
    return {source: sorted(kinds) for source, kinds in sorted(found.items())}


def _deciding(verdicts: list[ClaimVerdict]) -> list[tuple[str, str]]:
    """(provenance, kind) of the events each claim's Then-steps kept as evidence."""
    return [
        (e.get("source", ""), e.get("kind", ""))
        for v in verdicts
        for s in v.scenarios
        for e in s.evidence.get("events", [])
    ]


def _reading(verdicts: list[ClaimVerdict], situations, finding, scope: str = "") -> Reading:
    failing = [(v, s) for v in verdicts for s in v.scenarios if not s.passed and not s.not_checked] + [
        (v, None) for v in verdicts if not v.scenarios
    ]
    unchecked = [s for v in verdicts for s in v.scenarios if not s.passed and s.not_checked]
    pairs = [
        pair
        for boundary, variants in situations
        for v in (tuple(x for x in variants if x.holds) or variants)
        for pair in v.sources
    ]
    sources = _sources(pairs if situations else _deciding(verdicts))
    notes: list[str] = []
    if finding is not None and finding.contradicts:
        notes.append(f"Contradicted by the model: {finding.observed}")
    for verdict, scenario in failing[:2]:
        notes.append(
            f"Does not hold: {scenario.name}: {scenario.failure or 'failed'}"
            if scenario
            else f"Does not hold: no scenario checks {verdict.claim.id}."
        )
    for scenario in unchecked[:2]:
        notes.append(f"Not checked: {scenario.name}: {scenario.not_checked}")
    for boundary, variants in situations:
        notes.append(situations_summary(boundary, variants))
    notes += _basis(sources)
    if scope:
        notes.append(f"Not checkable: {scope}")
    held = [sum(x.holds for x in variants) for _, variants in situations]
    total = [len(variants) for _, variants in situations]
    rests = [word for word, source in (("circular", "ART"), ("assumed", "assumed")) if source in sources]
    if failing or (finding is not None and finding.contradicts) or (situations and sum(held) == 0):
        tier = "fails"
        label = (
            "contradicted by the model"
            if finding is not None and finding.contradicts
            else "a scenario fails"
            if failing
            else "in none of the situations tried"
        )
    elif unchecked:
        tier, label = (
            "unchecked",
            f"{len(unchecked)} of {sum(len(v.scenarios) for v in verdicts)} scenarios not checked",
        )
    elif sum(held) < sum(total):
        tier, label = "some", f"{sum(held)} of {sum(total)} situations"
    elif rests:
        tier, label = "rests", " and ".join(rests)
    else:
        tier, label = (
            "holds",
            (f"all {sum(total)} situations" if sum(total) > 1 else "the one situation tried")
            if situations
            else "its scenarios pass",
        )
    also = (
        [
            f"rests on {'the article' if 'circular' in rests else 'an assumption'}"
            + (" and an assumption" if len(rests) == 2 else "")
        ]
        if rests and tier in ("some", "fails")
        else []
    )
    return Reading(tier, label, notes, also, situations, sources, finding)


def read_sentence(
    sentence: Sentence,
    verdicts: dict[str, ClaimVerdict],
    boundaries: dict[str, Boundary],
    findings: dict[str, Finding],
) -> Reading:
    claims = [verdicts[c] for c in sentence.claims if c in verdicts]
    missing = [c for c in sentence.claims if c not in verdicts]
    reading = _reading(
        claims,
        _selected(sentence.situations, boundaries),
        findings.get(sentence.experiment),
        sentence.note if sentence.kind == "partly" else "",
    )
    if missing:
        reading.tier, reading.label = "fails", "not checked"
        reading.notes.insert(0, f"Does not hold: no verdict for {', '.join(missing)}.")
    return reading


def read_claim(verdict: ClaimVerdict, boundaries: dict[str, Boundary]) -> Reading:
    situations = [(b, b.variants) for b in boundaries.values() if b.claim == verdict.claim.id]
    reading = _reading([verdict], situations, None)
    reading.notes += list(
        dict.fromkeys(f"Measured: {line}" for s in verdict.scenarios for line in s.evidence.get("measured", []))
    )
    if situations:
        # Sources: what decided its scenarios and its situations alike.
        reading.sources = _sources(
            [
                *_deciding([verdict]),
                *(pair for _, variants in situations for v in variants if v.holds for pair in v.sources),
            ]
        )
        rests = [word for word, source in (("circular", "ART"), ("assumed", "assumed")) if source in reading.sources]
        reading.notes = [n for n in reading.notes if not n.startswith("Rests on")] + _basis(reading.sources)
        if reading.tier == "holds" and rests:
            reading.tier, reading.label = "rests", " and ".join(rests)
        elif reading.tier in ("some", "fails") and rests:
            reading.also = [
                f"rests on {'the article' if 'circular' in rests else 'an assumption'}"
                + (" and an assumption" if len(rests) == 2 else "")
            ]
    return reading


@dataclass
class ReadSentence:
    sentence: Sentence
    reading: Reading | None  # None for instructions and context


@dataclass
class ReadBlock:
    kind: str  # paragraph, heading, subheading or item
    text: str
    sentences: list[ReadSentence]


def read_article(verdicts: list[ClaimVerdict], boundaries, findings) -> tuple[list[ReadBlock], dict[str, Reading]]:
    """The article block by block with each claim sentence's reading, and each claim's reading by id."""
    from sim.report.article import annotated_article

    by_id = {v.claim.id: v for v in verdicts}
    by_boundary = {b.id: b for b in boundaries}
    blocks = [
        ReadBlock(
            block.kind,
            block.text,
            [
                ReadSentence(s, read_sentence(s, by_id, by_boundary, findings) if s.claims else None)
                for s in block.sentences
            ],
        )
        for block in annotated_article()
    ]
    return blocks, {v.claim.id: read_claim(v, by_boundary) for v in verdicts}


def counts(readings) -> dict[str, int]:
    """How many readings fall in each tier, in the tiers' order."""
    found = {tier: 0 for tier in TIERS}
    for reading in readings:
        found[reading.tier] += 1
    return found
