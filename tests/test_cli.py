"""The wcsim command line: bad arguments get one line and exit code 2; steps are listed."""

import subprocess
import sys

import pytest

from sim.cli import main


@pytest.mark.parametrize("arguments", [["bogus"], ["claims", "--format", "pdf"], ["claims", "--seed", "x"], []])
def test_bad_arguments_exit_2_with_one_line(arguments, capsys):
    with pytest.raises(SystemExit) as caught:
        main(arguments)
    assert caught.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("wcsim: error:")


def test_steps_lists_every_kind_with_examples(capsys):
    assert main(["steps"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("GIVEN") and "\nWHEN" in text and "\nTHEN" in text
    assert 'e.g. When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"' in text


def test_console_script_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "sim", "steps"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Auto-Run syncs every integration every {minutes:d} minutes" in done.stdout


def test_every_step_of_the_library_is_exercised_by_the_bundled_features():
    from sim.bdd.catalogue import catalogue

    unused = [pattern for _, pattern, example in catalogue() if example == "(not used by the bundled features)"]
    assert unused == []
