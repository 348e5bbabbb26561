"""The after-run checks of a real service's conduct, each caught on a careless service over HTTP.

Every check (sim.service_checks) has a test here where tests/careless_service.py, with one careless
habit, runs through a short office day under `wcsim run --service ... --adapter ...` and the check
reports it, naming the session and the records; the same day against the careful instance (the
reference behaviour) holds. Without the check, the careless run would pass unnoticed.
"""

from __future__ import annotations

import json
import re

import pytest

from sim.cli import main
from tests.servers import careless_service, free_port
from tests.service_office import office

ADAPTER = "tests.careless_adapter:CarelessServiceAdapter"

OFFICE = office("a morning against a real service", "5h")


def timeline(*actions: str) -> str:
    """[[timeline]] items from 'at action key=value ...' lines."""
    items = []
    for line in actions:
        at, action, rest = (line.split(" ", 2) + [""])[:3]
        body = [f'at = "{at}"', f'action = "{action}"'] + [
            f"{k} = {v}" for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', rest)
        ]
        items.append("[[timeline]]\n" + "\n".join(body))
    return "\n\n".join(items)


FILE = 'company_file="Acme Properties"'
#: A push the service is told about, lost on its way back: the add happened, the service never heard.
LOST_ANSWER = timeline(
    f"08:00 create_invoices {FILE} count=1",
    '08:05 service_drops_connection callback="receiveResponseXML"',
    '08:06 update_selected host="FILESRV"',
    '08:10 service_drops_connection callback="none"',
    '08:12 update_selected host="FILESRV"',
)
#: An invoice for a tenant QuickBooks has no customer for: QuickBooks refuses the add (3140).
REFUSED_ADD = timeline(
    f'08:00 create_invoices {FILE} count=1 customer="Nobody Known"',
    '08:06 update_selected host="FILESRV"',
)
#: The company file renamed: QuickBooks cannot open the path the service names.
RENAMED = timeline(
    f'08:00 rename_file {FILE} to="Acme 2026.QBW"',
    '08:06 update_selected host="FILESRV"',
)
#: The file renamed, then the article's recovery steps, then a sync.
RECOVERY = timeline(
    f'08:00 rename_file {FILE} to="Acme 2026.QBW"',
    f"09:00 force_removal {FILE}",
    f"09:01 delete_authorized_computer {FILE}",
    f"09:02 open_single_user {FILE}",
    f"09:03 authorize_computer {FILE}",
    f"09:04 download_qwc {FILE}",
    f"09:05 add_qwc {FILE}",
    f"09:06 set_password {FILE}",
    '09:07 update_selected host="FILESRV"',
    '09:08 close_quickbooks host="FILESRV"',
    '10:00 update_selected host="FILESRV"',
)


@pytest.fixture(scope="module")
def service():
    port = free_port()
    with careless_service(port):
        yield f"http://127.0.0.1:{port}"


_instances = iter(range(10**6))


def run(service: str, habit: str, events: str, tmp_path, capsys) -> tuple[int, dict]:
    """`wcsim run` of the office with `events` against a fresh instance with `habit`: (exit code, checks by id)."""
    path = tmp_path / f"{habit}.toml"
    path.write_text(OFFICE + "\n" + events + "\n", encoding="utf-8")
    url = f"{service}/{habit}-{next(_instances)}/qbwc"
    capsys.readouterr()
    code = main(["run", str(path), "--service", url, "--adapter", ADAPTER, "--json"])
    out = capsys.readouterr().out
    report = next(json.loads(line)["service"] for line in out.splitlines() if line.startswith('{"service"'))
    return code, {"sessions": report["sessions"], **{c["check"]: c for c in report["checks"]}}


def test_an_add_sent_again_after_its_answer_was_lost_is_written_twice(service, tmp_path, capsys):
    code, found = run(service, "resend-adds", LOST_ANSWER, tmp_path, capsys)
    check = found["no-duplicate-writes"]
    assert check["status"] == "violated" and code == 1
    (finding,) = check["findings"]
    assert finding.startswith("InvoiceAddRq RefNumber=SF-00001 was written 2 times to QuickBooks: session #2 (manual")
    assert "the session ended failed QBWC1042" in finding and "session #3 (manual" in finding
    _, careful = run(service, "careful", LOST_ANSWER, tmp_path, capsys)
    assert careful["no-duplicate-writes"]["status"] == "holds"


def test_a_request_sent_again_and_again_after_quickbooks_rejected_it(service, tmp_path, capsys):
    code, found = run(service, "loop-on-error", REFUSED_ADD, tmp_path, capsys)
    check = found["no-repeated-rejections"]
    assert check["status"] == "violated" and code == 1
    (finding,) = check["findings"]
    assert finding.startswith(
        "session #2 (manual, 'STRATAFOLIO - Acme Properties' on FILESRV): InvoiceAddRq "
        "RefNumber=SF-00001 was rejected by QuickBooks (3140:"
    )
    assert "sent again 10 times in a row (the Web Connector's bound ended the session)" in finding
    _, careful = run(service, "careful", REFUSED_ADD, tmp_path, capsys)
    assert careful["no-repeated-rejections"]["status"] == "holds"


def test_connection_error_answered_with_neither_done_nor_a_company_file(service, tmp_path, capsys):
    code, found = run(service, "retry-forever", RENAMED, tmp_path, capsys)
    check = found["connection-error-answers"]
    assert check["status"] == "violated" and code == 1
    assert check["found"] == 11 and check["findings"][0].startswith(
        "session #2 (manual, 'STRATAFOLIO - Acme Properties' on FILESRV): connectionError answered 'try again'"
    )
    _, careful = run(service, "careful", RENAMED, tmp_path, capsys)
    assert careful["connection-error-answers"]["status"] == "holds"


def test_get_last_error_answered_with_nothing(service, tmp_path, capsys):
    code, found = run(service, "silent-last-error", REFUSED_ADD, tmp_path, capsys)
    check = found["last-error-answers"]
    assert check["status"] == "violated" and code == 1
    assert check["findings"] == [
        "session #2 (manual, 'STRATAFOLIO - Acme Properties' on FILESRV): getLastError "
        "answered nothing: the PG has it give the message the Web Connector logs and "
        "shows (or NoOp, or Interactive mode)"
    ]
    _, careful = run(service, "careful", REFUSED_ADD, tmp_path, capsys)
    assert careful["last-error-answers"]["status"] == "holds"


def test_sessions_kept_going_past_the_web_connectors_bounds(service, tmp_path, capsys):
    code, found = run(service, "noop-forever", timeline('08:06 update_selected host="FILESRV"'), tmp_path, capsys)
    check = found["within-bounds"]
    assert check["status"] == "violated" and code == 1
    assert (
        check["findings"][0] == "session #1 (manual, 'STRATAFOLIO - Acme Properties' on FILESRV): getLastError "
        "answered NoOp 121 times, the bound of 120 (assumed)"
    )
    _, retries = run(service, "retry-forever", RENAMED, tmp_path, capsys)
    assert any('connectionError 11 times without "done"' in f for f in retries["within-bounds"]["findings"])
    _, careful = run(service, "careful", RENAMED, tmp_path, capsys)
    assert careful["within-bounds"]["status"] == "holds"


def test_a_session_that_never_reaches_close_connection(service, tmp_path, capsys):
    code, found = run(service, "fault-on-receive", timeline('08:06 update_selected host="FILESRV"'), tmp_path, capsys)
    check = found["close-connection-reached"]
    assert check["status"] == "violated" and code == 1
    assert check["findings"][0].startswith(
        "session #1 (manual, 'STRATAFOLIO - Acme Properties' on FILESRV): the service "
        "failed in receiveResponseXML (QBWC1042: receiveResponseXML: the service answered "
        "with a SOAP fault"
    )
    _, careful = run(service, "careful", LOST_ANSWER, tmp_path, capsys)
    # A connection the office dropped is not the service's doing.
    assert (
        careful["close-connection-reached"]["status"] == "holds"
        and "1 sessions the office interrupted" in careful["close-connection-reached"]["note"]
    )


def test_sync_fails_after_the_recovery_steps(service, tmp_path, capsys):
    code, found = run(service, "sticky-path", RECOVERY, tmp_path, capsys)
    check = found["sync-after-recovery"]
    assert check["status"] == "violated" and code == 1
    (finding,) = check["findings"]
    assert finding.startswith("'Acme Properties': no sync succeeded after the recovery steps (2 ran: #")
    _, careful = run(service, "careful", RECOVERY, tmp_path, capsys)
    assert careful["sync-after-recovery"]["status"] == "holds"
