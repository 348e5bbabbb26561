"""SOAP envelopes both ways, read tolerantly as real services and clients write them."""

import pytest

from sim.webconnector.soap import SoapError, SoapFault, build_call, build_result, read_call, read_result

ENV = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}</soap:Body></soap:Envelope>'


def test_document_literal_round_trip():
    text = build_result("authenticate", ["T1", "none"])
    assert read_result("authenticate", text) == ["T1", "none"]
    assert read_result("receiveResponseXML", build_result("receiveResponseXML", 42)) == 42
    assert read_result("sendRequestXML", build_result("sendRequestXML", "<QBXML/>")) == "<QBXML/>"


def test_extra_wrapper_elements_around_results():
    body = (
        "<authenticateResponse "
        'xmlns="http://developer.intuit.com/"><wrap><authenticateResult><ArrayOfString><string>T</string><string>nvu</string></ArrayOfString></authenticateResult></wrap></authenticateResponse>'
    )
    assert read_result("authenticate", ENV.format(body)) == ["T", "nvu"]


def test_one_element_authenticate_result():
    body = (
        "<authenticateResponse "
        'xmlns="http://developer.intuit.com/"><authenticateResult>T9</authenticateResult></authenticateResponse>'
    )
    assert read_result("authenticate", ENV.format(body)) == ["T9"]


def test_rpc_encoded_arrays_with_xsi_types():
    body = (
        '<ns1:authenticateResponse xmlns:ns1="http://developer.intuit.com/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<authenticateReturn xsi:type="soapenc:Array"><item '
        'xsi:type="xsd:string">T</item><item '
        'xsi:type="xsd:string">NONE</item></authenticateReturn>'
        "</ns1:authenticateResponse>"
    )
    assert read_result("authenticate", ENV.format(body)) == ["T", "NONE"]


def test_fault_and_garbage():
    fault = ENV.format("<soap:Fault><faultcode>soap:Server</faultcode><faultstring>db down</faultstring></soap:Fault>")
    with pytest.raises(SoapFault, match="db down"):
        read_result("authenticate", fault)
    with pytest.raises(SoapError, match="not well-formed"):
        read_result("authenticate", "<html>502 Bad Gateway")
    with pytest.raises(SoapError, match="not a whole number"):
        read_result("receiveResponseXML", build_result("receiveResponseXML", "lots"))


def test_calls_document_literal_rpc_and_positional():
    assert read_call(build_call("authenticate", {"strUserName": "u", "strPassword": "p&q"})) == (
        "authenticate",
        {"strUserName": "u", "strPassword": "p&q"},
    )
    rpc = ENV.format(
        '<ns1:getLastError xmlns:ns1="http://developer.intuit.com/"><ticket '
        'xsi:type="xsd:string" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">T</ticket></ns1:getLastError>'
    )
    assert read_call(rpc) == ("getLastError", {"ticket": "T"})
    positional = ENV.format(
        '<authenticate xmlns="http://developer.intuit.com/"><in0>u</in0><in1>p</in1></authenticate>'
    )
    assert read_call(positional) == ("authenticate", {"strUserName": "u", "strPassword": "p"})


def test_calls_that_are_not_callbacks_or_carry_entities_are_refused():
    with pytest.raises(SoapError, match="not a QBWC callback"):
        read_call(ENV.format("<dropTables/>"))
    with pytest.raises(SoapError, match="entities"):
        read_call('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE soap:Envelope SYSTEM "http://attacker.example/soap.dtd">',
        '<!DOCTYPE soap:Envelope PUBLIC "-//X//DTD S//EN" "file:///etc/passwd">',
    ],
    ids=["system", "public"],
)
def test_an_envelope_with_an_external_document_type_is_refused_both_ways(doctype):
    # SOAP 1.1 section 3 forbids any DTD; one declaring no entity was accepted before.
    call = doctype + ENV.format('<serverVersion xmlns="http://developer.intuit.com/"/>')
    with pytest.raises(SoapError, match="DTDForbidden"):
        read_call(call)
    answer = doctype + ENV.format(
        "<serverVersionResponse "
        'xmlns="http://developer.intuit.com/"><serverVersionResult>1</serverVersionResult></serverVersionResponse>'
    )
    with pytest.raises(SoapError, match="document type declarations"):
        read_result("serverVersion", answer)
