"""The step library works as an installed pytest plugin: failures that say where and why first, Cucumber JSON
as Cucumber tools read it (undefined then skipped, step definitions' locations, file order), and under xdist."""

import json
import subprocess
import sys
import textwrap

import pytest

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
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


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
    assert "--- last trace lines" in done.stdout
    # With the default --tb the step's own message is the whole failure: no pytest-bdd frames before it.
    failure = done.stdout.split("_ test_a_wrong_expectation_fails_with_a_message_that_shows_the_trace _")[1]
    assert failure.lstrip("_ \n").startswith(
        'features/ours.feature:12: Then the sync of "Acme Properties" fails with "0x80040408"\nexpected'
    ), failure[:800]
    assert "pytest_bdd" not in failure and "def scenario_wrapper" not in failure
    report = json.loads((project / "cucumber.json").read_text())
    scenarios = report[0]["elements"]
    assert {s["name"] for s in scenarios} == {
        "A rename breaks our nightly sync",
        "A wrong expectation fails with a message that shows the trace",
    }
    assert any(tag["name"] == "claim-rename-file" for tag in scenarios[0]["tags"])


def test_tags_become_markers(tmp_path):
    project = make_project(tmp_path)
    done = run_pytest(project, "-q", "-m", "claim-rename-file")
    assert "1 passed, 1 deselected" in done.stdout, done.stdout + done.stderr


@pytest.fixture(scope="module")
def under_xdist(tmp_path_factory):
    """One run under xdist (`-n 2`) of a project with both features (ours.feature, then harness.feature),
    with Cucumber JSON: (what pytest printed, the JSON's features by name). One run, since starting
    pytest and its two workers is most of what it costs."""
    folder = make_project(tmp_path_factory.mktemp("xdist"))
    (folder / "features" / "harness.feature").write_text(NEW_STEPS_FEATURE)
    done = run_pytest(
        folder, "-q", "-n", "2", "--cucumberjson", "cucumber.json", "-W", "error::pytest.PytestUnknownMarkWarning"
    )
    report = json.loads((folder / "cucumber.json").read_text()) if (folder / "cucumber.json").is_file() else []
    return done, {feature["name"]: feature for feature in report}


def test_runs_under_xdist(under_xdist):
    done, features = under_xdist
    # ours.feature's two scenarios (the 4 passed and 3 failed of the run are its 1 and 1, and harness.feature's 3 and
    # 2).
    assert "3 failed, 4 passed" in done.stdout, done.stdout + done.stderr
    ours = features["My team's own check"]["elements"]
    outcomes = {scenario["name"]: {step["result"]["status"] for step in scenario["steps"]} for scenario in ours}
    assert outcomes == {
        "A rename breaks our nightly sync": {"passed"},
        "A wrong expectation fails with a message that shows the trace": {"passed", "failed"},
    }


NEW_STEPS_FEATURE = textwrap.dedent(
    """\
    Feature: The harness a QA engineer reaches for
      Scenario: A sleeping server, then a wake-up
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        And STRATAFOLIO has 2 new invoices for "Acme Properties"
        When the server goes to sleep
        And "Acme Properties" is synced in Web Connector
        Then the sync cannot start because the server is asleep
        And 2 invoices of "Acme Properties" have not reached QuickBooks
        When the server wakes up
        And "Acme Properties" is synced in Web Connector
        Then the sync of "Acme Properties" succeeds

      Scenario: A restart, a log-in, a workstation's Auto-Run
        Given "Acme Properties" is linked to STRATAFOLIO from WS01 through drive Q:
        And Auto-Run on WS01 syncs every integration every 15 minutes
        When WS01 restarts for a Windows Update
        And "user1" logs in to Windows on WS01
        And the simulation runs until "10:00"
        Then at least 4 scheduled syncs were attempted

      Scenario: Users, copies and computers by name
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        When the company file "Acme Properties" is copied to "D:\\\\Backup"
        And the QuickBooks Admin removes the user "li" from "Acme Properties"
        And an Administrator authorizes the computer "FILESRV" in STRATAFOLIO for "Acme Properties"
        And the Windows user logs out of the server
        And "Acme Properties" is synced in Web Connector
        Then the sync cannot start because the server is logged out

      Scenario: A step nobody wrote
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        When the server hibernates for the weekend
        Then the sync of "Acme Properties" succeeds

      Scenario: A step that cannot do what it says
        Given "Acme Properties" is linked to STRATAFOLIO and has synced once
        When the server wakes up
    """
)


def test_new_steps_missing_steps_and_cucumber_json_under_xdist(under_xdist):
    done, features = under_xdist
    out = done.stdout + done.stderr
    assert "3 failed, 4 passed" in done.stdout, out  # harness.feature's 2 and 3, and ours.feature's 1 and 1
    # The missing step: where it is, and the closest steps of the library, ready to paste.
    line = NEW_STEPS_FEATURE.splitlines().index("    When the server hibernates for the weekend") + 1
    assert f"features/harness.feature:{line}: When the server hibernates for the weekend" in out
    assert "no step of the library matches this line. Closest steps:" in out
    assert "When the server goes to sleep" in out.split("Closest steps:")[1][:400]
    # A step that cannot do what it says fails, naming its line.
    line = len(NEW_STEPS_FEATURE.splitlines())
    assert f"features/harness.feature:{line}: When the server wakes up" in out and "FILESRV is on" in out
    # The controller's Cucumber JSON holds every scenario of both workers.
    elements = {e["name"]: e for e in features["The harness a QA engineer reaches for"]["elements"]}
    assert len(elements) == 5 and len(features) == 2
    # As Cucumber tools expect: the missing step undefined, the steps after it skipped (not failed).
    missing = elements["A step nobody wrote"]["steps"]
    assert [(s["name"], s["result"]["status"]) for s in missing] == [
        ('"Acme Properties" is linked to STRATAFOLIO and has synced once', "passed"),
        ("the server hibernates for the weekend", "undefined"),
        ('the sync of "Acme Properties" succeeds', "skipped"),
    ]
    # Every step that has a definition names it, file and line, whether it ran or was skipped.
    locations = [s["match"]["location"] for s in missing]
    assert (
        locations[0].startswith("sim/bdd/steps_given.py:")
        and locations[1] == ""
        and locations[2].startswith("sim/bdd/steps_then.py:")
    )
    assert all(s["match"]["location"] for s in elements["A sleeping server, then a wake-up"]["steps"])
    assert all(s["result"]["status"] == "passed" for s in elements["A sleeping server, then a wake-up"]["steps"])
    # In the file's order, whichever worker finished first.
    assert list(elements) == [
        line.strip().removeprefix("Scenario: ")
        for line in NEW_STEPS_FEATURE.splitlines()
        if line.strip().startswith("Scenario:")
    ]
