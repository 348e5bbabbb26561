"""Benchmark: a simulated week of an office against real services over HTTP (a script, not a test).

One company file on a server, Auto-Run every 5 minutes for 7 days (about 2,000 sessions), a
bookkeeper in QuickBooks on weekdays, run by `wcsim run --service` against `wcsim serve` and against
a qbwc-kit service (tests/interop/qbwc_kit_service.py), each a subprocess on 127.0.0.1 stopped by PID,
one after the other in this run. Prints, for each: wall seconds, sessions, sessions per wall second,
how the sessions ended, and how many simulated seconds pass per wall second.

    python bench/service_week.py [--days 7] [--every 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.cli import main as wcsim  # noqa: E402
from tests.servers import free_port, qbwc_kit_service, wcsim_serve  # noqa: E402
from tests.service_office import office  # noqa: E402


def week(url: str, user: str, password: str, days: int, every: int) -> tuple[float, list[dict], float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "week.toml"
        path.write_text(
            office("a week against a real service", f"{days}d", auto_run_minutes=every, bookkeeper=True),
            encoding="utf-8",
        )
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            wcsim(["run", str(path), "--service", url, "--user", user, "--password", password, "--json"])
        wall = time.perf_counter() - started
    service = next(json.loads(line)["service"] for line in out.getvalue().splitlines() if line.startswith('{"service"'))
    return wall, service["sessions"], days * 86400 / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--every", type=int, default=5)
    arguments = parser.parse_args()
    results = {}
    port = free_port()
    with wcsim_serve(port, user="bench", password="pw"):
        results["wcsim serve"] = week(f"http://127.0.0.1:{port}/qbwc", "bench", "pw", arguments.days, arguments.every)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, qbwc_kit_service(port, Path(tmp) / "seen.json"):
        results["qbwc-kit service"] = week(
            f"http://127.0.0.1:{port}/qbwc", "qbwc", "s3cret", arguments.days, arguments.every
        )
    print(
        f"simulated                          {arguments.days} days, Auto-Run every "
        f"{arguments.every} minutes, a bookkeeper on weekdays"
    )
    for name, (wall, sessions, compression) in results.items():
        ended = Counter(f"{s['outcome']} {s['code']}".strip() for s in sessions)
        shown = ", ".join(f"{n} {what}" for what, n in ended.most_common(4))
        print(
            f"{name + ':':<20} week in {wall:6.1f} s wall; {len(sessions)} sessions, "
            f"{len(sessions) / wall:6.1f} sessions/s; "
            f"{compression:,.0f} simulated s per wall s; {shown}"
        )


if __name__ == "__main__":
    main()
