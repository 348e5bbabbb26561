"""Gherkin scenarios and the article's claims against a real service (`--wcsim-service`, `claims --service`).

A QA engineer's own feature runs in a fresh pytest (a subprocess) with the real service in the
simulated STRATAFOLIO's place: the Web Connector's sessions go to it over HTTP, and the steps that act
on STRATAFOLIO's side go through the adapter their conftest.py's `pytest_wcsim_adapter` hook returns.
Without an adapter those steps fail saying what to implement, and `wcsim claims --service` lists the
claims that need them as "not checked".
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from sim import claims
from sim.cli import main
from tests.servers import ROOT, careless_service, free_port, wcsim_serve

FEATURE = """
Feature: Our service under a renamed company file

  @claim-rename-file
  Scenario: A rename makes the sync fail against our service
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040408"

  @claim-recovery-restores
  Scenario: The recovery steps restore the sync with our service
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    And the QuickBooks Admin closes QuickBooks
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And every record of "Acme Properties" is present exactly once on both sides
    And STRATAFOLIO no longer accepts the old authorized computer's login for "Acme Properties"
"""

HOOK = """
from tests.careless_adapter import CarelessServiceAdapter


def pytest_wcsim_adapter(config, url):
    return CarelessServiceAdapter(url)
"""


def project(tmp_path: Path, hook: bool) -> Path:
    (tmp_path / "ours.feature").write_text(textwrap.dedent(FEATURE), encoding="utf-8")
    (tmp_path / "test_ours.py").write_text(
        'from pytest_bdd import scenarios\nscenarios("ours.feature")\n', encoding="utf-8"
    )
    if hook:
        (tmp_path / "conftest.py").write_text(textwrap.dedent(HOOK), encoding="utf-8")
    return tmp_path


def pytest_run(folder: Path, *options: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(folder),
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "--rootdir",
        str(folder),
        *options,
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(folder)},
    )


def test_a_feature_runs_against_a_real_service_through_the_adapter_its_hook_names(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/careful-bdd/qbwc"
    with careless_service(port):
        done = pytest_run(project(tmp_path, hook=True), "--wcsim-service", url)
        held = httpx.post(
            f"http://127.0.0.1:{port}/careful-bdd/admin/records", json={"integration": "Acme Properties"}, timeout=10
        ).json()
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout
    assert len(held["customers"]) > 0  # what the sessions pulled is in the real service, not in a simulated one


def test_steps_the_adapter_lacks_fail_saying_what_to_implement(tmp_path):
    port = free_port()
    with wcsim_serve(port, user="fwc", password="pw"):
        done = pytest_run(
            project(tmp_path, hook=False),
            "--wcsim-service",
            f"http://127.0.0.1:{port}/qbwc",
            "--wcsim-user",
            "fwc",
            "--wcsim-password",
            "pw",
        )
    assert done.returncode == 1 and "1 failed, 1 passed" in done.stdout
    assert 'ours.feature:15: And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO' in done.stdout
    assert (
        "deleting an authorized computer needs the service's adapter to implement "
        "delete_authorized_computer(by, integration, user_name)" in done.stdout
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--wcsim-user", "u"], "--wcsim-user without --wcsim-service"),
        (["--wcsim-service", "http://127.0.0.1:9/qbwc"], "--wcsim-service needs --wcsim-user and --wcsim-password"),
        (["--wcsim-service", "nope"], "is not an http(s) URL"),
    ],
)
def test_service_options_that_cannot_work_are_a_usage_error(options, message, tmp_path):
    done = pytest_run(project(tmp_path, hook=False), *options)
    assert done.returncode == 4 and message in done.stderr


def test_claims_against_a_real_service_mark_what_the_adapter_cannot_act_on_not_checked(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "features"
    folder.mkdir()
    (folder / "ours.feature").write_text(textwrap.dedent(FEATURE), encoding="utf-8")
    monkeypatch.setattr(claims, "features_dir", lambda: folder)
    port = free_port()
    with wcsim_serve(port, user="fwc", password="pw"):
        code = main(
            [
                "claims",
                "--service",
                f"http://127.0.0.1:{port}/qbwc",
                "--user",
                "fwc",
                "--password",
                "pw",
                "--format",
                "json",
            ]
        )
    import json

    verdicts = {c["id"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    assert verdicts["claim-rename-file"]["verdict"] == "holds"
    restores = verdicts["claim-recovery-restores"]
    assert (
        restores["verdict"] == "not checked"
        and "needs the service's adapter to implement delete_authorized_computer" in restores["not_checked"]
    )
    assert verdicts["claim-rename-folder"]["verdict"] == "does not hold"  # no scenario of ours checks it
    assert code == 1


def test_claims_service_options_that_cannot_work_exit_2(capsys):
    for arguments, message in (
        (["--user", "u"], "--user without --service"),
        (
            ["--service", "http://127.0.0.1:9/qbwc", "--seeds", "0-1", "--user", "u", "--password", "p"],
            "cannot be used with --service",
        ),
        (["--service", "http://127.0.0.1:9/qbwc"], "--service needs --user and --password"),
    ):
        assert main(["claims", *arguments]) == 2
        assert message in capsys.readouterr().err
