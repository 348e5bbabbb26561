"""Benchmark: whole update sessions per second in one process, wcsim beside qbwc-kit's own fake.

The same pull runs both ways against the same kind of service (a qbwc-kit QBWCService whose
one task reads 100 customers with an iterator in pages of 10), with no network:
  - qbwc-kit's FakeWebConnector driving it, FakeQuickBooks answering (the anchor);
  - wcsim's simulated Web Connector (the UpdateSession state machine, QWCLog.txt, registry,
    the SOAP envelopes a real one sends, handed to the service's dispatch in process) with the
    simulated QuickBooks answering from a company file of 100 customers, every mechanism on.

    python bench/in_process_sessions.py [--sessions 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from qbwc_kit import QBWCService, qbxml
from qbwc_kit.qbxml import QBXMLRequest
from qbwc_kit.testing import FakeQuickBooks, FakeWebConnector, service_transport

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.quickbooks.company_file import create_company_file  # noqa: E402
from sim.webconnector.contract import SoapInProcessTransport  # noqa: E402
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


def kit_rate(sessions: int) -> float:
    service = QBWCService(authenticator=Users())
    customers = [{"ListID": f"8000{n:04d}-1", "EditSequence": "1", "Name": f"Customer {n}"} for n in range(CUSTOMERS)]
    started = time.perf_counter()
    for _ in range(sessions):
        result = FakeWebConnector(service_transport(service), username="qbwc", password=PASSWORD).run_update(FakeQuickBooks(entities={"Customer": list(customers)}))
        assert result.round_trips == CUSTOMERS // PAGE and not result.failed
    return sessions / (time.perf_counter() - started)


def wcsim_rate(sessions: int) -> float:
    service = QBWCService(authenticator=Users())
    world = World(seed=1)
    server = world.add_server("FILESRV", drives=("C", "D"), logged_in="Administrator")
    path = r"D:\QBData\Acme Properties.QBW"
    create_company_file(world, server, path, customers=CUSTOMERS)
    transport = SoapInProcessTransport(service.dispatch)
    connector, app, _ = add_remote_application(world, server, path, "https://qbwc.example.com/qbwc", "qbwc", PASSWORD, transport=transport)
    started = time.perf_counter()
    for _ in range(sessions):
        result = run_update(world, connector, app)
        assert result is not None and result.outcome == "succeeded", result
    return sessions / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    n = parser.parse_args().sessions
    kit = kit_rate(n)
    ours = wcsim_rate(n)
    print(f"sessions per run                                  {n} (each: {CUSTOMERS} customers in pages of {PAGE})")
    print(f"qbwc-kit FakeWebConnector + FakeQuickBooks        {kit:8.1f} sessions/s")
    print(f"wcsim simulated Web Connector + QuickBooks        {ours:8.1f} sessions/s")
    print(f"ratio wcsim / qbwc-kit                            {ours / kit:8.2f}x  (target >= 1.5x)")


if __name__ == "__main__":
    main()
