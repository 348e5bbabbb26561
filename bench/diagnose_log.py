"""Benchmark: `wcsim diagnose` on a large QWCLog.txt (a script, not a test).

Builds a log of the requested size from the simulated Web Connector's own output
(the rename-company-file reproduction, repeated), then measures, in the same run:
  - the anchor: one regular-expression pass over the same bytes for timestamps,
    the least any reader must do;
  - reading it (sim.diagnose.log_reader) and splitting it into sessions;
  - the whole diagnosis, candidate simulations in 2 worker processes included.

    python bench/diagnose_log.py [--megabytes 10]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.diagnose.diagnosis import diagnose  # noqa: E402
from sim.diagnose.log_reader import read_log  # noqa: E402
from sim.diagnose.sessions import split_sessions  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario_run import ScenarioRun  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    size = int(parser.parse_args().megabytes * 1_000_000)
    run = ScenarioRun(load_scenario(ROOT / "scenarios" / "rename-company-file.toml"))
    run.run()
    one = "".join(host.qwc_log.text() for host in run.world.hosts.values())
    data = (one * (size // len(one) + 1))[:size].encode()
    data = data[: data.rfind(b"\n") + 1]

    started = time.perf_counter()
    stamps = len(re.findall(rb"\d{8}\.\d{2}:\d{2}:\d{2} UTC", data))
    anchor = time.perf_counter() - started

    started = time.perf_counter()
    log = read_log(data)
    sessions = split_sessions(log)
    reading = time.perf_counter() - started

    started = time.perf_counter()
    diagnosis = diagnose(log, workers=2)
    whole = time.perf_counter() - started

    print(f"log size              {len(data) / 1e6:.1f} MB, {stamps:,} timestamped lines, {len(sessions):,} sessions")
    print(f"anchor (one regex)    {anchor:.2f} s")
    print(f"read + sessions       {reading:.2f} s  ({reading / anchor:.0f}x the anchor)")
    print(f"whole diagnosis       {whole + reading:.2f} s  (target < 10 s)  top cause: {diagnosis.top[0].candidate.id if diagnosis.top else 'none'}")


if __name__ == "__main__":
    main()
