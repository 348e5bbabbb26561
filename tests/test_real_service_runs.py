"""Scenarios against real services over HTTP: `wcsim run FILE --service URL --user U --password P`.

A day of an office's failures (a pop-up left by an update, a connection the service's side drops, the
server shut down for an hour) runs against `wcsim serve` and against a service built with the real
third-party qbwc-kit, each a subprocess on 127.0.0.1 stopped by PID. Every session of the timeline,
the linking one, manual and scheduled, goes to the service; the report lists each with how it ended.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from tests.servers import free_port, qbwc_kit_service, wcsim_serve
from tests.service_office import office

DAY = (
    office("a day of office failures", "1d", auto_run_minutes=30, seed=3)
    + """
[[timeline]]
at = "09:00"
action = "leave_popup"
company_file = "Acme Properties"
text = "A new QuickBooks update is available"

[[timeline]]
at = "11:10"
action = "open"
host = "FILESRV"
company_file = "Acme Properties"
user = "Admin"

[[timeline]]
at = "11:11"
action = "dismiss_popups"
host = "FILESRV"

[[timeline]]
at = "11:12"
action = "close_quickbooks"
host = "FILESRV"

[[timeline]]
at = "13:00"
action = "service_drops_connection"
callback = "sendRequestXML"

[[timeline]]
at = "13:40"
action = "service_drops_connection"
callback = "none"

[[timeline]]
at = "15:05"
action = "shut_down"
host = "FILESRV"

[[timeline]]
at = "15:50"
action = "boot"
host = "FILESRV"
user = "Administrator"

[[expect]]
kind = "service_check"
check = "all"
"""
)


def run_day(
    url: str, user: str, password: str, tmp_path: Path, capsys, expect: str = ""
) -> tuple[int, list[dict], dict, list[dict]]:
    """(exit code, update.finished events, the service report, verdicts) of the day against `url`."""
    path = tmp_path / "day.toml"
    path.write_text(DAY + expect, encoding="utf-8")
    capsys.readouterr()
    code = main(["run", str(path), "--service", url, "--user", user, "--password", password, "--json"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finished = [r for r in records if r.get("kind") == "update.finished"]
    service = next(r["service"] for r in records if "service" in r)
    verdicts = next(r["verdicts"] for r in records if "verdicts" in r)
    return code, finished, service, verdicts


def _hour(event: dict) -> str:
    return event["time"][11:16]


def test_a_day_of_failures_against_wcsim_serve(tmp_path, capsys):
    port = free_port()
    popup = (
        '\n[[expect]]\nkind = "sync"\ncompany_file = "Acme Properties"\noutcome = '
        '"failed"\ncode = "0x80040414"\nbetween = ["09:01", "11:09"]\nwhich = "all"\n'
    )
    with wcsim_serve(port, user="fwc", password="pw"):
        code, finished, service, verdicts = run_day(
            f"http://127.0.0.1:{port}/qbwc", "fwc", "pw", tmp_path, capsys, popup
        )
    assert code == 0, verdicts
    sessions = service["sessions"]
    # Every session of the day went to the service, and ended as the trace says.
    assert [(s["trigger"], s["outcome"]) for s in sessions] == [
        (e["details"]["trigger"], e["details"]["outcome"]) for e in finished
    ]
    assert len(sessions) > 40 and all(
        s["url"] == f"http://127.0.0.1:{port}/qbwc" and s["wall_ms"] > 0 for s in sessions
    )
    dropped = [e for e in finished if "13:00" <= _hour(e) < "13:40"]
    assert dropped and {e["details"]["code"] for e in dropped} == {"QBWC1041"}
    assert not [e for e in finished if "15:06" <= _hour(e) < "15:50"]  # the server was off
    assert [e["details"]["outcome"] for e in finished if _hour(e) >= "16:00"] == ["succeeded"] * len(
        [e for e in finished if _hour(e) >= "16:00"]
    )
    checks = {c["check"]: c for c in service["checks"]}
    assert (
        checks["close-connection-reached"]["status"] == "holds"
        and checks["close-connection-reached"]["note"] == "2 sessions the office interrupted are not counted"
    )
    assert not [c for c in service["checks"] if c["status"] == "violated"]


def test_a_day_against_a_qbwc_kit_service(tmp_path, capsys):
    """The kit's service answers authenticate with "" (the file open in QuickBooks) and never names
    the company file: unattended runs, with QuickBooks closed, fail 0x80040416 (PG ch.10; FIELD
    jsgoupil/quickbooks-sync#15); the linking session, with the file open, pulls every customer."""
    port = free_port()
    seen = tmp_path / "seen.json"
    with qbwc_kit_service(port, seen):
        code, finished, service, verdicts = run_day(f"http://127.0.0.1:{port}/qbwc", "qbwc", "s3cret", tmp_path, capsys)
    sessions = service["sessions"]
    assert [(s["trigger"], s["outcome"], s["code"]) for s in sessions] == [
        (e["details"]["trigger"], e["details"]["outcome"], e["details"]["code"].replace("-", "")) for e in finished
    ]
    assert sessions[0]["outcome"] == "succeeded" and len(json.loads(seen.read_text())) > 0
    scheduled = [s for s in sessions if s["trigger"] == "scheduled"]
    assert scheduled and {s["code"] for s in scheduled if s["outcome"] == "failed"} <= {"0x80040416", "QBWC1041"}
    assert code == 0 and not [c for c in service["checks"] if c["status"] == "violated"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--user", "u"], "--user without --service"),
        (["--service", "ftp://x/qbwc", "--user", "u", "--password", "p"], "is not an http(s) URL"),
        (["--service", "http://127.0.0.1:9/qbwc", "--user", "u"], "--service needs --user and --password"),
        (
            ["--service", "http://127.0.0.1:9/qbwc", "--user", "u", "--password", "p", "--check-determinism"],
            "cannot be used with --service",
        ),
        (["--service", "http://127.0.0.1:9/qbwc", "--adapter", "nope"], "name it as module:Class"),
        (
            ["--service", "http://127.0.0.1:9/qbwc", "--adapter", "no_such_module_here:A"],
            "cannot import 'no_such_module_here'",
        ),
        (
            ["--service", "http://127.0.0.1:9/qbwc", "--adapter", "sim.errors:SimError"],
            "has no subclass of sim.stratafolio.adapter.ServiceAdapter named 'SimError'",
        ),
    ],
)
def test_bad_service_options_are_one_line_and_exit_2(arguments, message, capsys):
    code = main(["run", "rename-company-file", *arguments])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1 and err.startswith("wcsim: error: ")


def test_an_unreachable_service_fails_every_session_in_authenticate(tmp_path, capsys):
    code, finished, service, _ = run_day(f"http://127.0.0.1:{free_port()}/qbwc", "u", "p", tmp_path, capsys)
    assert finished and {e["details"]["code"] for e in finished} == {"QBWC1012"}
    assert {s["last_call"] for s in service["sessions"]} == {"serverVersion"}


def _two_files(service: str) -> str:
    """Two company files on the server; only the first one's integration names a real service."""
    from sim.scenario import toml_table

    return (
        office("one integration in a real service", "6h", auto_run_minutes=60).replace(
            "auto_run_minutes = 60\n", "auto_run_minutes = 60\n" + service
        )
        + toml_table("company_files", {"name": "Birch Lane", "host": "FILESRV", "path": r"D:\QBData\Birch Lane.QBW"})
        + toml_table("integrations", {"company_file": "Birch Lane", "linked_from": "FILESRV", "auto_run_minutes": 60})
    )


def test_a_scenario_file_puts_one_integration_in_a_real_service_and_keeps_the_other_simulated(
    tmp_path, capsys, monkeypatch
):
    port = free_port()
    monkeypatch.setenv("WCSIM_TEST_SERVICE_PASSWORD", "pw")
    path = tmp_path / "two.toml"
    path.write_text(
        _two_files(
            f'service = {{ url = "http://127.0.0.1:{port}/qbwc", user = "fwc", password_env = '
            f'"WCSIM_TEST_SERVICE_PASSWORD" }}\n'
        ),
        encoding="utf-8",
    )
    with wcsim_serve(port, user="fwc", password="pw"):
        code = main(["run", str(path), "--json"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finished = [r["details"] for r in records if r.get("kind") == "update.finished"]
    sessions = next(r["service"] for r in records if "service" in r)["sessions"]
    assert code == 0
    assert {s["app"] for s in sessions} == {"STRATAFOLIO - Acme Properties"}
    assert len(sessions) == len([f for f in finished if f["app"] == "STRATAFOLIO - Acme Properties"]) > 3
    assert [f["outcome"] for f in finished if f["app"] == "STRATAFOLIO - Birch Lane"].count("succeeded") > 3


@pytest.mark.parametrize(
    ("service", "message"),
    [
        (
            'service = { url = "http://127.0.0.1:9/qbwc", user = "u", password_env = "WCSIM_NO_SUCH_VARIABLE" }\n',
            "integrations[0].service.password_env: the environment variable 'WCSIM_NO_SUCH_VARIABLE' is not set",
        ),
        (
            'service = { url = "http://127.0.0.1:9/qbwc", user = "u", password_env = "AWS_SECRET_ACCESS_KEY" }\n',
            "integrations[0].service.password_env: 'AWS_SECRET_ACCESS_KEY' does not look right",
        ),
        (
            'service = { url = "ftp://example.com/qbwc" }\n',
            "integrations[0].service.url: 'ftp://example.com/qbwc' does not look right",
        ),
        (
            'service = { url = "http://127.0.0.1:9/qbwc", adapter = "no_such_module_here:A" }\n',
            "integrations[0].service: --adapter 'no_such_module_here:A': cannot import",
        ),
    ],
)
def test_a_bad_service_in_a_scenario_file_is_one_located_line(service, message, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(_two_files(service), encoding="utf-8")
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_service_options_of_every_command_are_checked_by_one_rule():
    from sim.wire_commands import service_options_problem

    assert service_options_problem(None, None, None, None) == ""
    assert service_options_problem("http://127.0.0.1:9/qbwc", "u", "p", None) == ""
    assert service_options_problem("http://127.0.0.1:9/qbwc", None, None, "mod:Class") == ""
    assert (
        service_options_problem(None, "u", None, "m:C", prefix="--wcsim-")
        == "--wcsim-user, --wcsim-adapter without --wcsim-service: name the service's URL too"
    )
    assert service_options_problem("ftp://user:secret@x/qbwc", "u", "p", None).endswith(
        "is not an http(s) URL"
    ) and "secret" not in service_options_problem("ftp://user:secret@x/qbwc", "u", "p", None)
    lacking = service_options_problem("http://127.0.0.1:9/qbwc", "u", None, None, prefix="--wcsim-", hook=False)
    assert lacking.startswith("--wcsim-service needs --wcsim-user and --wcsim-password") and lacking.endswith(
        "or a pytest_wcsim_adapter hook"
    )
    assert service_options_problem("http://127.0.0.1:9/qbwc", None, None, None, prefix="--wcsim-", hook=True) == ""
