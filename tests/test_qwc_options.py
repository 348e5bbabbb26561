"""QWC options that do something (PG Table 4-1, ch.10): AuthFlags, Style, IsReadOnly, UnattendedModePref."""

from dataclasses import replace

import httpx
import pytest

from sim.errors import QWCError
from sim.office import ADMIN_EMAIL
from sim.people.admin import close_quickbooks, open_as_admin_single_user
from sim.quickbooks.qbxml import Request, build_request, parse_response
from sim.quickbooks.request_processor import AppOptions
from sim.webconnector.qwc import read_qwc, write_qwc
from sim.webconnector.soap import read_call
from sim.wire_commands import add_remote_application, run_update
from tests.hostile_service import ORDINARY, envelope, strings


def qwc_with(office, **changes) -> str:
    """A downloaded QWC for a new authorized computer, with some options changed."""
    organization, integration = office.organization, office.integrations["Acme Properties"]
    computer = organization.authorize_computer(ADMIN_EMAIL, integration, office.server.name)
    path = organization.download_qwc(ADMIN_EMAIL, integration, computer, office.server)
    office.server.fs.write_text(path, write_qwc(replace(read_qwc(office.server.fs.read_bytes(path)), **changes)))
    office.last_password = computer.password
    return path


def add(office, path, access="always"):
    open_as_admin_single_user(office.server, office.files["Acme Properties"])
    try:
        return office.web_connector.add_application(path, access=access)
    finally:
        close_quickbooks(office.server)


@pytest.mark.parametrize(
    "flags, edition, connects",
    [
        ("0x8", "Pro", False),
        ("0x2", "Pro", True),
        ("0x6", "Premier", True),
        ("0x8", "Enterprise", True),
        ("", "SimpleStart", True),
    ],
)
def test_auth_flags_that_exclude_the_running_edition_fail_the_connection(office, flags, edition, connects):
    office.server.quickbooks.edition = edition
    path = qwc_with(office, auth_flags=flags)
    if connects:
        assert add(office, path).auth_flags == (int(flags, 0) if flags else 0)
        return
    with pytest.raises(QWCError) as caught:
        add(office, path)
    assert caught.value.code == "QBWC1022" and "0x80040401" in caught.value.message
    assert office.world.trace.select("sdk.edition_excluded", edition=edition)


def test_a_read_only_application_cannot_write(linked_office):
    office = linked_office
    rp = office.server.quickbooks.request_processor
    owner = office.web_connector.applications()[0].owner_id
    add_invoice = build_request([Request("InvoiceAddRq", "1", fields={"CustomerRef": "nobody", "Subtotal": "1.00"})])
    results = {}
    for read_only in (False, True):
        session = rp.begin_session(
            "STRATAFOLIO - Acme Properties",
            owner,
            office.files["Acme Properties"],
            options=AppOptions(read_only=read_only),
        )
        response, _ = rp.process(session, add_invoice)
        rp.end_session(session)
        results[read_only] = parse_response(response)[0].status_code
    assert results == {False: 3140, True: 3260}


def test_is_read_only_travels_from_the_qwc_to_every_session(office):
    app = add(office, qwc_with(office, is_read_only=True))
    assert app.is_read_only
    office.web_connector.set_password(app.name, office.last_password)
    seen = []
    rp = office.server.quickbooks.request_processor
    original = rp.begin_session
    rp.begin_session = lambda *args, **kwargs: seen.append(kwargs["options"]) or original(*args, **kwargs)
    office.web_connector.update_selected([app.name])
    office.world.run(minutes=5)
    assert seen and all(options.read_only for options in seen)


@pytest.mark.parametrize("access, added", [("prompt each time", False), ("always", True)])
def test_unattended_mode_required_offers_only_unattended_access(office, access, added):
    path = qwc_with(office, unattended_mode_pref="umpRequired")
    if added:
        assert add(office, path, access=access).unattended_mode_pref == "umpRequired"
        return
    with pytest.raises(QWCError) as caught:
        add(office, path, access=access)
    assert caught.value.code == "QBWC1022" and "0x80040420" in caught.value.message
    assert office.world.trace.select("quickbooks.prompt_declined")


@pytest.mark.parametrize(
    "style, marks",
    [
        ("Document", ('<sendRequestXML xmlns="http://developer.intuit.com/">',)),
        ("DocWrapped", ('<authenticate xmlns="http://developer.intuit.com/">',)),
        (
            "RPC",
            ("soap:encodingStyle=", '<qbXMLMajorVers xsi:type="xsd:int">16</qbXMLMajorVers>', "<tns:authenticate>"),
        ),
    ],
)
def test_the_style_shapes_the_envelopes_on_the_wire(office, style, marks):
    sent = []
    answers = {
        **ORDINARY,
        "authenticate": envelope("authenticate", strings("T1", "")),
        "sendRequestXML": envelope("sendRequestXML", ""),
    }

    def respond(request: httpx.Request) -> httpx.Response:
        sent.append(request.content.decode())
        return httpx.Response(
            200, stream=httpx.ByteStream(answers[request.headers["SOAPAction"].strip('"').rsplit("/", 1)[-1]])
        )

    connector, app, _ = add_remote_application(
        office.world,
        office.server,
        office.files["Acme Properties"],
        "http://127.0.0.1:9/qbwc",
        "u",
        "pw",
        network=httpx.MockTransport(respond),
        style=style,
    )
    run_update(office.world, connector, app)
    body = "".join(sent)
    assert all(mark in body for mark in marks), body[:400]
    # Whatever the style, a service reads the same call from it.
    assert [read_call(envelope_text)[0] for envelope_text in sent][:3] == [
        "serverVersion",
        "clientVersion",
        "authenticate",
    ]


@pytest.mark.parametrize(
    "element, value",
    [
        ("style", "Fancy"),
        ("unattended_mode_pref", "umpSometimes"),
        ("personal_data_pref", "pdpMaybe"),
        ("auth_flags", "0x10"),
        ("auth_flags", "lots"),
    ],
)
def test_option_values_outside_the_guide_are_refused(office, element, value):
    path = qwc_with(office, **{element: value})
    with pytest.raises(QWCError, match="QBWC1039"):
        add(office, path)


@pytest.mark.parametrize("status, added", [(200, True), (401, False), (None, False)])
def test_a_cert_url_behind_authentication_or_out_of_reach_is_qbwc1048(office, status, added):
    url = "https://app.stratafolio.com/cert.cer"
    if status is not None:
        office.world.web_pages[url] = status
    path = qwc_with(office, cert_url=url)
    if added:
        assert add(office, path).name
        return
    with pytest.raises(QWCError) as caught:
        add(office, path)
    assert caught.value.code == "QBWC1048"
