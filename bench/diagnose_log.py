"""Benchmark: `wcsim diagnose` on a large real-format QWCLog.txt (a script, not a test).

Builds a log of the requested size (50 MB by default) in the real format: update sessions as
the simulated Web Connector writes them (a reproduction's successful and failing scheduled
runs, replayed with their times moved on), and the header block real logs repeat at each
Web Connector start (tests/data/real_qwclog/startup-33-conductor.txt's), either once a day or
every few minutes. For each, in the same run, it measures:
  - the anchor: one regular-expression pass over the same bytes for timestamps, the least any
    reader must do;
  - reading it (sim.diagnose.log_reader) and splitting it into sessions;
  - the whole diagnosis (reading, splitting, choosing the failure, the candidate simulations in
    2 worker processes, scoring);
and the peak memory of the process.

    python bench/diagnose_log.py [--megabytes 50]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.diagnose.causes import written_log  # noqa: E402
from sim.diagnose.diagnosis import diagnose  # noqa: E402
from sim.diagnose.log_reader import read_log  # noqa: E402
from sim.diagnose.sessions import split_sessions  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario_run import ScenarioRun  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STAMP = re.compile(r"^(\d{8}\.\d{2}:\d{2}:\d{2}) UTC", re.M)
TICKET = re.compile(r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?")


def _sessions() -> list[list[tuple[timedelta, str]]]:
    """The sessions of a reproduction's log, each as (offset from its start, the line without its time)."""
    run = ScenarioRun(load_scenario(ROOT / "scenarios" / "rename-company-file.toml"))
    run.run()
    text = written_log(run.world)
    # Web Connector 2.3 writes this line's prefix bare ("UpdateThisScheduledApp()"); older builds qualify it.
    blocks = re.split(
        r"(?m)^(?=\d{8}\.\d{2}:\d{2}:\d{2} UTC\t: \S*UpdateThisScheduledApp\(\) : Password management - Started)", text
    )
    sessions = []
    for block in blocks[1:]:
        lines, first = [], None
        for raw in block.splitlines(keepends=True):
            stamp = STAMP.match(raw)
            if stamp:
                when = datetime.strptime(stamp.group(1), "%Y%m%d.%H:%M:%S")
                first = first or when
                lines.append((when - first, raw[len(stamp.group(0)) :]))
            elif lines:
                lines.append((None, raw))
        sessions.append(lines)
    return sessions


def _header() -> str:
    text = (ROOT / "tests" / "data" / "real_qwclog" / "startup-33-conductor.txt").read_text(encoding="utf-8")
    body = text.partition("\n\n")[2]
    return body[body.index("Log file initialized") :].split("\n\n")[0] + "\n\n"


def build(size: int, restart_every: timedelta, run_every: timedelta) -> bytes:
    random.seed(size)
    sessions, header = _sessions(), _header()
    out: list[str] = []
    written = 0
    moment = datetime(2025, 1, 6, 0, 0, 7)
    next_restart = moment
    index = 0
    while written < size:
        if moment >= next_restart:
            block = header.replace(
                "Monday, May 19, 2025 - 12:05 PM",
                f"{moment:%A, %B} {moment.day}, {moment.year} - {moment.hour % 12 or 12}:{moment:%M %p}",
            )
            out.append(block)
            written += len(block)
            next_restart = moment + restart_every
        session = sessions[index % len(sessions)]
        index += 1
        ticket = str(uuid.UUID(int=random.getrandbits(128), version=4))  # each session its own, as real services do
        for offset, rest in session:
            rest = TICKET.sub(ticket, rest)
            line = rest if offset is None else f"{moment + offset:%Y%m%d.%H:%M:%S} UTC{rest}"
            out.append(line)
            written += len(line)
        moment += run_every
    data = "".join(out).encode("utf-8")
    return data[: data.rfind(b"\n", 0, size) + 1]


def measure(label: str, data: bytes) -> None:
    started = time.perf_counter()
    stamps = len(re.findall(rb"\d{8}\.\d{2}:\d{2}:\d{2} UTC", data))
    anchor = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    log = read_log(data)
    sessions = split_sessions(log)
    reading, reading_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    diagnosis = diagnose(log, workers=2, sessions=sessions)
    whole, whole_cpu = reading + time.perf_counter() - started, reading_cpu + time.process_time() - cpu
    top = ", ".join(cause.candidate.id for cause in diagnosis.top[:3]) or "none"
    print(f"{label}")
    print(
        f"  log size              {len(data) / 1e6:.1f} MB, {stamps:,} timestamped lines, "
        f"{len(sessions):,} sessions, {log.start_count:,} restarts"
    )
    print(f"  anchor (one regex)    {anchor:.2f} s")
    print(
        f"  read + sessions       {reading:.2f} s  ({reading / anchor:.1f}x the anchor; "
        f"{reading_cpu:.2f} s of this process's CPU)"
    )
    print(
        f"  whole diagnosis       {whole:.2f} s  (target < 5 s; {whole_cpu:.2f} s of this "
        f"process's CPU, the simulations' workers apart)  verdict: {diagnosis.verdict}; "
        f"top: {top}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    size = int(parser.parse_args().megabytes * 1_000_000)
    measure("a restart a day, a run every 15 minutes", build(size, timedelta(days=1), timedelta(minutes=15)))
    measure("a restart every 5 minutes, a run every 2 minutes", build(size, timedelta(minutes=5), timedelta(minutes=2)))
    print(f"peak memory (max RSS)   {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
