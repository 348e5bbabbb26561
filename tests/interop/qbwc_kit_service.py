"""A small QBWC web service built with the real third-party library qbwc-kit.

Started by the interoperability tests and the HTTP benchmark as a subprocess:
    python tests/interop/qbwc_kit_service.py PORT RESULTS_FILE
User "qbwc" (password "s3cret") gets one task: every customer, read with an
iterator in pages of 5; user "idle" (same password) has no work, so authenticate
answers "none". The customers received are written to RESULTS_FILE as JSON.
"""

import json
import sys

import uvicorn
from qbwc_kit import QBWCService, qbxml
from qbwc_kit.qbxml import QBXMLRequest
from qbwc_kit.server import create_app

PASSWORD = "s3cret"


class SyncCustomers:
    name = "customers"

    def __init__(self, results_file):
        self.results_file = results_file

    def run(self, ctx):
        seen = []
        request = qbxml.query("Customer", max_returned=5, iterator="Start")
        while True:
            result = yield QBXMLRequest([request])
            page = result.first().raise_for_status()
            seen += [record.get("Name") for record in page.records]
            if not page.has_more:
                break
            request.iterator = "Continue"
            request.iterator_id = page.iterator_id
        with open(self.results_file, "w", encoding="utf-8") as handle:
            json.dump(seen, handle)


class Users:
    def __init__(self, results_file):
        self.results_file = results_file

    def authenticate(self, username, password):
        return username in ("qbwc", "idle") and password == PASSWORD

    def tasks_for(self, username):
        return [SyncCustomers(self.results_file)] if username == "qbwc" else []


if __name__ == "__main__":
    port, results_file = int(sys.argv[1]), sys.argv[2]
    service = QBWCService(authenticator=Users(results_file))
    app = create_app(service, endpoint_url=f"http://127.0.0.1:{port}/qbwc")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
