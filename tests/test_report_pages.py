"""The reports as files: the annotated article for the claims, a page per scenario run; each one
self-contained (no network), carrying the evidence a writer needs."""

import re

import pytest

from sim.claims import CLAIMS
from sim.cli import main
from sim.report.claims_report import render
from tests.claims_once import bundled_claims


@pytest.fixture(scope="module")
def report():
    return render(bundled_claims(), "html", seed=0, seeds={"claim-rename-file": (3, 4)})


def test_the_claims_report_is_the_annotated_article_with_every_claims_evidence(report):
    assert "Web Connector remembers your file by its exact name." in report  # the article's own text
    for claim in CLAIMS:
        assert (
            '<details class="claim tier-' in report and f'id="{claim.id}"' in report and f'href="#{claim.id}"' in report
        )
    assert (
        'class="gherkin"' in report and "<svg" in report and "What happened in this scenario, in time order:" in report
    )
    assert "Over 4 seeds it held 3 times (75%)." in report
    assert "the claim is checked as at least 85%" in report  # thresholds say so, with the fraction measured


def test_the_headline_counts_each_tier_and_the_legend_comes_before_the_article(report):
    import re

    headline = report[report.index('id="summary"') : report.index('id="claims-summary"')]
    pills = re.findall(r'<span class="pill tier-(\w+)" data-tier="\w+">(\d+) ', headline)
    assert [tier for tier, _ in pills] == ["holds", "some", "rests", "fails"]
    sentences = re.findall(r'<div class="sentence tier-(\w+)[^"]*" id="s-', report)
    assert {tier: int(n) for tier, n in pills} == {
        tier: sentences.count(tier) for tier in ("holds", "some", "rests", "fails")
    }
    assert all(int(n) > 0 for _, n in pills)
    assert report.index('id="legend"') < report.index('id="at-a-glance"') < report.index('id="article"')


def test_every_claim_sentence_prints_its_note_under_it_and_hides_nothing_in_a_tooltip(report):
    import re

    article = report[report.index('id="article"') : report.index("The claims and their evidence")]
    blocks = re.findall(r'<div class="sentence tier-(?!none)[^>]*>(.*?)</div>', article, re.S)
    assert len(blocks) == 37
    assert all('<ul class="notes">' in block or "its scenarios pass" in block for block in blocks)
    assert " title=" not in article
    contradicted = next(b for b in blocks if "Web Connector remembers your file" in b)
    assert (
        "contradicted by the model" in contradicted
        and "the path is remembered by STRATAFOLIO, the web service, not by Web Connector" in contradicted
    )
    assert (
        '<pre class="finding">' in contradicted
        and "authRet[1]=&#34;D:\\QBData\\Company Files\\Acme Properties 2026.QBW&#34;" in contradicted
    )
    scheduler = next(b for b in blocks if "If the computer is on but someone is working" in b)
    assert (
        "holds only in some situations · 2 of 8 situations" in scheduler
        and "Holds in 2 of 8 situations tried" in scheduler
    )


def test_the_report_is_self_contained(report):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", report)
    assert "<link" not in report and "@import" not in report


def test_run_writes_a_page_with_verdicts_and_timeline(tmp_path, capsys):
    out = tmp_path / "run.html"
    assert main(["run", "rename-company-file", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "4 of 4 expectations hold" in page and "<svg" in page and "QWCLog.txt on FILESRV" in page
    assert 'id="timeline-legend"' in page and '<ol class="markers">' in page
    assert main(["run", "rename-company-file", "--html", str(tmp_path / "no" / "such" / "x.html")]) == 2


def test_claims_over_a_range_of_seeds_and_bad_ranges(capsys, claims_run_once):
    with pytest.raises(SystemExit) as refused:
        main(["claims", "--seeds", "5-4"])
    assert refused.value.code == 2 and "is not a range of seeds" in capsys.readouterr().err
    assert main(["claims", "--seeds", "7", "--format", "json"]) == 0
    import json

    claims = json.loads(capsys.readouterr().out)["claims"]
    assert all(c["over_seeds"] == {"held": 1, "runs": 1} for c in claims)
