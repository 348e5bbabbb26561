"""Absurd or hostile scenario files are refused up front, in one line naming file, line and field; nothing hangs."""

import os
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import LIMITS, ScenarioError, parse_scenario
from tests.test_scenarios import MINIMAL


def run_cli(tmp_path: Path, text: str, capsys) -> tuple[int, str]:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    code = main(["run", str(path)])
    assert time.monotonic() - started < 20, "refusing a file must not take long"
    return code, capsys.readouterr().err


def with_section(text: str) -> str:
    return MINIMAL + text


CASES = {
    # name: (scenario text, text of the line the message must name, words the message must contain)
    "duration of a century": (
        MINIMAL.replace('duration = "2h"', 'duration = "36500d"'),
        "duration =",
        "limit of 366 days",
    ),
    "duration past any calendar": (
        MINIMAL.replace('duration = "2h"', 'duration = "999999999999d"'),
        "duration =",
        "limit of 366 days",
    ),
    "start in year 9999": (
        MINIMAL.replace('duration = "2h"', 'start = "9999-12-31 07:00"\nduration = "2h"'),
        "start =",
        "years 1990-2199",
    ),
    "start in year 1": (
        MINIMAL.replace('duration = "2h"', 'start = "0001-01-01 07:00"\nduration = "2h"'),
        "start =",
        "years 1990-2199",
    ),
    "start with a time zone": (
        MINIMAL.replace('duration = "2h"', 'start = "2026-01-05 07:00+05:00"\nduration = "2h"'),
        "start =",
        "no time zone",
    ),
    "action at a time with a zone": (
        with_section('[[timeline]]\nat = "2026-01-05 08:00+05:00"\naction = "sleep"\nhost = "FILESRV"\n'),
        'at = "2026',
        "time zones are not modelled",
    ),
    "action after the end": (
        with_section('[[timeline]]\nat = "Tue 09:00"\naction = "sleep"\nhost = "FILESRV"\n'),
        'at = "Tue',
        "after the scenario ends",
    ),
    "a reversed window": (
        with_section(
            '[[expect]]\nkind = "sync"\ncompany_file = "Acme"\noutcome = "any"\nbetween = ["08:00", "07:30"]\n'
        ),
        "between =",
        "before it starts",
    ),
    "a POSIX path": (
        MINIMAL.replace("path = 'D:\\QBData\\Acme.QBW'", "path = '/srv/qb/Acme.QBW'"),
        "path = '/srv",
        "not an absolute Windows path",
    ),
    "a missing drive": (MINIMAL.replace("path = 'D:", "path = 'Z:"), "path = 'Z:", "drive Z: does not exist"),
    "the same host in another case": (
        with_section('[[hosts]]\nname = "filesrv"\nrole = "workstation"\n'),
        'name = "filesrv"',
        "already defined",
    ),
    "a drive mapped over C:": (
        with_section(
            '[[shares]]\nhost = "FILESRV"\nname = "QB"\nfolder = '
            '\'D:\\QBData\'\n[[mapped_drives]]\nhost = "FILESRV"\nletter = "C:"\nshare = '
            "'\\\\FILESRV\\QB'\n"
        ),
        "[[mapped_drives]]",
        "local disk",
    ),
    "hours that do not exist": (
        with_section('[[people]]\nname = "m"\nhost = "FILESRV"\ncompany_file = "Acme"\nworks = "25:00-99:99"\n'),
        "works =",
        "00:00 to 23:59",
    ),
    "a day that ends before it starts": (
        with_section('[[people]]\nname = "m"\nhost = "FILESRV"\ncompany_file = "Acme"\nworks = "17:00-08:00"\n'),
        "[[people]]",
        "end after it starts",
    ),
    "sleeping at 25:00": (
        MINIMAL.replace(
            'logged_in = "Administrator"', 'logged_in = "Administrator"\nsleeps = { at = "25:00", wakes = "07:00" }'
        ),
        "sleeps =",
        "00:00 to 23:59",
    ),
    "a share on a missing drive": (
        with_section('[[shares]]\nhost = "FILESRV"\nname = "QB"\nfolder = \'Q:\\QBData\'\n'),
        "[[shares]]",
        "drive Q: does not exist",
    ),
    "a billion invoices": (
        with_section(
            '[[timeline]]\nat = "08:00"\naction = "create_invoices"\ncompany_file = "Acme"\ncount = 1000000000\n'
        ),
        "count =",
        "at most 10,000",
    ),
    "Auto-Run every minute for a year": (
        MINIMAL.replace('duration = "2h"', 'duration = "366d"').replace(
            "auto_run_minutes = 30", "auto_run_minutes = 1"
        ),
        "[[integrations]]",
        "limit is 200,000",
    ),
    "a newline in the name": (
        MINIMAL.replace('name = "minimal"', 'name = "minimal\\nHOLDS  everything"'),
        'name = "minimal',
        "no control characters",
    ),
    # It passed validate and failed run on a damaged registry key, without file:line.
    "a slash in a company file's name": (
        MINIMAL.replace('"Acme"', '"Acme/East"'),
        'name = "Acme/East"',
        "cannot hold '\\' or '/'",
    ),
    "a backslash in a company file's name": (
        MINIMAL.replace('"Acme"', '"Acme\\\\East"'),
        'name = "Acme',
        "cannot hold '\\' or '/'",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_in_one_line_with_its_location(name, tmp_path, capsys):
    text, marker, words = CASES[name]
    line = next(number for number, content in enumerate(text.splitlines(), 1) if marker in content)
    code, err = run_cli(tmp_path, text, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"wcsim: error: {tmp_path / 'x.toml'}:{line}: "), err
    assert err.count("x.toml") == 1, "the location is printed once"
    assert words in err


def test_arrays_nested_a_hundred_thousand_deep_are_refused(tmp_path, capsys):
    code, err = run_cli(tmp_path, "x = " + "[" * 100_000 + "]" * 100_000 + "\n", capsys)
    assert code == 2 and "nested too deeply" in err and err.count("\n") == 1


def test_nesting_just_over_the_limit_is_refused():
    with pytest.raises(ScenarioError, match="nested 35 levels deep"):
        parse_scenario(MINIMAL + "[stratafolio]\nmembers = " + "[" * 33 + "]" * 33 + "\n")


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path, capsys):
    path = tmp_path / "x.toml"
    with open(path, "wb") as stream:
        stream.truncate(LIMITS["file_bytes"] * 50)
    assert main(["run", str(path)]) == 2
    assert "larger than the limit of 1,000,000 bytes" in capsys.readouterr().err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(device, capsys):
    assert main(["run", device]) == 2
    assert (
        capsys.readouterr().err == f"wcsim: error: {device}: not a regular file (a scenario is a .toml file on disk)\n"
    )


def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["run", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_hundred_thousand_hosts_are_refused_quickly(tmp_path, capsys):
    hosts = "".join(f'[[hosts]]\nname = "H{n}"\nrole = "workstation"\n' for n in range(100_000))
    code, err = run_cli(tmp_path, MINIMAL + hosts, capsys)
    assert code == 2 and ("limit is 50" in err or "larger than the limit" in err)


def test_the_duplicate_check_is_linear(tmp_path):
    # 50 hosts is the schema's limit; the check itself must not be quadratic in what it is given.
    from sim.scenario import _no_duplicates

    names = [f"H{n}" for n in range(200_000)]
    started = time.monotonic()
    _no_duplicates(lambda path, message: pytest.fail(message), names, "hosts", "{!r}")
    assert time.monotonic() - started < 2


def test_head_closing_the_pipe_is_not_a_traceback():
    import subprocess
    import sys

    done = subprocess.run(
        f"{sys.executable} -m sim run scenarios/rename-company-file.toml | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.startswith("# Company file renamed after linking")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
