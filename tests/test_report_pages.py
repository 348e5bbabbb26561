"""The reports as files: the annotated article for the claims, a page per scenario run; each one
self-contained (no network), carrying the evidence a writer needs."""

import re

import pytest

from sim.claims import CLAIMS, check_claims, render
from sim.cli import main


@pytest.fixture(scope="module")
def report():
    return render(check_claims(), "html", seed=0, seeds={"claim-rename-file": (3, 4)})


def test_the_claims_report_is_the_annotated_article_with_every_claims_evidence(report):
    assert "12 of 12 claims hold" in report
    assert "Web Connector remembers your file by its exact name." in report  # the article's own text
    for claim in CLAIMS:
        assert f'<details class="claim" id="{claim.id}">' in report and f'href="#{claim.id}"' in report
    assert 'class="gherkin"' in report and "<svg" in report and "What happened:" in report
    assert "Over 4 seeds it held 3 times (75%)." in report
    assert "the claim is checked as at least 85%" in report  # thresholds say so, with the fraction measured
    assert 'badge basis circular' in report  # the claim resting on the article itself is flagged


def test_the_report_is_self_contained(report):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", report)
    assert "<link" not in report and "@import" not in report


def test_run_writes_a_page_with_verdicts_and_timeline(tmp_path, capsys):
    out = tmp_path / "run.html"
    assert main(["run", "rename-company-file", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "4 of 4 expectations hold" in page and "<svg" in page and "QWCLog.txt on FILESRV" in page
    assert main(["run", "rename-company-file", "--html", str(tmp_path / "no" / "such" / "x.html")]) == 2


def test_claims_over_a_range_of_seeds_and_bad_ranges(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["claims", "--seeds", "5-4"])
    assert refused.value.code == 2 and "is not a range of seeds" in capsys.readouterr().err
    assert main(["claims", "--seeds", "7", "--format", "json"]) == 0
    import json

    claims = json.loads(capsys.readouterr().out)["claims"]
    assert all(c["over_seeds"] == {"held": 1, "runs": 1} for c in claims)
