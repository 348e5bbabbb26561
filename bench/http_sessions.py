"""Benchmark: full Web Connector sessions per second over loopback HTTP (a script, not a test).

Measured in one run, with the same simulated Web Connector and company file:
  - against the simulated STRATAFOLIO served by `wcsim serve` (uvicorn, 127.0.0.1),
  - against a qbwc-kit service (tests/interop/qbwc_kit_service.py, uvicorn, 127.0.0.1),
  - against the simulated STRATAFOLIO through the in-process transport.
Both servers are subprocesses on free ports, stopped by PID at the end.

    python bench/http_sessions.py [--sessions 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.office import build_office  # noqa: E402
from sim.wire_commands import add_remote_application, run_update  # noqa: E402
from tests.servers import free_port, qbwc_kit_service, wcsim_serve  # noqa: E402


def rate_over_http(url: str, user: str, password: str, sessions: int) -> tuple[float, int]:
    office = build_office(seed=1)
    connector, app, transport = add_remote_application(
        office.world, office.server, office.files["Acme Properties"], url, user, password
    )
    done = 0
    started = time.perf_counter()
    for _ in range(sessions):
        result = run_update(office.world, connector, app)
        done += result is not None and result.outcome == "succeeded"
    elapsed = time.perf_counter() - started
    transport.close()
    return sessions / elapsed, done


def rate_in_process(sessions: int) -> tuple[float, int]:
    office = build_office(seed=1)
    office.link_all()
    app = office.apps["Acme Properties"]
    done = 0
    started = time.perf_counter()
    for _ in range(sessions):
        result = run_update(office.world, office.web_connector, app)
        done += result is not None and result.outcome == "succeeded"
    return sessions / (time.perf_counter() - started), done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    n = parser.parse_args().sessions
    port = free_port()
    with wcsim_serve(port, user="bench", password="pw"):
        simulated, ok_simulated = rate_over_http(f"http://127.0.0.1:{port}/qbwc", "bench", "pw", n)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, qbwc_kit_service(port, Path(tmp) / "seen.json"):
        kit, ok_kit = rate_over_http(f"http://127.0.0.1:{port}/qbwc", "qbwc", "s3cret", n)
    local, ok_local = rate_in_process(n)
    print(f"sessions per run                          {n}")
    print(f"HTTP -> wcsim serve (simulated STRATAFOLIO) {simulated:8.1f} sessions/s  ({ok_simulated} succeeded)")
    print(f"HTTP -> qbwc-kit service                    {kit:8.1f} sessions/s  ({ok_kit} succeeded)")
    print(f"in-process transport (same service model)   {local:8.1f} sessions/s  ({ok_local} succeeded)")


if __name__ == "__main__":
    main()
