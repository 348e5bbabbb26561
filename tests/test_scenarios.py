"""Every reproduction in scenarios/ runs and its expectations hold; the format rejects bad files well."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import ACTION_FIELDS, EXPECT_FIELDS, ScenarioError, load_scenario, parse_scenario, schema
from sim.scenario_run import ACTIONS, ScenarioRun

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "scenarios").glob("*.toml"))

MINIMAL = """\
[scenario]
name = "minimal"
reproduces = "a test"
source = "assumed"
duration = "2h"

[[hosts]]
name = "FILESRV"
role = "server"
drives = ["C", "D"]
logged_in = "Administrator"

[[company_files]]
name = "Acme"
host = "FILESRV"
path = 'D:\\QBData\\Acme.QBW'

[[integrations]]
company_file = "Acme"
linked_from = "FILESRV"
auto_run_minutes = 30
"""


def test_there_are_at_least_twelve_reproductions():
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_reproduction_runs_and_its_expectations_hold(path):
    text = path.read_text()
    assert text.startswith("# Reproduces:"), "each scenario opens with a comment saying what it reproduces"
    scenario = load_scenario(path)
    assert scenario.data.get("expect"), "a reproduction without expectations checks nothing"
    run = ScenarioRun(scenario)
    run.run()
    failed = [(v.description, v.observed) for v in run.verdicts() if not v.holds]
    assert failed == []


def test_actions_schema_and_runner_agree():
    enum = set(schema()["properties"]["timeline"]["items"]["properties"]["action"]["enum"])
    assert enum == set(ACTION_FIELDS) == set(ACTIONS)


def test_the_schema_names_each_field_once_and_each_action_takes_its_own_values():
    # A JSON object with a key twice keeps the last one silently: a merge once left two `how` fields,
    # and service_misbehaves lost its values to damage_qwclog's.
    import json
    from importlib import resources

    def refuse_twice(pairs):
        names = [name for name, _ in pairs]
        assert len(names) == len(set(names)), sorted({name for name in names if names.count(name) > 1})
        return dict(pairs)

    json.loads(
        resources.files("sim").joinpath("scenario_schema.json").read_text(encoding="utf-8"),
        object_pairs_hook=refuse_twice,
    )
    parse_scenario(
        MINIMAL
        + '[[timeline]]\nat = "08:00"\naction = "service_misbehaves"\ncallback = "authenticate"\nhow = "throws"\n',
        "x.toml",
    )
    with pytest.raises(ScenarioError, match=r"timeline\[0\]\.how: 'throws' is not one of corrupt, too large"):
        parse_scenario(
            MINIMAL + '[[timeline]]\nat = "08:00"\naction = "damage_qwclog"\nhost = "FILESRV"\nhow = "throws"\n',
            "x.toml",
        )


def error_of(text):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "office.toml")
    return str(caught.value)


def test_unknown_field_names_line_and_suggests():
    text = MINIMAL.replace('role = "server"', 'role = "server"\nslepes = { at = "19:00", wakes = "07:00" }')
    assert error_of(text).startswith("office.toml:10: hosts[0].slepes: unknown field 'slepes' (did you mean 'sleeps'?)")


def test_bad_choice_suggests_the_closest():
    message = error_of(MINIMAL.replace('role = "server"', 'role = "servr"'))
    assert message.startswith("office.toml:9: hosts[0].role:") and "(did you mean 'server'?)" in message


def test_unknown_reference_suggests_the_closest_name():
    message = error_of(MINIMAL.replace('linked_from = "FILESRV"', 'linked_from = "FILESVR"'))
    assert message.startswith(
        "office.toml:20: integrations[0].linked_from: unknown host 'FILESVR' (did you mean 'FILESRV'?)"
    )


def test_action_missing_a_field():
    text = MINIMAL + '\n[[timeline]]\nat = "09:00"\naction = "rename_file"\ncompany_file = "Acme"\n'
    assert "timeline[0]: action 'rename_file' needs the field 'to'" in error_of(text)


def test_toml_syntax_error_has_its_line():
    assert error_of(MINIMAL + "\n[[timeline]\n").startswith("office.toml:23: not valid TOML: Expected")


def test_missing_required_section_and_bad_time():
    assert "missing field 'company_files'" in error_of(MINIMAL.split("[[company_files]]")[0])
    text = MINIMAL + '\n[[timeline]]\nat = "Mo 9"\naction = "sleep"\nhost = "FILESRV"\n'
    assert "timeline[0].at: cannot read time 'Mo 9'" in error_of(text)


def test_cli_exit_codes_and_outputs(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(
        MINIMAL + '\n[[expect]]\nkind = "sync"\ncompany_file = "Acme"\noutcome = "succeeded"\nwhich = "all"\n'
    )
    assert main(["run", str(good)]) == 0
    out = capsys.readouterr().out
    assert "# minimal (seed 0)" in out and "update.finished" in out and "HOLDS  sync" in out
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(MINIMAL + '\n[[expect]]\nkind = "sync"\ncompany_file = "Acme"\noutcome = "failed"\n')
    assert main(["run", str(wrong)]) == 1
    assert "FAILS  sync" in capsys.readouterr().out
    assert main(["run", str(good), "--json", "--log"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["kind"] == "host.created"
    log = next(r["qwclog"] for r in records if "qwclog" in r)
    assert log["host"] == "FILESRV" and "UpdateThisScheduledApp() : Performing SCHEDULED UPDATE" in log["text"]
    assert main(["run", str(tmp_path / "missing.toml")]) == 2
    assert capsys.readouterr().err.startswith("wcsim: error: ")


def test_seed_override_changes_the_world(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(MINIMAL)
    main(["run", str(good), "--json"])
    first = capsys.readouterr().out
    main(["run", str(good), "--json", "--seed", "99"])
    assert capsys.readouterr().out != first


def test_check_determinism_in_separate_processes():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(ROOT / "scenarios" / "rename-company-file.toml"),
            "--check-determinism",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("deterministic: two runs (PYTHONHASHSEED=1 and 2) gave")


def test_two_company_files_at_one_place_are_refused():
    text = MINIMAL.replace(
        "[[integrations]]",
        '[[company_files]]\nname = "Copy"\nhost = "FILESRV"\npath = \'d:\\qbdata\\acme.qbw\'\n\n[[integrations]]',
    )
    assert "another company file already lives at" in error_of(text)


def test_progress_bar_on_a_terminal(tmp_path, monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    good = tmp_path / "good.toml"
    good.write_text(MINIMAL)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["run", str(good)]) == 0
    shown = terminal.getvalue()
    assert "simulating 2h" in shown and "100%" in shown and "━" in shown


def test_no_progress_bar_into_a_pipe(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(MINIMAL)
    assert main(["run", str(good)]) == 0
    assert "simulating" not in capsys.readouterr().err


def test_the_schema_says_which_fields_each_action_and_expectation_needs():
    # Editors see it from the schema alone: if action is X, then fields Y are required.
    timeline = schema()["properties"]["timeline"]["items"]["allOf"]
    needs = {rule["if"]["properties"]["action"]["const"]: tuple(rule["then"]["required"]) for rule in timeline}
    assert needs == ACTION_FIELDS
    expect = schema()["properties"]["expect"]["items"]["allOf"]
    assert {
        rule["if"]["properties"]["kind"]["const"]: tuple(rule["then"]["required"]) for rule in expect
    } == EXPECT_FIELDS
    with pytest.raises(
        ScenarioError, match=r"x.toml:22: timeline\[0\]: action 'update_selected' needs the field 'host'"
    ):
        parse_scenario(MINIMAL + '[[timeline]]\nat = "08:00"\naction = "update_selected"\n', "x.toml")


def test_readme_lists_every_reproduction():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [path.name for path in FILES if f"| `{path.name}` |" not in readme] == []
    assert len(FILES) >= 24


def test_a_timeline_keeps_its_order_while_an_action_takes_time():
    """Adding a QWC file takes the time its dialogs and QuickBooks take; the items listed after it at the
    same moment wait until it is done (a timeline is one story, in order), so its password can be set."""
    text = (
        (ROOT / "scenarios" / "same-qwc-added-twice.toml").read_text(encoding="utf-8").split("[[timeline]]")[0]
        + """
[[timeline]]
at = "Mon 09:00"
action = "open_single_user"
by = "Admin"
company_file = "Acme Properties"

[[timeline]]
at = "Mon 09:01"
action = "remove"
company_file = "Acme Properties"

[[timeline]]
at = "Mon 09:02"
action = "authorize_computer"
company_file = "Acme Properties"

[[timeline]]
at = "Mon 09:02"
action = "download_qwc"
company_file = "Acme Properties"

[[timeline]]
at = "Mon 09:02"
action = "add_qwc"
company_file = "Acme Properties"

[[timeline]]
at = "Mon 09:02"
action = "set_password"
company_file = "Acme Properties"
"""
    )
    run = ScenarioRun(parse_scenario(text, "ordered.toml"))
    run.run()
    trace = run.world.trace
    assert not trace.select("timeline.action_failed"), [e.details for e in trace.select("timeline.action_failed")]
    added, password = trace.select("qbwc.app_added")[-1], trace.select("qbwc.password_set")[-1]
    assert added.seconds - trace.select("timeline.action", action="add_qwc")[-1].seconds > 20
    assert password.seconds >= added.seconds


def _errors(validator, data):
    return [(list(e.absolute_path), list(e.schema_path), e.validator, e.message) for e in validator.iter_errors(data)]


BAD_ITEMS = [
    {"at": "09:00", "action": "rename_file", "company_file": "Acme"},  # a field its action needs is missing
    {"at": "09:00", "action": "rename_file"},
    {"at": "09:00", "action": "renme_file", "company_file": "Acme"},  # no such action
    {"at": "09:00", "action": 7},  # not a string: every rule is asked, as jsonschema asks it
    {"at": "09:00", "action": True, "host": "FILESRV"},
    {"at": "09:00", "host": "FILESRV"},  # no action at all
    {"at": "09:00", "action": "sleep", "host": 3, "bogus": 1},
    {"at": "09:00", "action": "map_drive", "host": "FILESRV"},
    "sleep at nine",  # not a table
    ["09:00", "sleep"],
    {},
]


@pytest.mark.parametrize("item", BAD_ITEMS, ids=repr)
def test_a_scenario_is_checked_with_the_same_errors_in_the_same_order_as_jsonschema_finds(item):
    # The scenario validator skips the per-action rules of other actions (sim.scenario._all_of): what it
    # finds, where and in which order, must be exactly what jsonschema's own Draft 2020-12 finds.
    from jsonschema import Draft202012Validator

    from sim.scenario import _validator

    data = parse_scenario(MINIMAL).data | {
        "timeline": [item, {"at": "10:00", "action": "wake"}],
        "expect": [{"kind": "sync"}, {"kind": 1}, item],
    }
    found = _errors(_validator(), data)
    assert found, "each of these items is wrong somewhere"
    assert found == _errors(Draft202012Validator(schema()), data)


def test_a_bad_item_reads_the_same_message_as_before_the_faster_check():
    text = MINIMAL + '\n[[timeline]]\nat = "09:00"\naction = "map_drive"\nhost = "FILESRV"\nletter = "Q"\n'
    assert error_of(text) == "office.toml:23: timeline[0]: action 'map_drive' needs the field 'share'"
    text = MINIMAL + '\n[[timeline]]\nat = "09:00"\naction = 7\n'
    assert error_of(text).startswith("office.toml:25: timeline[0].action: 7 is not one of rename_file, ")


def test_every_per_action_rule_is_recognised_so_an_item_is_checked_against_its_own_action_only():
    from sim.scenario import _all_of, _dispatch, _validator

    assert type(_validator()).VALIDATORS["allOf"] is _all_of
    for section, key in (("timeline", "action"), ("expect", "kind")):
        rules = schema()["properties"][section]["items"]["allOf"]
        assert [_dispatch(rule) for rule in rules] == [(key, rule["if"]["properties"][key]["const"]) for rule in rules]
    assert _dispatch({"if": {"properties": {"action": {"const": "sleep"}}}, "then": {}}) is None  # no `required`
    assert _dispatch({"if": {"properties": {"action": {"const": 1}}, "required": ["action"]}, "then": {}}) is None
