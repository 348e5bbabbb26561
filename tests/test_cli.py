"""The wcsim command line: bad arguments get one line and exit code 2; steps are listed."""

import subprocess
import sys

import pytest

from sim.cli import main


@pytest.mark.parametrize("arguments", [["bogus"], ["claims", "--format", "pdf"], ["claims", "--seed", "x"]])
def test_bad_arguments_exit_2_with_one_line(arguments, capsys):
    with pytest.raises(SystemExit) as caught:
        main(arguments)
    assert caught.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("wcsim: error:")


def test_steps_lists_every_kind_with_examples(capsys):
    assert main(["steps"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Steps of the wcsim library") and "\nGIVEN" in text and "\nWHEN" in text and "\nTHEN" in text
    assert 'e.g. When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"' in text


def test_console_script_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "sim", "steps"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Auto-Run syncs every integration every {minutes:d} minutes" in done.stdout


def test_every_step_of_the_library_is_exercised_by_the_bundled_features():
    from sim.bdd.library import catalogue

    unused = [step.pattern for step in catalogue() if step.example == "(not used by the bundled features)"]
    assert unused == []


def test_version_and_bare_help(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out.startswith("wcsim ")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "usage: wcsim" in out and "diagnose" in out and "scenarios" in out


@pytest.mark.parametrize(
    "command", ["claims", "steps", "run", "sync", "serve", "diagnose", "scenarios", "validate", "new"]
)
def test_every_subcommand_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "Example: wcsim " + command in capsys.readouterr().out.replace("\n", " ")


def test_bundled_scenarios_are_listed_and_run_by_name(capsys):
    assert main(["scenarios"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) >= 24 and any(line.startswith("rename-company-file ") for line in listed)
    assert main(["run", "rename-company-file"]) == 0
    assert "HOLDS" in capsys.readouterr().out


def test_validate_checks_files_without_running_them(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\nreproduces = "x"\nsource = "x"\n')
    assert main(["validate", "rename-company-file", str(bad)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("rename-company-file.toml: valid") and out[1].startswith(f"wcsim: error: {bad}")


def test_new_scenario_writes_a_commented_file_that_validates_and_runs(tmp_path, capsys):
    assert main(["new", "scenario", "nightly-stop", "--folder", str(tmp_path)]) == 0
    path = tmp_path / "nightly-stop.toml"
    text = path.read_text()
    assert text.startswith("# Reproduces:") and "action = copy_file" in text and "kind = records_missing" in text
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path)]) == 0


def test_new_scenario_never_overwrites_and_refuses_bad_names(tmp_path, capsys):
    (tmp_path / "mine.toml").write_text("keep me")
    assert main(["new", "scenario", "mine", "--folder", str(tmp_path)]) == 2
    assert (tmp_path / "mine.toml").read_text() == "keep me"
    assert main(["new", "scenario", "../escape", "--folder", str(tmp_path)]) == 2
    assert "is not a scenario name" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["nightly\n", "nightly\r", "\nnightly", "night ly", ""])
def test_new_scenario_refuses_a_name_with_a_line_break_or_space_anywhere(name, tmp_path, capsys):
    assert main(["new", "scenario", name, "--folder", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a scenario name" in err and err.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_new_scenario_never_writes_through_a_link(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "dangling.toml").symlink_to(elsewhere / "created-there.toml")
    assert main(["new", "scenario", "dangling", "--folder", str(tmp_path)]) == 2
    assert "symbolic link to a file that does not exist" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    (elsewhere / "kept.toml").write_text("keep me")
    (tmp_path / "linked.toml").symlink_to(elsewhere / "kept.toml")
    assert main(["new", "scenario", "linked", "--folder", str(tmp_path)]) == 2
    assert (elsewhere / "kept.toml").read_text() == "keep me"


def test_run_json_with_log_is_pure_json_lines_ending_with_the_verdicts(capsys):
    import json

    assert main(["run", "rename-company-file", "--json", "--log"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any("qwclog" in record for record in records)
    verdicts = records[-1]["verdicts"]
    assert verdicts and all(v["holds"] is True and v["expectation"] and v["observed"] for v in verdicts)


def test_verdicts_are_coloured_on_a_terminal_but_never_with_no_color(monkeypatch):
    import io

    from sim.console import print_verdicts
    from sim.scenario_run import Verdict

    verdicts = [Verdict("sync: x", True, "ok"), Verdict("sync: y", False, "[not markup]")]

    def printed() -> str:
        stream = io.StringIO()
        print_verdicts(verdicts, stream)
        return stream.getvalue()

    assert "\x1b[" not in printed() and "FAILS  sync: y" in printed() and "[not markup]" in printed()  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[32mHOLDS" in printed()
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[32m" not in printed() and "\x1b[31m" not in printed()


def test_run_streams_the_whole_trace_to_a_file(tmp_path, capsys):
    import json

    path = tmp_path / "trace.jsonl"
    assert main(["run", "rename-company-file", "--trace-file", str(path)]) == 0
    events = [json.loads(line) for line in path.read_text().splitlines()]
    assert events[0]["kind"] == "host.created" and [e["seq"] for e in events] == list(range(len(events)))
    assert "HOLDS" in capsys.readouterr().out
    assert main(["run", "rename-company-file", "--trace-file", str(tmp_path / "no" / "t.jsonl")]) == 2


def test_output_paths_that_are_folders_or_files_in_the_wrong_place_are_refused(tmp_path, capsys):
    assert main(["run", "rename-company-file", "--html", str(tmp_path)]) == 2
    assert main(["run", "rename-company-file", "--trace-file", str(tmp_path)]) == 2
    (tmp_path / "a-file").write_text("x")
    assert main(["explore", "--budget", "1", "--out", str(tmp_path / "a-file")]) == 2
    assert all(line.startswith("wcsim: error: ") for line in capsys.readouterr().err.strip().splitlines())
