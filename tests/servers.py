"""Starting and stopping real servers for tests: 127.0.0.1 only, bounded waits, stopped by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(command: list[str], port: int, ready_seconds: float = 20.0):
    """Run `command` until the block ends; wait (bounded) for it to accept on `port`. What it prints
    goes to a file, not a pipe: a server that logs a lot would block once a pipe nobody reads is full."""
    printed = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=printed, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    # Read without moving the offset the server writes at (the file's description is shared).
    process.printed_text = lambda: os.pread(printed.fileno(), 10_000_000, 0).decode(errors="replace")
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[:3]} exited early: {process.printed_text()[-500:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not listen on 127.0.0.1:{port} within {ready_seconds} s")
            time.sleep(0.02)  # the port is polled: a server says nothing when it starts listening
        yield process
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.output = process.printed_text()  # what it printed, for the test
        printed.close()


def qbwc_kit_service(port: int, results: Path):
    return running(
        [sys.executable, str(ROOT / "tests" / "interop" / "qbwc_kit_service.py"), str(port), str(results)], port
    )


def wcsim_serve(port: int, user: str = "fwc", password: str = "pw"):
    return running(
        [sys.executable, "-m", "sim", "serve", "--port", str(port), "--user", user, "--password", password], port
    )


def careless_service(port: int):
    """tests/careless_service.py: instances with careless habits, each at /<habit>-<anything>/qbwc."""
    return running([sys.executable, str(ROOT / "tests" / "careless_service.py"), str(port)], port)
