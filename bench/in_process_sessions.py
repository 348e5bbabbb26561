"""Benchmark: whole update sessions per second in one process, wcsim beside qbwc-kit's own fake.

The same pull runs every way against the same kind of service (a qbwc-kit QBWCService whose one
task reads 100 customers with an iterator in pages of 10), with no network, every callback going
through SOAP envelopes into the service's `dispatch`:
  - qbwc-kit's FakeWebConnector driving it, FakeQuickBooks answering with the three fields the kit's
    own examples give a customer (the anchor the target is set against);
  - the same, FakeQuickBooks answering with the eight base fields QuickBooks returns for a customer
    (what our QuickBooks answers: the same data both ways);
  - wcsim's simulated Web Connector (the UpdateSession state machine, QWCLog.txt, registry, the
    envelopes a real one sends) with the simulated QuickBooks answering from a company file of 100
    customers, every mechanism on.
The ways run in alternating rounds (the machine is shared and noisy: a round each, in turn, so a
slow spell hits all of them) and the time inside the service's `dispatch` is counted apart, so the
rate of each side's own work shows beside the whole.

    python bench/in_process_sessions.py [--sessions 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from qbwc_kit import QBWCService, qbxml
from qbwc_kit.qbxml import QBXMLRequest
from qbwc_kit.testing import FakeQuickBooks, FakeWebConnector

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.quickbooks.company_file import create_company_file  # noqa: E402
from sim.webconnector.soap import SoapInProcessTransport  # noqa: E402
from sim.wire_commands import add_remote_application, run_update  # noqa: E402
from sim.world import World  # noqa: E402

CUSTOMERS, PAGE, PASSWORD = 100, 10, "s3cret"


class PullCustomers:
    name = "customers"

    def run(self, ctx):
        request = qbxml.query("Customer", max_returned=PAGE, iterator="Start")
        while True:
            page = (yield QBXMLRequest([request])).first().raise_for_status()
            if not page.has_more:
                break
            request.iterator, request.iterator_id = "Continue", page.iterator_id


class Users:
    def authenticate(self, username, password):
        return username == "qbwc" and password == PASSWORD

    def tasks_for(self, username):
        return [PullCustomers()]


class Timed:
    """A service's dispatch, with the time spent inside it counted."""

    def __init__(self, service: QBWCService) -> None:
        self.service, self.seconds = service, 0.0

    def __call__(self, body):
        started = time.perf_counter()
        try:
            return self.service.dispatch(body)
        finally:
            self.seconds += time.perf_counter() - started


def _customers(full: bool) -> list[dict]:
    if not full:
        return [{"ListID": f"8000{n:04d}-1", "EditSequence": "1", "Name": f"Customer {n}"} for n in range(CUSTOMERS)]
    return [
        {
            "ListID": f"8000{n:04d}-1",
            "TimeCreated": "2026-01-05T07:00:00",
            "TimeModified": "2026-01-05T07:00:00",
            "EditSequence": "1767596400",
            "Name": f"Customer {n}",
            "FullName": f"Customer {n}",
            "IsActive": "true",
            "Sublevel": "0",
        }
        for n in range(CUSTOMERS)
    ]


class KitWay:
    def __init__(self, full: bool) -> None:
        self.dispatch = Timed(QBWCService(authenticator=Users()))
        self.customers = _customers(full)

    def session(self) -> None:
        result = FakeWebConnector(self.dispatch, username="qbwc", password=PASSWORD).run_update(
            FakeQuickBooks(entities={"Customer": list(self.customers)})
        )
        assert result.round_trips == CUSTOMERS // PAGE and not result.failed


class WcsimWay:
    def __init__(self) -> None:
        self.dispatch = Timed(QBWCService(authenticator=Users()))
        self.world = World(seed=1)
        server = self.world.add_server("FILESRV", drives=("C", "D"), logged_in="Administrator")
        path = r"D:\QBData\Acme Properties.QBW"
        create_company_file(self.world, server, path, customers=CUSTOMERS)
        transport = SoapInProcessTransport(self.dispatch)
        self.connector, self.app, _ = add_remote_application(
            self.world, server, path, "https://qbwc.example.com/qbwc", "qbwc", PASSWORD, transport=transport
        )
        self.dispatch.seconds = 0.0  # linking's session is not counted

    def session(self) -> None:
        result = run_update(self.world, self.connector, self.app)
        assert result is not None and result.outcome == "succeeded", result


def measure(sessions: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Per way: (seconds per session, of which inside the service's dispatch)."""
    ways = {"kit": KitWay(full=False), "kit, QuickBooks' full fields": KitWay(full=True), "wcsim": WcsimWay()}
    for way in ways.values():  # warm up
        for _ in range(3):
            way.session()
        way.dispatch.seconds = 0.0
    elapsed = dict.fromkeys(ways, 0.0)
    per_round = max(1, sessions // rounds)
    for _ in range(rounds):
        for name, way in ways.items():
            started = time.perf_counter()
            for _ in range(per_round):
                way.session()
            elapsed[name] += time.perf_counter() - started
    count = per_round * rounds
    return {name: (elapsed[name] / count, ways[name].dispatch.seconds / count) for name in ways}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    found = measure(arguments.sessions, arguments.rounds)
    kit, full, ours = found["kit"], found["kit, QuickBooks' full fields"], found["wcsim"]
    print(
        f"sessions per run                                  {arguments.sessions} (each: "
        f"{CUSTOMERS} customers in pages of {PAGE}; {arguments.rounds} alternating rounds)"
    )
    for label, (whole, service) in (
        ("qbwc-kit FakeWebConnector + FakeQuickBooks", kit),
        ("  same, FakeQuickBooks with QuickBooks' 8 fields", full),
        ("wcsim simulated Web Connector + QuickBooks", ours),
    ):
        print(
            f"{label:<50}{1 / whole:8.1f} sessions/s  ({whole * 1000:.2f} ms a session, "
            f"{service * 1000:.2f} ms in the kit's service)"
        )
    print(f"ratio wcsim / qbwc-kit                            {kit[0] / ours[0]:8.2f}x  (target >= 1.5x)")
    print(f"ratio wcsim / qbwc-kit with the same 8 fields     {full[0] / ours[0]:8.2f}x")
    print(f"ratio of the clients' own work (outside the service) {(kit[0] - kit[1]) / (ours[0] - ours[1]):5.2f}x")


if __name__ == "__main__":
    main()
