"""A real service's sessions: timed by the wall clock, recorded compactly, bounded against loops.

The service here is the simulated STRATAFOLIO reached in process through a RealService endpoint, so
each test sees exactly what the endpoint adds: the wall-clock time of each call on the simulated
clock (or the assumed CALL_SECONDS, deterministic, with wall_clock=False), the record of each session,
and the Web Connector's bound on a request QuickBooks rejected being sent again and again.
"""

from __future__ import annotations

import itertools

from sim.office import build_office
from sim.stratafolio.real_service import bind_service
from sim.stratafolio.service import SERVICE_URL
from sim.webconnector import service_endpoint
from sim.webconnector.contract import CALL_SECONDS, InProcessTransport
from sim.webconnector.update_session import MAX_REPEATED_REJECTIONS
from sim.wire_commands import run_update


def linked_through_endpoint(wall_clock: bool):
    """The default office linked with every session going through a RealService endpoint."""
    office = build_office(seed=1)
    binding = bind_service(
        office.world, SERVICE_URL, transport=InProcessTransport(office.world.stratafolio), wall_clock=wall_clock
    )
    office.link_all()
    return office, binding.endpoint


def test_the_simulated_clock_advances_by_each_calls_wall_time(monkeypatch):
    from sim.world import World

    ticks = itertools.count(step=0.75)  # each call is measured at 0.75 s of wall-clock time
    monkeypatch.setattr(service_endpoint, "_wall", lambda: next(ticks))
    monkeypatch.setattr(
        World, "varied", lambda self, typical, spread: typical
    )  # simulated calls take CALL_SECONDS exactly
    _, timed = linked_through_endpoint(wall_clock=True)
    _, assumed = linked_through_endpoint(wall_clock=False)
    (first_timed,), (first_assumed,) = timed.sessions, assumed.sessions
    calls = sum(first_timed.counts.values())
    assert calls == sum(first_assumed.counts.values()) > 10
    assert first_timed.wall_seconds == calls * 0.75
    took_timed, took_assumed = first_timed.ended - first_timed.started, first_assumed.ended - first_assumed.started
    assert abs((took_timed - took_assumed) - calls * (0.75 - CALL_SECONDS)) < 1e-6


def test_in_process_sessions_through_an_endpoint_stay_deterministic():
    first, _ = linked_through_endpoint(wall_clock=False)
    second, _ = linked_through_endpoint(wall_clock=False)
    assert first.world.trace.text() == second.world.trace.text()


def test_each_session_is_recorded_with_its_calls_and_what_quickbooks_wrote():
    office, endpoint = linked_through_endpoint(wall_clock=False)
    integration = office.integrations["Acme Properties"]
    integration.create_invoice("Nobody Known", "10.00")  # QuickBooks has no such customer: refused (3140)
    customer = office.world.stratafolio.organizations[0].integrations[0].ledger.records["customers"]
    integration.create_invoice(next(iter(customer.values()))["Name"], "20.00")
    result = run_update(office.world, office.web_connector, office.apps["Acme Properties"])
    session = endpoint.sessions[-1]
    assert (session.number, session.trigger, session.outcome, session.code) == (
        2,
        "manual",
        result.outcome,
        result.code,
    )
    assert (
        session.counts["serverVersion"] == 1
        and session.counts["sendRequestXML"] == session.exchanges
        and session.last_method == "closeConnection"
    )
    assert {call.method for call in session.calls} == {
        "getLastError",
        "closeConnection",
    }  # what the checks judge, kept after the end
    assert [r.request for r in session.rejections] == ["InvoiceAddRq RefNumber=SF-00001"] and session.rejections[
        0
    ].status.startswith("3140: ")


def test_a_request_quickbooks_rejected_sent_again_ends_the_session_at_the_bound():
    office, endpoint = linked_through_endpoint(wall_clock=False)
    service = office.world.stratafolio
    office.integrations["Acme Properties"].create_invoice("Nobody Known", "10.00")
    answer, send = service.receiveResponseXML, service.sendRequestXML
    again, sent = {}, {}

    def sends_it_again(ticket, *arguments, **named):  # the very request QuickBooks rejected, word for word
        sent[ticket] = again.pop(ticket, None) or send(ticket, *arguments, **named)
        return sent[ticket]

    def loops(ticket, response, hresult, message):  # a service that sends the rejected add again, forever
        job = service.jobs[ticket]
        refused = len(job.rejected)
        done = answer(ticket, response, hresult, message)
        if done < 0 or len(job.rejected) > refused:  # (STRATAFOLIO itself notes a refusal and goes on)
            again[ticket] = sent[ticket]
            return 50
        return done

    service.sendRequestXML = sends_it_again
    service.receiveResponseXML = loops
    result = run_update(office.world, office.web_connector, office.apps["Acme Properties"])
    assert (result.outcome, result.code) == ("failed", "assumed-limit")
    (rejection,) = endpoint.sessions[-1].rejections
    assert rejection.sent_again == MAX_REPEATED_REJECTIONS
    assert office.world.trace.select("update.repeats_stopped")[0].get("repeats") == MAX_REPEATED_REJECTIONS


def test_a_sessions_record_keeps_its_calls_bounded_and_counts_the_rest():
    class Answers:
        style = "Document"

        def call(self, method, **arguments):
            return "NoOp" if method == "getLastError" else "<QBXML />"

    office = build_office(seed=1)
    endpoint = service_endpoint.RealService(office.world, "http://127.0.0.1:9/qbwc", Answers(), wall_clock=False)
    session = service_endpoint.ServiceSession(
        endpoint, service_endpoint.SessionRecord(1, endpoint.url, "FILESRV", "app", "manual", 0.0), "Document"
    )
    for _ in range(service_endpoint.MAX_CALLS_KEPT + 50):
        session.call("sendRequestXML", ticket="t")
    assert len(session.record.calls) == service_endpoint.MAX_CALLS_KEPT
    assert session.record.counts["sendRequestXML"] == session.record.exchanges == service_endpoint.MAX_CALLS_KEPT + 50
    # The calls the checks judge are not crowded out by a long session, and are bounded too.
    for _ in range(50):
        session.call("getLastError", ticket="t")
    session.call("closeConnection", ticket="t")
    kept = [call.method for call in session.record.calls]
    assert kept.count("getLastError") == 50 and kept[-1] == "closeConnection"
    for _ in range(service_endpoint.MAX_CALLS_KEPT):
        session.call("getLastError", ticket="t")
    assert len(session.record.calls) == 2 * service_endpoint.MAX_CALLS_KEPT
    assert session.record.counts["getLastError"] == session.record.noops == service_endpoint.MAX_CALLS_KEPT + 50


def test_writes_after_a_refusal_in_one_message_are_recorded():
    # Under continueOnError QuickBooks goes on after a refused request: the adds after it are writes too.
    from sim.quickbooks.qbxml import Request, Response, build_request, build_response

    office = build_office(seed=1)
    endpoint = service_endpoint.RealService(office.world, "http://127.0.0.1:9/qbwc", None, wall_clock=False)
    session = service_endpoint.ServiceSession(
        endpoint, service_endpoint.SessionRecord(1, endpoint.url, "FILESRV", "app", "manual", 0.0), "Document"
    )
    adds = [Request("InvoiceAddRq", str(n), fields={"RefNumber": f"B-{n}"}) for n in (1, 2)]
    refused = Response("InvoiceAddRs", "1", 3140, "Error", "There is an invalid reference")
    accepted = Response("InvoiceAddRs", "2", 0, "Info", "Status OK", records=[{"TxnID": "T-2", "RefNumber": "B-2"}])
    session.processed(build_request(adds, on_error="continueOnError"), build_response([refused, accepted]), "", "")
    assert [r.request for r in session.record.rejections] == ["InvoiceAddRq RefNumber=B-1"]
    assert [(w.identity, w.quickbooks_id) for w in session.record.writes] == [("RefNumber=B-2", "T-2")]


def test_each_call_goes_out_in_the_style_the_applications_qwc_names():
    office, endpoint = linked_through_endpoint(wall_clock=False)
    seen = []

    class Styled(InProcessTransport):
        style = "Document"

        def call(self, method, **arguments):
            seen.append((method, self.style))
            return super().call(method, **arguments)

    endpoint.transport = Styled(office.world.stratafolio)
    connector, app = office.web_connector, office.apps["Acme Properties"]
    office.server.registry.set_value(connector.application(app).key, "Style", "RPC", user=connector.user)
    run_update(office.world, connector, app)
    assert seen and {style for _, style in seen} == {"RPC"}
