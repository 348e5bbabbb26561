"""Fuzzing the readers of outside XML: QWC files, SOAP envelopes, qbXML. Each answers or raises its own error."""

import functools
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from sim.errors import QuickBooksError, QWCError
from sim.office import build_office
from sim.quickbooks.company_file import AccessLevel, CompanyFile
from sim.quickbooks.qbxml import QbxmlError, parse_request, parse_response
from sim.quickbooks.request_processor import DONT_CARE
from sim.webconnector.contract import CALLBACKS
from sim.webconnector.qwc import read_qwc
from sim.webconnector.soap import SoapError, SoapFault, read_call, read_result

OWNER = "{11111111-2222-3333-4444-555555555555}"
TAGS = st.sampled_from(
    [
        "QBWCXML",
        "AppName",
        "AppID",
        "AppURL",
        "AppSupport",
        "UserName",
        "OwnerID",
        "FileID",
        "QBType",
        "Scheduler",
        "RunEveryNMinutes",
        "string",
        "item",
        "x",
    ]
)
TEXTS = st.one_of(
    st.sampled_from(
        [
            "https://[::1/qbwc",
            "https://x.com:99999/q",
            "http://localhost/q",
            "https://10.0.0.1/q",
            "{6B063959-81B0-4D51-8F8D-5BC9C5A5C3D1}",
            "QBFS",
            "-5",
            "abc",
            "&x;",
            "]]>",
        ]
    ),
    st.text(max_size=40),
)


@st.composite
def xml_trees(draw, tags=TAGS, depth=0):
    tag = draw(tags)
    if depth > 3 or draw(st.booleans()):
        return f"<{tag}>{_escape(draw(TEXTS))}</{tag}>"
    children = draw(st.lists(xml_trees(tags=tags, depth=depth + 1), max_size=4))
    return f"<{tag}>{''.join(children)}</{tag}>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


URLS = st.one_of(
    st.sampled_from(
        [
            "https://[::1/qbwc",
            "https://x.example.com:99999/q",
            "https://x.example.com:-1/q",
            "http://[::1]:8080/q",
            "https://10.0.0.1/q",
            "http://app.example.com/q",
            "https://other.org/",
        ]
    ),
    st.builds(
        "{}://{}{}/{}".format,
        st.sampled_from(["https", "http", "ftp", ""]),
        st.text(max_size=12),
        st.sampled_from(["", ":443", ":0", ":70000", ":x"]),
        st.text(max_size=8),
    ),
)
PROLOGS = st.sampled_from(
    [
        "",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="x-evil"?>',
        '<?xml version="1.0" encoding="utf-16"?>',
        '<!DOCTYPE r [<!ENTITY x "y">]>',
    ]
)
DOCUMENTS = st.one_of(
    st.builds(lambda p, t: p + t, PROLOGS, xml_trees()),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


GUID = "{6B063959-81B0-4D51-8F8D-5BC9C5A5C3D1}"
VALID_QWC = {
    "AppName": "App",
    "AppID": "",
    "AppURL": "https://app.example.com/qbwc",
    "AppDescription": "d",
    "AppSupport": "https://example.com/",
    "UserName": "u",
    "OwnerID": GUID,
    "FileID": GUID,
    "QBType": "QBFS",
}


@st.composite
def qwc_files(draw):
    """A QWC file that is right but for a few elements: the hostile values reach the checks behind the parser."""
    elements = dict(VALID_QWC)
    for name in draw(
        st.lists(
            st.sampled_from(["AppURL", "AppSupport", "AppURL", "OwnerID", "QBType", "AppName"]), min_size=1, max_size=3
        )
    ):
        if draw(st.integers(0, 5)):
            elements[name] = draw(URLS if name.startswith("App") else TEXTS)
        else:
            elements.pop(name, None)
    body = "".join(f"<{name}>{_escape(value)}</{name}>" for name, value in elements.items())
    if draw(st.booleans()):
        body += (
            "<Scheduler>"
            f"<{draw(st.sampled_from(['RunEveryNMinutes', 'RunEveryNSeconds', 'Other']))}>"
            f"{_escape(draw(TEXTS))}</Scheduler>"
        )
    return draw(PROLOGS) + f"<QBWCXML>{body}</QBWCXML>"


@given(st.one_of(qwc_files(), DOCUMENTS))
def test_a_qwc_file_is_read_or_refused_with_a_qbwc_code(text):
    try:
        qwc = read_qwc(text)
    except QWCError as error:
        assert error.code.startswith("QBWC") and "\n" not in error.message
    else:
        assert qwc.app_name and qwc.qb_type in ("QBFS", "QBPOS")
        urlsplit(qwc.app_url).port  # noqa: B018 - an accepted AppURL is one a client can connect to


@given(st.one_of(DOCUMENTS.map(str.encode), st.binary(max_size=300)))
def test_a_qwc_file_as_bytes_is_read_or_refused(data):
    try:
        read_qwc(data)
    except QWCError:
        pass


def envelope(body: str) -> str:
    return (
        "<soap:Envelope "
        f'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{body}</soap:Body></soap:Envelope>'
    )


ENVELOPES = st.one_of(
    DOCUMENTS,
    st.builds(
        lambda method, tree: envelope(
            f"<{method}Response "
            f'xmlns="http://developer.intuit.com/"><{method}Result>{tree}</{method}Result></{method}Response>'
        ),
        st.sampled_from(sorted(CALLBACKS)),
        xml_trees(),
    ),
    st.builds(
        lambda method, tree: envelope(f'<{method} xmlns="http://developer.intuit.com/">{tree}</{method}>'),
        st.sampled_from(sorted(CALLBACKS) + ["nope"]),
        xml_trees(),
    ),
    st.builds(
        lambda text: envelope(
            f"<soap:Fault><faultcode>x</faultcode><faultstring>{_escape(text)}</faultstring></soap:Fault>"
        ),
        st.text(max_size=40),
    ),
    st.integers(1, 3000).map(
        lambda depth: envelope(
            "<authenticateResponse><authenticateResult>"
            + "<w>" * depth
            + "<string>T</string>"
            + "</w>" * depth
            + "</authenticateResult></authenticateResponse>"
        )
    ),
)


@given(st.sampled_from(sorted(CALLBACKS)), ENVELOPES)
def test_a_service_answer_is_read_or_refused_with_a_soap_error(method, text):
    try:
        result = read_result(method, text)
    except (SoapError, SoapFault):
        return
    expected = {"authenticate": list, "receiveResponseXML": int}.get(method, str)
    assert isinstance(result, expected)


@given(ENVELOPES)
def test_a_call_to_the_service_is_read_or_refused_with_a_soap_error(text):
    try:
        method, arguments = read_call(text)
    except SoapError:
        return
    assert method in CALLBACKS and tuple(arguments) == CALLBACKS[method]


def _defused_tree(text):
    """The oracle: what defusedxml's parser reads with forbid_dtd (a document type declaration, and
    with it any entity or external reference, refused: SOAP 1.1 section 3 forbids them)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        return ("refused", type(error).__name__)
    except (ParseError, LookupError, ValueError):
        return ("unreadable",)
    return _shape(root)


def _shape(root):
    """Every element, depth first, with its depth, text, attributes and tail (no recursion: trees nest thousands
    deep)."""
    found, stack = [], [(root, 0)]
    while stack:
        element, depth = stack.pop()
        found.append((depth, element.tag, element.text or "", dict(element.attrib), element.tail or ""))
        stack.extend((child, depth + 1) for child in reversed(list(element)))
    return found


ENTITY_ATTACKS = st.sampled_from(
    [
        '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>&b;</x></soap:Body></soap:Envelope>',
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.com/evil.dtd"> %p;]><r/>',
        '<!DOCTYPE r [<!ENTITY u SYSTEM "x" NDATA gif>]><r/>',
        '<!DOCTYPE r SYSTEM "http://example.com/evil.dtd"><r>&x;</r>',
        "<!DOCTYPE r><r>plain</r>",
    ]
)


@given(st.one_of(ENVELOPES, ENTITY_ATTACKS, ENVELOPES.map(lambda text: text.encode("utf-8"))))
def test_the_envelope_reader_reads_what_defusedxml_reads_and_refuses_what_it_refuses(text):
    from sim.webconnector import soap

    expected = _defused_tree(text)
    try:
        builder_root = _read_root(soap, text)
    except SoapError as error:
        if expected[0] == "refused":
            assert f"refused: {expected[1]} " in str(error)
        else:
            assert expected == ("unreadable",) or "Body" in str(error) or "root element" in str(error)
        return
    assert _shape(builder_root) == expected


def _read_root(soap, text):
    """The whole tree the SOAP reader builds (its parser, before it looks for a Body)."""
    seen = {}
    original = soap.TreeBuilder

    class Keeping(original):
        def close(self):
            seen["root"] = super().close()
            return seen["root"]

    soap.TreeBuilder = Keeping
    try:
        try:
            soap._parse(text, "answer")
        except SoapError:
            if "root" not in seen:
                raise
        return seen["root"]
    finally:
        soap.TreeBuilder = original


QBXML_TAGS = st.sampled_from(
    [
        "QBXML",
        "QBXMLMsgsRq",
        "QBXMLMsgsRs",
        "CustomerQueryRq",
        "InvoiceAddRq",
        "InvoiceAdd",
        "InvoiceLineAdd",
        "Amount",
        "MaxReturned",
        "CustomerRef",
        "FullName",
        "CustomerQueryRs",
        "CustomerRet",
        "x",
    ]
)
QBXML = st.one_of(
    xml_trees(tags=QBXML_TAGS),
    st.integers(1, 5000).map(
        lambda depth: (
            "<QBXML><QBXMLMsgsRq><CustomerQueryRq>"
            + "<a>" * depth
            + "</a>" * depth
            + "</CustomerQueryRq></QBXMLMsgsRq></QBXML>"
        )
    ),
    st.text(max_size=100).map(
        lambda amount: (
            "<QBXML><QBXMLMsgsRq><InvoiceAddRq><InvoiceAdd><InvoiceLineAdd><Amount>"
            f"{_escape(amount)}</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"
            "</QBXMLMsgsRq></QBXML>"
        )
    ),
    DOCUMENTS,
)


@given(QBXML)
def test_a_qbxml_request_is_read_or_refused_with_a_qbxml_error(text):
    try:
        parse_request(text)
    except QbxmlError as error:
        assert "\n" not in str(error)


@given(QBXML)
def test_a_qbxml_response_is_read_or_refused_with_a_qbxml_error(text):
    try:
        parse_response(text)
    except QbxmlError:
        pass


def unattended_session():
    """An unattended SDK session on a new default office's file, its access granted "always"."""
    office = build_office(seed=5)
    path = office.files["Acme Properties"]
    company = CompanyFile.load(office.server, path)
    company.grant("Fuzz", OWNER, AccessLevel.ALWAYS, "Admin")
    company.save(office.server, path)
    processor = office.server.quickbooks.request_processor
    return processor, processor.begin_session("Fuzz", OWNER, path, DONT_CARE, False)


request_processor_session = functools.cache(unattended_session)  # one, shared by the examples


@given(QBXML)
def test_quickbooks_answers_any_request_or_fails_with_an_hresult(text):
    processor, session = request_processor_session()
    try:
        response, seconds = processor.process(session, text)
    except QuickBooksError as error:
        assert error.code.startswith("0x8004")
    else:
        assert response.startswith("<?xml") and seconds >= 0
