"""`wcsim diagnose`: the cause found by simulation, the advice, the reproduction; honest when nothing matches."""

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.diagnose.diagnosis import diagnose
from sim.diagnose.log_reader import parse_log_text
from sim.diagnose.sessions import split_sessions
from sim.scenario import load_scenario, parse_scenario
from sim.scenario_run import ScenarioRun

ROOT = Path(__file__).resolve().parents[1]
LOGS = Path(__file__).resolve().parent / "logs"

#: Each bundled reproduction that ends in a failure, and the candidate cause that is its own.
OWN_CAUSE = {
    "access-prompt-each-time": "prompt-each-time",
    "authorized-computer-deleted": "computer-deleted",
    "full-sync-while-colleague-works": "other-file-open",
    "mapped-drive-letter-changed": "drive-letter-changed",
    "move-to-new-server": "moved-file",
    "move-within-pc": "moved-file",
    "quickbooks-upgrade-popup": "popup-left-open",
    "rename-company-file": "renamed-file",
    "rename-folder": "renamed-folder",
    "same-qwc-added-twice": "qwc-added-again",
    "scheduler-pc-sleeps-at-night": "computer-asleep",
    "single-user-left-open-overnight": "single-user-elsewhere",
    # QuickBooks compares the paths as text: the file open under its UNC path is "another file".
    "unc-versus-mapped-letter": "other-file-open",
    "web-connector-closed": "qbwc-closed",
    "windows-update-restart": "restart-no-logon",
    "web-connector-not-started-at-logon": "not-started-at-logon",
    "admin-password-changed": "qb-password-changed",
    "login-as-user-deleted": "login-as-deleted",
    "login-as-user-restricted": "login-as-restricted",
    "login-as-user-logged-in-elsewhere": "login-as-busy",
    "password-not-saved": "password-lost",
    "web-connector-key-lost": "qbwc-key-lost",
    "service-certificate-expired": "service-certificate",
    "connection-closed-during-authenticate": "connection-closed-authenticate",
    "quickbooks-year-upgrade": "quickbooks-upgraded",
    "web-connector-upgraded-needs-approval": "qbwc-certificate-changed",
    "web-connector-certificate-expired": "qbwc-certificate-expired",
    "qwclog-not-writable": "log-not-writable",
    "quickbooks-run-as-administrator": "elevation-mismatch",
    # The log cannot tell a Remote Desktop session from another computer: both are "logged in elsewhere".
    "remote-desktop-session-busy": "login-as-busy",
    # Until the old QuickBooks runs, the log shows the upgrade's failures; after it, only successes.
    "older-quickbooks-started-after-upgrade": "quickbooks-upgraded",
    "access-approved-for-the-open-company-file": "approved-for-open-file",
    # Found by the explorer: the login of a computer the second recovery deleted (nvu).
    "recovery-run-twice-at-once": "computer-deleted",
    # Issue 22: the failures integration vendors document.
    "automatic-login-lost-after-quickbooks-update": "automatic-login-lost",
    "quickbooks-open-with-no-company-file": "no-company-file-open",
    "invoice-dated-before-closing-date": "push-refused",
    # The log says only that QuickBooks refused a record; the closing date stands for every such cause.
    "invoice-changed-in-both-places": "push-refused",
    "quickbooks-left-running-after-interrupted-sync": "quickbooks-left-running",
    "security-software-closes-connections": "security-software",
}
#: Reproductions whose log alone shows no failure: the computer slept after its last run
#: (pc-sleeps-when-idle), or Auto-Run belonged to a user who was not logged in, so the log
#: holds nothing before the first run (web-connector-under-another-user); or the failure is a person's,
#: locked out by a hidden QuickBooks, while every sync succeeds (web-connector-run-as-administrator).
# A person who cannot use QuickBooks while a sync holds it (bookkeeper-cannot-use-quickbooks-during-a-sync)
# leaves nothing in the log either: every sync succeeds. Nor does QBWC1085 (qwclog-corrupt-after-power-cut):
# the Web Connector writes nothing while the log is unusable, and the fix deletes the old log.
NOTHING_IN_THE_LOG = {
    "pc-sleeps-when-idle", "web-connector-under-another-user", "web-connector-run-as-administrator",
    "bookkeeper-cannot-use-quickbooks-during-a-sync", "qwclog-corrupt-after-power-cut",
}
#: Reproductions whose failure is adding the application with QuickBooks' own message (QBWC1022 and an
#: HRESULT): the diagnosis names the cause, but the reproduction it writes expects a sync failing with that
#: HRESULT (scenario_text's rule for codes seen outside adding), which an add failure never produces.
ADDING_REFUSED = {"first-access-approved-in-multi-user-mode": "approval-needs-single-user"}


def simulated_log(path: Path) -> str:
    run = ScenarioRun(load_scenario(path))
    run.run()
    return "".join(host.qwc_log.text() for host in run.world.hosts.values())


def test_every_bundled_reproduction_is_accounted_for():
    names = {path.stem for path in (ROOT / "scenarios").glob("*.toml")}
    assert names == set(OWN_CAUSE) | NOTHING_IN_THE_LOG | set(ADDING_REFUSED)


@pytest.mark.parametrize("name", sorted(ADDING_REFUSED))
def test_an_application_quickbooks_refused_to_add_is_traced_to_its_cause(name):
    diagnosis = diagnose(parse_log_text(simulated_log(ROOT / "scenarios" / f"{name}.toml")), workers=1)
    assert diagnosis.explained and diagnosis.context.trigger == "add"
    assert [cause.candidate.id for cause in diagnosis.top] == [ADDING_REFUSED[name]]
    run = ScenarioRun(parse_scenario(diagnosis.top[0].scenario, f"{name}-repro.toml"))
    run.run()
    sessions = split_sessions(parse_log_text("".join(h.qwc_log.text() for h in run.world.hosts.values())))
    assert diagnosis.target in {s.signature for s in sessions if s.failed}


@pytest.mark.parametrize("name", sorted(OWN_CAUSE))
def test_round_trip_the_top_cause_is_the_scenarios_own_and_its_reproduction_fails_alike(name):
    diagnosis = diagnose(parse_log_text(simulated_log(ROOT / "scenarios" / f"{name}.toml")), workers=1)
    assert diagnosis.explained
    assert OWN_CAUSE[name] in [cause.candidate.id for cause in diagnosis.top]
    own = next(cause for cause in diagnosis.top if cause.candidate.id == OWN_CAUSE[name])
    # The generated scenario replays: its expectations hold, and its log has the same signature.
    run = ScenarioRun(parse_scenario(own.scenario, f"{name}-repro.toml"))
    run.run()
    assert all(verdict.holds for verdict in run.verdicts())
    sessions = split_sessions(parse_log_text("".join(h.qwc_log.text() for h in run.world.hosts.values())))
    if diagnosis.target is not None:
        assert diagnosis.target in {s.signature for s in sessions if s.failed}


@pytest.mark.parametrize("name", sorted(NOTHING_IN_THE_LOG))
def test_a_log_that_shows_no_failure_is_said_to_show_none(name):
    diagnosis = diagnose(parse_log_text(simulated_log(ROOT / "scenarios" / f"{name}.toml")), workers=1)
    assert diagnosis.target is None and diagnosis.ranked == []


@pytest.mark.parametrize(
    "log, top",
    [
        ("nvu.txt", "computer-deleted"),
        ("no-password.txt", "password-lost"),
        ("renamed.txt", "renamed-file"),
        ("renamed-pasted.txt", "renamed-file"),
        ("modal-dialog.txt", "popup-left-open"),
        ("runs-stopped-overnight.txt", "computer-asleep"),
        ("authentication-failed.txt", "connection-closed-authenticate"),
        ("closed-at-server-version.txt", "connection-closed-server-version"),
    ],
)
def test_hand_written_real_format_logs_find_their_cause(log, top, capsys):
    assert main(["diagnose", str(LOGS / log), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "Most likely:" in out and "What to do (" in out
    assert top in _json(log, capsys)["top"]


def _json(log, capsys):
    main(["diagnose", str(LOGS / log), "--json", "--workers", "1"])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("log", ["parse-error.txt"])
def test_a_failure_no_modelled_cause_produces_is_said_so(log, capsys):
    assert main(["diagnose", str(LOGS / log), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "No modelled cause produces this signature" in out and "Most likely" not in out


def test_no_work_is_not_a_failure(capsys):
    assert main(["diagnose", str(LOGS / "none.txt"), "--workers", "1"]) == 0
    assert "No failure in this log" in capsys.readouterr().out


def test_the_written_scenario_replays_with_wcsim_run(tmp_path, capsys):
    target = tmp_path / "repro.toml"
    assert main(["diagnose", str(LOGS / "renamed.txt"), "--scenario", str(target), "--workers", "1"]) == 0
    capsys.readouterr()
    assert target.read_text().startswith("# Reproduces: The company file was renamed")
    assert main(["run", str(target)]) == 0
    assert "HOLDS  sync: company_file=Company, outcome=failed, code=0x80040408" in capsys.readouterr().out


def test_standard_input_is_read(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((LOGS / "nvu.txt").read_bytes())))
    assert main(["diagnose", "-", "--workers", "1"]) == 0
    assert "deleted in STRATAFOLIO" in capsys.readouterr().out


def test_json_names_sessions_signature_and_ranked_causes(capsys):
    report = _json("modal-dialog.txt", capsys)
    assert report["signature"] == "failed 0x80040414 QBWC1013 after closeConnection"
    assert report["sessions"][-1]["trigger"] == "scheduled" and report["explained"] is True
    scores = [cause["score"] for cause in report["causes"]]
    assert scores == sorted(scores, reverse=True) and report["causes"][0]["evidence"]


@pytest.mark.parametrize(
    "content, words",
    [(b"", "no QWCLog.txt lines"), (bytes(range(256)) * 50, "binary data"), (b"just some text\nnothing else\n", "no QWCLog.txt lines")],
    ids=["empty", "binary", "no log lines"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, content, words):
    path = tmp_path / "QWCLog.txt"
    path.write_bytes(content)
    assert main(["diagnose", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_a_missing_file_is_exit_2(capsys):
    assert main(["diagnose", "/nonexistent/QWCLog.txt"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_several_candidates_run_in_worker_processes_with_the_same_result():
    log = parse_log_text((LOGS / "renamed.txt").read_text())
    one, two = diagnose(log, workers=1), diagnose(log, workers=2)
    assert [(c.candidate.id, c.score) for c in one.ranked] == [(c.candidate.id, c.score) for c in two.ranked]


def test_a_cause_whose_simulation_logs_an_error_ranks_below_silent_ones_for_runs_that_stopped():
    # Closing Web Connector writes QBWC1020; the customer's log shows runs stopping without a word.
    diagnosis = diagnose(parse_log_text((LOGS / "runs-stopped-overnight.txt").read_text()), workers=1)
    top = [cause.candidate.id for cause in diagnosis.top]
    assert "computer-asleep" in top and "qbwc-closed" not in top
    assert next(c.score for c in diagnosis.ranked if c.candidate.id == "qbwc-closed") < diagnosis.ranked[0].score
