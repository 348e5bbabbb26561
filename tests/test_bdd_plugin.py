"""The step library works as an installed pytest plugin, with Cucumber JSON and under xdist."""

import json
import subprocess
import sys
import textwrap

FEATURE = textwrap.dedent(
    """\
    Feature: My team's own check
      @claim-rename-file
      Scenario: A rename breaks our nightly sync
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        When the company file "Acme Properties" is renamed to "Acme (old).QBW"
        And "Acme Properties" is synced in Web Connector
        Then the sync of "Acme Properties" fails with "0x80040408"

      Scenario: A wrong expectation fails with a message that shows the trace
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        When "Acme Properties" is synced in Web Connector
        Then the sync of "Acme Properties" fails with "0x80040408"
    """
)


def run_pytest(folder, *arguments):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *arguments], cwd=folder, capture_output=True, text=True, timeout=300)


def make_project(tmp_path):
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "ours.feature").write_text(FEATURE)
    (tmp_path / "test_ours.py").write_text('from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return tmp_path


def test_a_throwaway_project_uses_the_steps_without_copying_them(tmp_path):
    project = make_project(tmp_path)
    done = run_pytest(project, "-q", "--cucumberjson", "cucumber.json")
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    # The failure says what was expected, what happened, and shows the trace.
    assert "expected the sync of 'Acme Properties' to fail with 0x80040408; it ended succeeded" in done.stdout
    assert "--- last trace lines ---" in done.stdout
    report = json.loads((project / "cucumber.json").read_text())
    scenarios = report[0]["elements"]
    assert {s["name"] for s in scenarios} == {"A rename breaks our nightly sync", "A wrong expectation fails with a message that shows the trace"}
    assert any(tag["name"] == "claim-rename-file" for tag in scenarios[0]["tags"])


def test_tags_become_markers(tmp_path):
    project = make_project(tmp_path)
    done = run_pytest(project, "-q", "-m", "claim-rename-file")
    assert "1 passed, 1 deselected" in done.stdout, done.stdout + done.stderr


def test_runs_under_xdist(tmp_path):
    project = make_project(tmp_path)
    done = run_pytest(project, "-q", "-n", "2")
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
