"""`wcsim serve` faces a network: unpredictable tickets and passwords, bounded state, faults in its own words."""

import argparse
import re
import socket
import subprocess
import sys

import httpx
import pytest

from sim.cli import main
from sim.office import build_office
from sim.stratafolio import service as service_module
from sim.webconnector.soap import build_call, read_result
from sim.world import World
from tests.servers import ROOT, free_port, running
from tests.test_http_server import call, served  # noqa: F401 - the fixture

PYTHON_WORDS = re.compile(r"KeyError|RecursionError|TypeError|ValueError|Traceback|NoneType|AttributeError|IndexError")


def test_a_body_with_an_unknown_encoding_gets_a_soap_fault(served):  # noqa: F811
    request, _ = served
    reply = request(
        body=b'<?xml version="1.0" encoding="x-evil"?><soap:Envelope '
        b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>'
    )
    assert reply.status_code == 500 and "soap:Client" in reply.text and "unknown encoding" in reply.text


@pytest.mark.parametrize(
    "response",
    [
        "<QBXML><QBXMLMsgsRs><Unknown statusCode='0'/></QBXMLMsgsRs></QBXML>",
        "<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode='0'>"
        + "<a>" * 2_000
        + "</a>" * 2_000
        + "</CustomerQueryRs></QBXMLMsgsRs></QBXML>",
        "<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode='x'/></QBXMLMsgsRs></QBXML>",
        "not xml at all",
    ],
    ids=["unknown response", "nested 2,000 deep (past the recursion limit)", "bad status", "not xml"],
)
def test_bad_qbxml_from_a_client_is_answered_in_the_services_own_words(served, response):  # noqa: F811
    request, computer = served
    ticket, _ = call(request, "authenticate", strUserName=computer.user_name, strPassword=computer.password)
    call(
        request,
        "sendRequestXML",
        ticket=ticket,
        strHCPResponse="",
        strCompanyFileName="",
        qbXMLCountry="US",
        qbXMLMajorVers=13,
        qbXMLMinorVers=0,
    )
    reply = request(
        body=build_call(
            "receiveResponseXML", {"ticket": ticket, "response": response, "hresult": "", "message": ""}
        ).encode()
    )
    assert reply.status_code == 200 and read_result("receiveResponseXML", reply.content) < 0
    error = call(request, "getLastError", ticket=ticket)
    assert error and not PYTHON_WORDS.search(error) and not PYTHON_WORDS.search(reply.text)


def test_a_huge_user_name_is_refused_without_being_kept():
    office = build_office(seed=3)
    office.link_all()
    service = office.world.stratafolio
    before = len(office.world.trace)
    for _ in range(30):
        assert service.authenticate("u" * 3_900_000, "p") == ["", "nvu"]
    kept = [e.get("user_name") for e in office.world.trace.select("stratafolio.login_refused", since=before)]
    assert len(kept) == 30 and max(len(name) for name in kept) <= 64


def test_tickets_nobody_closes_do_not_pile_up(monkeypatch):
    monkeypatch.setattr(service_module, "MAX_OPEN_TICKETS", 5)
    office = build_office(seed=3)
    office.link_all()
    service = office.world.stratafolio
    computer = office.integrations["Acme Properties"].computers[-1]
    tickets = [service.authenticate(computer.user_name, computer.password)[0] for _ in range(12)]
    assert len(service.jobs) == 5 and list(service.jobs) == tickets[-5:]
    assert service.getLastError(tickets[0]) == "unknown ticket"


def test_a_long_running_server_keeps_a_bounded_trace():
    world = World(seed=1)
    world.trace.keep_last(100)
    for number in range(1_000):
        world.record("x", "tick", n=number)
    assert len(world.trace) <= 200 and world.trace.appended == 1_000
    assert world.trace[-1].seq == 999 and world.trace[-1].get("n") == 999


def test_two_organizations_never_share_a_web_connector_user_name():
    world = World(seed=1)
    service = world.stratafolio
    names = []
    for name in ("Example Realty", "Example Realty Two"):
        organization = service.create_organization(name, "admin@example.com")
        integration = organization.add_integration("admin@example.com", "Acme", "Acme")
        names.append(organization.authorize_computer("admin@example.com", integration, "SRV").user_name)
    assert names[0] != names[1]
    assert service.authenticate(names[1], service.organizations[1].integrations[0].computers[0].password)[1] == ""


def _serve_once() -> tuple[str, str]:
    """Start `wcsim serve` with the default seed, log in once; (the served password, the ticket)."""
    port = free_port()
    with running([sys.executable, "-m", "sim", "serve", "--port", str(port)], port) as process:
        banner = process.printed_text()
        user, password = re.search(r"user=(\S+) password=(\S+)", banner).groups()
        with httpx.Client(timeout=10) as client:
            body = build_call("authenticate", {"strUserName": user, "strPassword": password}).encode()
            reply = client.post(
                f"http://127.0.0.1:{port}/qbwc",
                content=body,
                headers={"Content-Type": "text/xml", "SOAPAction": '"http://developer.intuit.com/authenticate"'},
            )
        ticket = read_result("authenticate", reply.content)[0]
    return password, ticket


def test_served_tickets_and_passwords_are_unpredictable_while_the_world_stays_deterministic():
    first, second = _serve_once(), _serve_once()
    assert first[0] != second[0], "the generated password comes from secrets"
    assert first[1] != second[1] and re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first[1]
    ), "tickets come from secrets, as lowercase GUIDs"
    # The simulated world itself is unchanged: the same seed still gives the same GUIDs.
    assert World(seed=0).new_guid() == World(seed=0).new_guid()
    predicted = build_office(seed=0)
    predicted.link_all()
    assert first[1] != predicted.world.new_guid()


def _customers_answer(first: int, count: int, name: str = "x" * 20, answers: int = 1) -> str:
    rets = "".join(
        f"<CustomerRet><ListID>{n}-1</ListID><Name>{name}</Name></CustomerRet>" for n in range(first, first + count)
    )
    one = (
        '<CustomerQueryRs requestID="0" statusCode="0" statusSeverity="Info" '
        'statusMessage="Status OK" iteratorRemainingCount="1" '
        f'iteratorID="I">{rets}</CustomerQueryRs>'
    )
    return f"<QBXML><QBXMLMsgsRs>{one * answers}</QBXMLMsgsRs></QBXML>"


def _served(monkeypatch, limit=(100_000, 20_000_000)):
    """The service `wcsim serve` would run (its bounds included), and a ticket of its computer."""
    from sim import wire_commands

    monkeypatch.setattr(wire_commands, "SERVE_LEDGER_LIMIT", limit)
    _, service, computer = wire_commands.served_app(
        argparse.Namespace(seed=None, user=None, password="pw"), "http://127.0.0.1:9/qbwc"
    )
    ticket, _ = service.authenticate(computer.user_name, "pw")
    return service, ticket


def _report(service, ticket: str, response: str) -> int:
    service.sendRequestXML(ticket, "", "", "US", 13, 0)
    return service.receiveResponseXML(ticket, response, "", "")


def test_a_client_cannot_grow_the_served_ledger_past_its_record_bound(monkeypatch):
    service, ticket = _served(monkeypatch, limit=(100, 1_000_000))
    ledger = service.organizations[0].integrations[0].ledger
    held = sum(ledger.count().values())  # what linking synced
    assert _report(service, ticket, _customers_answer(0, 100 - held)) > 0
    assert _report(service, ticket, _customers_answer(1_000, 1)) == -105 and sum(ledger.count().values()) == 100
    assert "the ledger is full (100 records" in service.getLastError(ticket)
    # Records it already holds may still change: the bound is on what it keeps, not on syncing.
    ticket = service.authenticate(service.organizations[0].integrations[0].computers[-1].user_name, "pw")[0]
    assert _report(service, ticket, _customers_answer(0, 5, name="renamed")) > 0


def test_a_client_cannot_grow_the_served_ledger_past_its_character_bound(monkeypatch):
    service, ticket = _served(monkeypatch, limit=(100_000, 50_000))
    ledger = service.organizations[0].integrations[0].ledger
    results = [_report(service, ticket, _customers_answer(10 * call, 10, name="n" * 1_000)) for call in range(10)]
    assert -105 in results
    assert (
        sum(len(k) + len(str(v)) for records in ledger.records.values() for r in records.values() for k, v in r.items())
        <= 50_000
    )


def test_the_served_ledger_is_bounded_by_default(monkeypatch):
    from sim import wire_commands

    records, chars = wire_commands.SERVE_LEDGER_LIMIT
    assert records <= 100_000 and chars <= 20_000_000
    _, service, _ = wire_commands.served_app(
        argparse.Namespace(seed=None, user=None, password="pw"), "http://127.0.0.1:9/qbwc"
    )
    assert all(i.ledger.limit == (records, chars) for o in service.organizations for i in o.integrations)


def test_an_answer_of_many_responses_to_one_request_queues_nothing(monkeypatch):
    service, ticket = _served(monkeypatch)
    job = service.jobs[ticket]
    before = len(job.todo)
    assert _report(service, ticket, _customers_answer(0, 1, answers=500)) == -103
    assert len(job.todo) < before and "500 responses to one request" in service.getLastError(ticket)


def test_closed_sessions_leave_a_bounded_history(monkeypatch):
    monkeypatch.setattr(service_module, "MAX_SYNCS_KEPT", 5)
    service, _ = _served(monkeypatch)
    integration = service.organizations[0].integrations[0]
    user = integration.computers[-1].user_name
    for _ in range(40):
        service.closeConnection(service.authenticate(user, "pw")[0])
    assert 5 <= len(integration.syncs) < 10 and len(service.jobs) == 1  # the ticket _served opened


def test_an_empty_host_is_refused_rather_than_listening_everywhere(capsys):
    for host in ("", "  "):
        assert main(["serve", "--host", host]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "every interface" in err and "0.0.0.0" in err


def test_a_port_in_use_is_one_line_and_exit_2_before_anything_is_printed(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"wcsim: error: cannot serve on 127.0.0.1 port {port}: Address already in use\n"


def test_port_0_prints_the_port_it_got_and_serves_there():
    with subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    ) as process:
        try:
            banner = process.stdout.readline().decode()
            url = re.search(r"at (http://127\.0\.0\.1:(\d+)/qbwc)$", banner.strip())
            assert url and url.group(2) != "0", banner
            reply = httpx.get(url.group(1), timeout=10)
            assert reply.status_code == 200 and "QBWebConnectorSvc" in reply.text
        finally:
            process.terminate()
            process.wait(timeout=10)
