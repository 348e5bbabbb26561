"""Fuzzing `wcsim sync`'s side of the wire: whatever a service answers, the session ends with one readable outcome."""

import httpx
from hypothesis import given
from hypothesis import strategies as st

from sim.office import build_office
from sim.webconnector.contract import CALLBACKS
from sim.webconnector.update_session import UpdateResult
from sim.wire_commands import add_remote_application, run_update
from tests.hostile_service import INVOICE_ADD, ORDINARY, envelope, fault, strings
from tests.test_fuzz_xml_readers import DOCUMENTS, xml_trees

PASSWORD = "fuzz-Kq3xWz81vT"


def answer(status: int, body: bytes, kind: str = "text/xml") -> httpx.Response:
    """A response as the network delivers it: a stream the transport reads chunk by chunk."""
    return httpx.Response(status, stream=httpx.ByteStream(body), headers={"Content-Type": kind})


NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "   ",
            "none",
            "NVU",
            "busy",
            r"D:\QBData\Acme Properties.QBW",
            "C:\\nope\\x.QBW",
            "\n\noutcome: succeeded",
            "-1",
            "100",
            "NoOp",
            "E:stop",
            "O:99",
            "W:careful",
        ]
    ),
)

ANSWERS = st.one_of(
    NASTY_TEXT.map(lambda text: (200, "text/xml", envelope("x", text))),
    st.builds(
        lambda method, text: (200, "text/xml", envelope(method, text)), st.sampled_from(sorted(CALLBACKS)), NASTY_TEXT
    ),
    st.lists(NASTY_TEXT, max_size=6).map(lambda items: (200, "text/xml", envelope("authenticate", strings(*items)))),
    st.just((200, "text/xml", envelope("sendRequestXML", INVOICE_ADD.replace("<", "&lt;")))),
    NASTY_TEXT.map(lambda text: (500, "text/xml", fault(text))),
    DOCUMENTS.map(lambda text: (200, "text/xml", text.encode("utf-8", "surrogatepass"))),
    xml_trees().map(lambda tree: (200, "text/xml", envelope("authenticate", tree))),
    st.sampled_from(
        [(302, "text/plain", b""), (502, "text/html", b"<html>bad gateway</html>"), (200, "text/xml", b"")]
    ),
)


QUERY = (
    '<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq '
    'requestID="1"><MaxReturned>5</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>'
)
WELL_BEHAVED = {
    **{method: (200, "text/xml", body) for method, body in ORDINARY.items()},
    "authenticate": (200, "text/xml", envelope("authenticate", strings("T1", ""))),
    "sendRequestXML": (200, "text/xml", envelope("sendRequestXML", QUERY.replace("<", "&lt;"))),
    "receiveResponseXML": (200, "text/xml", envelope("receiveResponseXML", "100")),
}


@st.composite
def services(draw):
    """A service that behaves except in one to three callbacks, so the misbehaviour is reached."""
    answers = dict(WELL_BEHAVED)
    for method in draw(st.lists(st.sampled_from(sorted(CALLBACKS)), min_size=1, max_size=3, unique=True)):
        answers[method] = draw(ANSWERS)
    return answers


@given(services())
def test_whatever_the_service_answers_the_session_ends_with_one_readable_outcome(answers):
    def respond(request: httpx.Request) -> httpx.Response:
        method = request.headers["SOAPAction"].strip('"').rsplit("/", 1)[-1]
        status, kind, body = answers[method]
        return answer(status, body, kind)

    office = build_office(seed=0)
    connector, app, transport = add_remote_application(
        office.world,
        office.server,
        office.files["Acme Properties"],
        "http://127.0.0.1:9/qbwc",
        "u",
        PASSWORD,
        timeout=5,
        network=httpx.MockTransport(respond),
    )
    result = run_update(office.world, connector, app)
    assert isinstance(result, UpdateResult)
    assert result.outcome in ("succeeded", "no work", "busy", "failed")
    assert "\n" not in result.message and "\r" not in result.message
    shown = "\n".join(transport.transcript) + office.server.qwc_log.text()
    assert PASSWORD not in shown
    assert all("\n" not in line for line in transport.transcript)


def test_the_mock_network_the_fuzz_talks_to_carries_a_whole_session():
    answers = {
        "serverVersion": envelope("serverVersion", "mock 1"),
        "clientVersion": envelope("clientVersion", ""),
        "authenticate": envelope("authenticate", strings("T1", "none")),
        "closeConnection": envelope("closeConnection", "bye"),
    }
    network = httpx.MockTransport(
        lambda request: answer(200, answers[request.headers["SOAPAction"].strip('"').rsplit("/", 1)[-1]])
    )
    office = build_office(seed=0)
    connector, app, transport = add_remote_application(
        office.world,
        office.server,
        office.files["Acme Properties"],
        "http://127.0.0.1:9/qbwc",
        "u",
        PASSWORD,
        network=network,
    )
    assert run_update(office.world, connector, app).outcome == "no work"
    assert transport.transcript[0] == "-> serverVersion()" and transport.transcript[1] == "<- serverVersion: mock 1"
