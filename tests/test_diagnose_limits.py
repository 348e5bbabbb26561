"""`wcsim diagnose` stays bounded whatever it is given: endless standard input, logs of the shortest
lines (README, "Limits and guarantees"; logs over the size it reads: test_log_reader)."""

import io
import subprocess
import sys
from pathlib import Path

from sim.cli import main
from sim.diagnose import command
from sim.diagnose.log_reader import MAX_ENTRIES

ROOT = Path(__file__).resolve().parents[1]


class Endless(io.RawIOBase):
    """`yes x`: standard input that never ends."""

    def __init__(self, line: bytes) -> None:
        self.line, self.given = line, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer) - len(buffer) % len(self.line)
        buffer[:size] = self.line * (size // len(self.line))
        self.given += size
        return size


def test_endless_standard_input_is_read_up_to_its_limit_keeping_its_end(monkeypatch, capsys):
    monkeypatch.setattr(command, "MAX_BYTES", 2_000_000)
    monkeypatch.setattr(command, "MAX_STDIN_BYTES", 8_000_000)
    endless = Endless(b"x\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(endless)))
    assert main(["diagnose", "-", "--workers", "1"]) == 2
    captured = capsys.readouterr()
    assert "goes on past 8 MB" in captured.err and "no QWCLog.txt lines" in captured.err
    assert endless.given < 8_000_000 + 2 * command._CHUNK  # it stopped reading


def test_standard_input_keeps_its_last_bytes_in_bounded_memory():
    data = b"".join(b"%07d\n" % n for n in range(1_000_000))  # 8 MB
    assert command._read_stdin(io.BytesIO(data)) == (data, False)
    stream = io.BytesIO(data)
    original = command.MAX_BYTES, command.MAX_STDIN_BYTES
    try:
        command.MAX_BYTES, command.MAX_STDIN_BYTES = 1_000_000, 4_000_000
        kept, more = command._read_stdin(stream)
    finally:
        command.MAX_BYTES, command.MAX_STDIN_BYTES = original
    assert more and kept == data[3_000_000:4_000_000]


def test_a_log_of_the_shortest_lines_is_read_in_bounded_memory_and_time():
    # 20 MB of the shortest entries took 1.26 GB and 37 s; each entry is now a small slotted object,
    # at most MAX_ENTRIES of them kept (the last).
    # VmHWM is this process's own peak (getrusage's maxrss keeps the forking parent's across exec).
    program = (
        "import re, time\n"
        "from sim.diagnose.log_reader import read_log\n"
        "from sim.diagnose.diagnosis import examine\n"
        "data = b'20250101.10:00:00 UTC : x\\n' * (20_000_000 // 26)\n"
        "started = time.process_time()\n"
        "diagnosis = examine(read_log(data))\n"
        "diagnosis.text()\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024\n"
        "print(len(diagnosis.log.entries), peak, time.process_time() - started)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    ).stdout.split()
    entries, megabytes, seconds = int(out[0]), int(out[1]), float(out[2])
    assert entries == MAX_ENTRIES
    assert megabytes < 300 and seconds < 20
