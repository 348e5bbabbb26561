"""Output paths (`run --trace-file/--html`, `claims --output`): refused in one line before the work
when the problem can be known, one line and exit 2 when it cannot; never an input overwritten."""

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.output_files import output_problem
from sim.scenario import scenarios_dir
from sim.trace import Trace
from tests.servers import ROOT

BUNDLED = scenarios_dir() / "rename-company-file.toml"


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "office.toml"
    shutil.copy(BUNDLED, path)
    return path


@pytest.fixture
def no_run(monkeypatch):
    """Fails the test if a scenario or the claims start running: the refusal must come first."""
    from sim import claims, scenario_run

    def ran(*args, **kwargs):
        raise AssertionError("the work ran before the output path was refused")

    monkeypatch.setattr(scenario_run.ScenarioRun, "run", ran)
    monkeypatch.setattr(claims, "check_claims", ran)


def refused(arguments, capsys) -> str:
    assert main(arguments) == 2
    out, err = capsys.readouterr()
    assert err.startswith("wcsim: error: ") and err.count("\n") == 1 and "internal error" not in err
    return err


@pytest.mark.parametrize("option", ["--trace-file", "--html"])
def test_the_scenario_itself_is_never_overwritten(option, scenario, capsys, no_run):
    before = scenario.read_bytes()
    for spelling in (str(scenario), str(scenario.parent / "." / scenario.name), os.path.relpath(scenario)):
        assert "is the scenario file; it would be overwritten" in refused(
            ["run", str(scenario), option, spelling], capsys
        )
    os.link(scenario, scenario.parent / "hard.toml")
    (scenario.parent / "soft.toml").symlink_to(scenario)
    for other in ("hard.toml", "soft.toml"):
        assert "is the scenario file" in refused(["run", str(scenario), option, str(scenario.parent / other)], capsys)
    assert scenario.read_bytes() == before


def test_the_two_outputs_are_not_the_same_file(tmp_path, capsys, no_run):
    same = str(tmp_path / "out")
    assert "is the --trace-file file" in refused(
        ["run", "rename-company-file", "--trace-file", same, "--html", same], capsys
    )


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
@pytest.mark.parametrize("option", ["--trace-file", "--html"])
def test_devices_are_refused_before_the_run(option, device, capsys, no_run):
    # --trace-file /dev/null changed the verdicts: the trace is read back from the file.
    assert "not a regular file" in refused(["run", "rename-company-file", option, device], capsys)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", "rename-company-file", "--html", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr and done.stderr.count("\n") == 1


def test_folders_and_missing_folders_are_refused_before_the_run(tmp_path, capsys, no_run):
    assert "is a folder" in refused(["run", "rename-company-file", "--html", str(tmp_path)], capsys)
    assert "does not exist" in refused(
        ["run", "rename-company-file", "--trace-file", str(tmp_path / "no" / "t.jsonl")], capsys
    )
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere" / "x")
    assert "symbolic link to a file that does not exist" in refused(
        ["run", "rename-company-file", "--html", str(tmp_path / "gone")], capsys
    )


def test_an_unwritable_place_is_refused_before_the_run(tmp_path, capsys, no_run):
    if os.geteuid() == 0:  # root writes through permissions: sysfs refuses new files even to root
        place = Path("/sys/wcsim-test.html")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        place = locked / "page.html"
    err = refused(["run", "rename-company-file", "--html", str(place)], capsys)
    assert "not writable" in err or "cannot write" in err
    assert not place.exists()


def test_trying_a_new_path_leaves_no_file_behind(tmp_path):
    path = tmp_path / "page.html"
    assert output_problem("--html", path) == "" and not path.exists()
    path.write_text("kept")
    assert output_problem("--html", path) == "" and path.read_text() == "kept"


def test_a_disk_that_fills_up_while_writing_the_page_is_one_line(tmp_path, capsys, monkeypatch):
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name == "page.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    err = refused(["run", "rename-company-file", "--html", str(tmp_path / "page.html")], capsys)
    assert err == f"wcsim: error: --html {str(tmp_path / 'page.html')!r}: cannot write: No space left on device\n"


def test_a_disk_that_fills_up_under_the_trace_file_is_reported_not_read_back(tmp_path, capsys, monkeypatch):
    def full(self) -> None:
        self.spill_error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Trace, "spill_all", full)
    err = refused(["run", "rename-company-file", "--trace-file", str(tmp_path / "t.jsonl")], capsys)
    assert "--trace-file" in err and "No space left on device" in err
    assert "HOLDS" not in capsys.readouterr().out


class _FullDisk:
    name = "full"

    def write(self, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failing_trace_file_never_raises_inside_the_simulation(tmp_path):
    from datetime import datetime

    trace = Trace(datetime(2026, 1, 5))
    trace.spill_to(tmp_path / "t.jsonl", keep=5)
    trace._spill = _FullDisk()
    for number in range(50):
        trace.append(float(number), "x", "tick", {"n": number})  # no error here: the world goes on
    trace.spill_all()
    assert trace.spill_error is not None and trace.spill_error.errno == errno.ENOSPC
    assert len(trace._events) <= 10  # and memory stays bounded


@pytest.mark.parametrize("place", ["/dev/full", "folder", "scenario-folder-missing"])
def test_the_claims_report_output_is_checked_before_the_claims_run(place, tmp_path, capsys, no_run):
    path = {
        "/dev/full": "/dev/full",
        "folder": str(tmp_path),
        "scenario-folder-missing": str(tmp_path / "no" / "r.html"),
    }[place]
    refused(["claims", "--output", path], capsys)


def test_a_trace_file_the_system_will_not_open_is_one_line_with_its_reason(tmp_path, capsys, monkeypatch):
    # What the checks before the run cannot foresee (here: they are passed by), the system's own words.
    monkeypatch.setattr("sim.run_command.output_problem", lambda *arguments: "")
    path = str(tmp_path / "no" / "t.jsonl")
    assert (
        refused(["run", "rename-company-file", "--trace-file", path], capsys)
        == f"wcsim: error: --trace-file {path!r}: cannot write: No such file or directory\n"
    )


def test_an_os_error_elsewhere_in_a_run_is_not_blamed_on_the_trace_file(capsys, monkeypatch):
    from sim import scenario_run

    def fails(self, progress=None):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(scenario_run.ScenarioRun, "run", fails)
    main(["run", "rename-company-file"])
    err = capsys.readouterr().err
    assert "internal error: OSError: [Errno 5] Input/output error" in err and "--trace-file" not in err
