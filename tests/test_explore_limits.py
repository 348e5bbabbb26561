"""`wcsim explore` stays within the computer: workers capped by cores and memory, a scheduler
address that is not one refused within a bounded wait."""

import argparse
import socket
import time

import pytest

from sim.cli import main
from sim.explore import command, explorer


def test_more_workers_than_the_computer_holds_are_refused_with_the_reason(monkeypatch, capsys):
    monkeypatch.setattr(command.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(command, "_available_megabytes", lambda: 4_000)
    assert command.local_worker_limit()[0] == 2 * command.WORKERS_PER_CORE
    assert main(["explore", "--workers", "256", "--budget", "1"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "wcsim: error: --workers 256: this computer runs at most 8 at once (2 core(s), at "
        "most 4 workers a core; 4,000 MB of memory available, about 48 MB a worker)\n"
    )


def test_memory_caps_the_workers_before_cores_do(monkeypatch, capsys):
    monkeypatch.setattr(command.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(command, "_available_megabytes", lambda: 3 * command.WORKER_MEGABYTES + 10)
    assert command.local_worker_limit()[0] == 3
    assert main(["explore", "--workers", "4", "--budget", "1"]) == 2
    assert "at most 3 at once" in capsys.readouterr().err


def test_the_limit_is_never_below_one_worker(monkeypatch):
    monkeypatch.setattr(command, "_available_megabytes", lambda: 0)
    assert command.local_worker_limit()[0] == 1


def test_this_computers_memory_is_read():
    assert command._available_megabytes() is None or command._available_megabytes() > 0


@pytest.mark.parametrize("greeting", [b"", b"HTTP/1.1 400 Bad Request\r\n\r\n"], ids=["silent", "http"])
def test_a_scheduler_address_where_something_else_listens_is_refused_within_the_bound(greeting, monkeypatch, capsys):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr(explorer, "SCHEDULER_CONNECT_SECONDS", 1)
    with socket.socket() as listener:  # accepts (the kernel does), answers nothing or not Dask
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        assert main(["explore", "--executor", "dask", "--scheduler", address, "--budget", "1"]) == 2
        took = time.monotonic() - started
    err = capsys.readouterr().err
    assert took < 1 + 15, f"took {took:.0f} s (it hung over 400 s before the bound)"
    assert (
        err.startswith(f"wcsim: error: --scheduler '{address}': no Dask scheduler answered there within 1 s")
        and err.count("\n") == 1
    )


def test_a_scheduler_address_that_is_no_address_is_refused(capsys):
    pytest.importorskip("dask.distributed")
    assert main(["explore", "--executor", "dask", "--scheduler", "nonsense", "--budget", "1"]) == 2
    assert "is not a Dask scheduler address like tcp://" in capsys.readouterr().err


def test_an_out_folder_that_cannot_be_written_is_refused_before_the_search(tmp_path, capsys, monkeypatch):
    def searched(*args, **kwargs):
        raise AssertionError("the search ran before --out was refused")

    monkeypatch.setattr(explorer, "explore", searched)
    (tmp_path / "a-file").write_text("x")
    for out, words in (
        (tmp_path / "a-file", "is a file, not a folder"),
        (tmp_path / "a-file" / "inside", "cannot write there"),
        ("/proc/version/x", "cannot write there"),
    ):
        assert main(["explore", "--budget", "1", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("wcsim: error: --out ") and words in err and err.count("\n") == 1


def test_a_missing_out_folder_is_made_before_the_search(tmp_path, monkeypatch):
    monkeypatch.setattr(explorer, "explore", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("stop here")))
    out = tmp_path / "new" / "findings"
    with pytest.raises(RuntimeError, match="stop here"):
        command.explore_command(
            argparse.Namespace(
                out=out,
                scheduler=None,
                executor="processes",
                workers=1,
                budget=1,
                seed=0,
                explorer="branching",
                guidance=False,
            )
        )
    assert out.is_dir() and list(out.iterdir()) == []
