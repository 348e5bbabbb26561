"""The claims report: verdicts come from running the scenarios, in three formats, with exit codes."""

import json
import textwrap

from sim.claims import CLAIMS, check_claims, features_dir
from sim.cli import main
from sim.report.claims_report import render
from tests.claims_once import bundled_claims


def test_bundled_features_check_every_claim_and_all_hold():
    verdicts = bundled_claims(seed=0)
    assert [v.claim.id for v in verdicts] == [c.id for c in CLAIMS]
    missing = [v.claim.id for v in verdicts if not v.scenarios]
    assert missing == []
    failing = [(v.claim.id, [s.failure for s in v.scenarios if not s.passed]) for v in verdicts if not v.holds]
    assert failing == []
    rename = next(v for v in verdicts if v.claim.id == "claim-rename-file")
    evidence = "\n".join(line for s in rename.scenarios for line in s.evidence["trace"] + s.evidence["log"])
    assert "0x80040408" in evidence
    assert "SDK" in rename.provenance and "sdk.begin_session_failed" in rename.provenance["SDK"]


def test_a_claim_whose_scenario_fails_does_not_hold(tmp_path):
    # The same steps with an expectation the simulation contradicts: the verdict must follow the run.
    (tmp_path / "wrong.feature").write_text(
        textwrap.dedent(
            """\
            Feature: A wrong belief
              @claim-rename-file
              Scenario: Renaming is harmless
                Given "Acme Properties" is linked to STRATAFOLIO and has synced once
                When the company file "Acme Properties" is renamed to "New.QBW"
                And "Acme Properties" is synced in Web Connector
                Then the sync of "Acme Properties" succeeds
            """
        )
    )
    verdicts = {v.claim.id: v for v in check_claims(features=tmp_path)}
    assert not verdicts["claim-rename-file"].holds
    assert "0x80040408" in verdicts["claim-rename-file"].scenarios[0].failure
    assert not verdicts["claim-normal-link"].holds and not verdicts["claim-normal-link"].scenarios
    assert "does not hold (no scenario checks it)" in render(list(verdicts.values()), "md")


def test_formats(tmp_path):
    verdicts = bundled_claims(seed=0)
    data = json.loads(render(verdicts, "json"))
    assert data["all_hold"] is True and len(data["claims"]) == len(CLAIMS)
    assert data["claims"][0]["scenarios"][0]["trace"]
    assert render(verdicts, "html").startswith("<!DOCTYPE html>")
    markdown = render(verdicts, "md")
    assert "| claim-move-file | Don'ts | holds (all 6 situations) |" in markdown
    assert (
        "- **does not hold** (contradicted by the model): Web Connector remembers your file by its exact name."
        in markdown
    )
    assert data["claims"][6]["tier"] == "some" and data["claims"][6]["situations"][0]["id"] == "off-or-asleep"
    assert sum(data["sentence_tiers"].values()) == len(data["sentences"]) == 37


def test_cli_exit_codes(tmp_path, capsys, claims_run_once):
    out = tmp_path / "report.json"
    assert main(["claims", "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["all_hold"] is True
    assert main(["claims", "--output", str(tmp_path / "no" / "such" / "dir.md")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_features_are_found_in_the_checkout():
    assert (features_dir() / "donts.feature").is_file()


def test_without_the_situations_the_report_says_they_were_not_tried(capsys, claims_run_once):
    assert main(["claims", "--no-boundaries", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(claim["situations"] == [] for claim in data["claims"])
    assert main(["claims", "--no-boundaries"]) == 0
    assert "Situations not tried (--no-boundaries)" in capsys.readouterr().out
