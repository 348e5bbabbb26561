"""The STRATAFOLIO web service over HTTP (ASGI app): WSDL, SOAP, and its hardening."""

import asyncio
import re

import httpx
import pytest

from sim.office import build_office
from sim.stratafolio.http_app import create_app
from sim.webconnector.soap import build_call, read_result


@pytest.fixture
def served():
    office = build_office(seed=3)
    office.link_all()
    computer = office.integrations["Acme Properties"].computers[-1]
    app = create_app(office.world.stratafolio, "http://127.0.0.1:9/qbwc", max_body=50_000)

    def request(method="POST", body=b"", path="/qbwc"):
        async def go():
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:9"
            ) as client:
                return await client.request(method, path, content=body, headers={"Content-Type": "text/xml"})

        return asyncio.run(go())

    return request, computer


def call(request, method, **arguments):
    reply = request(body=build_call(method, arguments).encode())
    assert reply.status_code == 200, reply.text
    return read_result(method, reply.content)


def test_wsdl_on_get(served):
    request, _ = served
    reply = request("GET")
    assert (
        reply.status_code == 200
        and "QBWebConnectorSvc" in reply.text
        and 'location="http://127.0.0.1:9/qbwc"' in reply.text
    )


def test_authenticate_over_http(served):
    request, computer = served
    ticket, status = call(request, "authenticate", strUserName=computer.user_name, strPassword=computer.password)
    # The path learned from strCompanyFileName in linking's first sync (PG ch.10).
    assert (
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ticket)
        and status == computer.company_file
        and status.endswith("Acme Properties.QBW")
    )
    assert call(request, "authenticate", strUserName=computer.user_name, strPassword="wrong") == ["", "nvu"]


def test_unknown_ticket_gets_harmless_answers(served):
    request, _ = served
    assert (
        call(
            request,
            "sendRequestXML",
            ticket="nope",
            strHCPResponse="",
            strCompanyFileName="",
            qbXMLCountry="US",
            qbXMLMajorVers=13,
            qbXMLMinorVers=0,
        )
        == ""
    )
    assert call(request, "receiveResponseXML", ticket="nope", response="", hresult="", message="") == -1
    assert call(request, "connectionError", ticket="nope", hresult="", message="") == "done"
    assert call(request, "closeConnection", ticket="nope") == "OK"


def test_oversized_bodies_and_entities_are_refused(served):
    request, _ = served
    assert request(body=b"<x>" + b"a" * 60_000 + b"</x>").status_code == 413
    reply = request(body=b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert reply.status_code == 500 and "DTDForbidden" in reply.text and "soap:Client" in reply.text


def test_other_paths_and_verbs(served):
    request, _ = served
    assert request("GET", path="/other").status_code == 404
    assert request("PUT").status_code == 405


def test_the_wsdl_publishes_interactive_mode_and_intuits_minima(served):
    request, _ = served
    text = request("GET").text
    for operation in ("getInteractiveURL", "interactiveDone", "interactiveRejected"):
        assert f'<wsdl:operation name="{operation}">' in text
    assert '<s:element minOccurs="1" maxOccurs="1" name="qbXMLMajorVers" type="s:int"/>' in text
    assert '<s:element minOccurs="1" maxOccurs="1" name="qbXMLMinorVers" type="s:int"/>' in text
    assert '<s:element minOccurs="1" maxOccurs="1" name="receiveResponseXMLResult" type="s:int"/>' in text


def test_interactive_callbacks_are_answered_over_http(served):
    request, _ = served
    assert call(request, "getInteractiveURL", wcTicket="T", sessionID="S") == ""
    assert call(request, "interactiveDone", wcTicket="T") == "Done"
    assert call(request, "interactiveRejected", wcTicket="T", reason="no user") == "OK"
