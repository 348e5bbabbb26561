"""The annotated article: every sentence of the article carries exactly one annotation, every
claim is tied to the sentences it checks, and the sentences once left uncovered now say how they stand."""

import pytest

from sim.claims import CLAIMS
from sim.report.article import ANNOTATIONS, _annotation, annotated_article, article_text, sentences_of


def sentences():
    return [s for block in annotated_article() for s in block.sentences]


def test_the_bundled_article_is_the_published_one():
    from pathlib import Path

    published = Path(__file__).resolve().parent / "data" / "web-connector-dos-and-donts.txt"
    assert article_text() == published.read_text(encoding="utf-8")


def test_every_annotation_marks_exactly_one_sentence_and_every_claim_has_sentences():
    texts = [s.text for s in sentences()]
    assert [a.begins for a in ANNOTATIONS if sum(t.startswith(a.begins) for t in texts) != 1] == []
    ids = {claim.id for claim in CLAIMS}
    assert {c for s in sentences() for c in s.claims} == ids
    assert all(a.note for a in ANNOTATIONS if a.kind in ("partly", "instruction", "context"))
    assert all(
        a.situations or a.claims == ("claim-admin-needed",) or a.begins.startswith("This prevents")
        for a in ANNOTATIONS
        if a.claims
    )


def test_a_sentence_without_an_annotation_is_an_error_naming_it():
    with pytest.raises(LookupError, match="'Web Connector now sings.'"):
        _annotation("Web Connector now sings.")


@pytest.mark.parametrize(
    "begins, claim, situations",
    [
        ("Web Connector runs on the computer or server", "claim-normal-link", ("first-sync:open",)),
        ("This prevents conflicts with other users", "claim-single-user-sync", ()),
        (
            "This creates the same problem as renaming",
            "claim-rename-folder",
            ("rename-folder", "removal:a folder renamed"),
        ),
        ("The only ways to remove it", "claim-rename-blocks-removal", ("removal",)),
        (
            "Delete the authorized computer from STRATAFOLIO",
            "claim-recovery-order",
            ("recovery-order:the authorized computer not deleted",),
        ),
    ],
)
def test_sentences_once_uncovered_are_checked_by_their_claims_and_situations(begins, claim, situations):
    sentence = next(s for s in sentences() if s.text.startswith(begins))
    assert claim in sentence.claims and sentence.situations == situations


def test_written_notes_of_claim_sentences_are_only_about_what_cannot_be_checked():
    """A claim sentence's written note is its scope; every result is computed by the report (sim.report.tiers)."""
    written = [s for s in sentences() if s.claims and s.note]
    assert written and all(s.kind == "partly" for s in written)


def test_sentences_split_at_full_stops_before_a_capital():
    assert sentences_of("Do this. Then that! Maybe? yes.") == ["Do this.", "Then that!", "Maybe? yes."]
