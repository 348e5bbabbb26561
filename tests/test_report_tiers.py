"""The tiers a reader sees: holds, holds only in some situations, rests on the article or an assumption, does
not hold; each worked out from the runs (verdicts, situations, the provenance of the deciding events), so a
change of the model changes the notes; a sentence the model contradicts is marked so, with its evidence."""

import pytest

from sim.claims import CLAIMS, ClaimVerdict, ScenarioResult
from sim.report.article import annotated_article
from sim.report.boundaries import BOUNDARY_CLAIMS, boundaries
from sim.report.contradictions import findings
from sim.report.tiers import read_article, read_claim, read_sentence
from tests.claims_once import bundled_claims


@pytest.fixture(scope="module")
def verdicts():
    return bundled_claims()


@pytest.fixture(scope="module")
def read(verdicts):
    blocks, claims = read_article(verdicts, boundaries(0), findings(0))
    sentences = {item.sentence.text: item.reading for block in blocks for item in block.sentences if item.reading}
    return sentences, claims


def sentence(read, begins):
    return next(reading for text, reading in read[0].items() if text.startswith(begins))


def test_each_tier_is_reached_for_the_reason_it_names(read):
    scheduler = sentence(read, "If the computer is on but someone is working")
    assert scheduler.tier == "some" and scheduler.label == "2 of 8 situations"
    assert any(
        note.startswith(
            "Holds in 2 of 8 situations tried, when works at: the Web Connector's computer and records waiting: yes"
        )
        for note in scheduler.notes
    )
    # The record in use (3170, InterWeave) and a person blocked on the Web Connector's computer (Codat)
    # are FIELD now (issue 22), so where it holds the sentence rests on no assumption.
    assert scheduler.also == []
    asleep = sentence(read, "If the computer is off or asleep")
    assert asleep.tier == "holds" and asleep.label == "all 4 situations" and not asleep.also
    handshake = sentence(read, "Web Connector needs to perform a handshake")
    assert handshake.tier == "rests" and handshake.label == "circular"
    assert any("modelled from the article itself" in note and "removal handshake" in note for note in handshake.notes)
    skipped = sentence(read, "Delete the authorized computer from STRATAFOLIO")
    assert skipped.tier == "fails" and "the old computer's login still works" in " ".join(skipped.notes)


def test_a_sentence_the_model_contradicts_is_marked_so_with_its_evidence(read):
    remembers = sentence(read, "Web Connector remembers your file by its exact name")
    assert remembers.tier == "fails" and remembers.label == "contradicted by the model"
    assert remembers.notes[0].startswith(
        "Contradicted by the model: After the rename, only STRATAFOLIO was told the new path"
    )
    finding = findings(0)["who-remembers-the-path"]
    assert finding.contradicts and any(
        'authRet[1]="D:\\QBData\\Company Files\\Acme Properties 2026.QBW"' in line for line in finding.evidence
    )
    # The claim beside it still holds: a rename breaks every sync.
    assert sentence(read, "Do not rename your QuickBooks Desktop file.").tier == "holds"


def test_notes_follow_the_model_they_come_from(monkeypatch, verdicts):
    """Remove what a session does to a person (the assumed slowdown elsewhere, the block on the Web
    Connector's computer) and the sentence about a person's computer slowing down stops holding anywhere."""
    import sim.quickbooks.desktop as desktop

    text = next(
        s
        for b in annotated_article()
        for s in b.sentences
        if s.text.startswith("If anyone is working in QuickBooks Desktop when you run a full sync")
    )
    verdicts = {v.claim.id: v for v in verdicts}
    before = read_sentence(text, verdicts, {b.id: b for b in boundaries(0)}, {})
    monkeypatch.setattr(desktop, "SLOWDOWN_PER_SYNC", 0.0)
    monkeypatch.setattr(desktop.QuickBooksDesktop, "busy_with_session", lambda self: False)
    # The uncached function: the cached situations stay those of the model as it is, for the other tests.
    after = read_sentence(text, verdicts, {b.id: b for b in boundaries.__wrapped__(0)}, {})
    assert (
        before.label == "2 of 8 situations"
        and after.tier == "fails"
        and after.label == "in none of the situations tried"
    )
    assert "slowed 0.0 s" in " ".join(after.notes)


def _verdict(source: str, passed: bool = True) -> ClaimVerdict:
    event = {"kind": "qbwc.remove_failed", "source": source, "details": {}}
    return ClaimVerdict(
        CLAIMS[3], [ScenarioResult("a scenario", passed, {"events": [event]}, "" if passed else "it failed")]
    )


def test_the_tier_follows_the_provenance_of_the_deciding_events():
    assert read_claim(_verdict("PG"), {}).tier == "holds"
    circular = read_claim(_verdict("ART"), {})
    assert circular.tier == "rests" and circular.label == "circular"
    assumed = read_claim(_verdict("assumed"), {})
    assert assumed.tier == "rests" and assumed.label == "assumed"
    failed = read_claim(_verdict("ART", passed=False), {})
    assert failed.tier == "fails" and failed.label == "a scenario fails" and "it failed" in failed.notes[0]


def test_every_claim_where_a_situation_can_matter_has_situations_and_every_reference_resolves():
    # Only the claim about who may do the recovery steps has none: its deciding rule is the article's own.
    assert sorted(c.id for c in CLAIMS if c.id not in BOUNDARY_CLAIMS) == ["claim-admin-needed"]
    found = {b.id: b for b in boundaries(0)}
    from sim.report.contradictions import EXPERIMENTS

    for block in annotated_article():
        for s in block.sentences:
            for name in s.situations:
                identifier, _, value = name.partition(":")
                assert identifier in found and (
                    not value or any(value in dict(v.conditions).values() for v in found[identifier].variants)
                ), name
            assert not s.experiment or s.experiment in EXPERIMENTS


def test_a_claim_not_checked_against_a_real_service_is_not_checked_rather_than_failing():
    """Against a real service, a scenario that needs a step the adapter lacks is no failure: the claim is
    'not checked' with the reason, not red; a scenario that really failed beside it still makes it red."""
    from sim.claims import ADAPTER_MISSING
    from sim.report.page import claims_page

    claim = CLAIMS[0]
    reason = f"the step 'delete the authorized computer' {ADAPTER_MISSING} delete_authorized_computer"
    unchecked = ScenarioResult("a computer deleted", passed=False, failure=reason, not_checked=reason)
    passed = ScenarioResult("a sync succeeds", passed=True)
    reading = read_claim(ClaimVerdict(claim, [passed, unchecked]), {})
    assert (reading.tier, reading.label) == ("unchecked", "1 of 2 scenarios not checked")
    assert f"Not checked: a computer deleted: {reason}" in reading.notes and not any(
        n.startswith("Does not hold") for n in reading.notes
    )
    failed = ScenarioResult("a rename", passed=False, failure="the sync succeeded")
    assert read_claim(ClaimVerdict(claim, [failed, unchecked]), {}).tier == "fails"
    page = claims_page([ClaimVerdict(claim, [passed, unchecked])], seed=0)
    assert (
        'class="pill tier-unchecked" data-tier="unchecked">1 not checked' in page
        and 'class="swatch tier-unchecked"' in page
    )
    assert 'data-tier="unchecked"' not in claims_page([ClaimVerdict(claim, [passed])], seed=0)
