"""QWC files: validation with the Web Connector's QBWC10xx codes, and writing them back."""

import pytest

from sim.errors import QWCError
from sim.webconnector.qwc import QwcFile, read_qwc, write_qwc

GOOD = QwcFile(
    app_name="STRATAFOLIO - Acme",
    app_id="",
    app_url="https://app.stratafolio.com/qbwc/",
    app_description="Sync",
    app_support="https://help.stratafolio.com/",
    user_name="sf-acme-1",
    owner_id="{6B063959-81B0-4D51-8F8D-5BC9C5A5C3D1}",
    file_id="{1A2B3C4D-81B0-4D51-8F8D-5BC9C5A5C3D1}",
    run_every_seconds=300,
)


def qwc_text(**changes):
    values = {**GOOD.__dict__, **changes}
    return write_qwc(QwcFile(**values))


def code_of(text):
    with pytest.raises(QWCError) as caught:
        read_qwc(text, "test.qwc")
    assert str(caught.value).startswith("test.qwc: ")
    return caught.value.code, caught.value.message


def test_round_trip():
    assert read_qwc(write_qwc(GOOD)) == GOOD


def test_run_every_n_seconds_and_first_scheduler_entry_wins():
    text = qwc_text(run_every_seconds=None).replace(
        "</QBWCXML>",
        "<Scheduler><RunEveryNSeconds>90</RunEveryNSeconds><RunEveryNMinutes>5</RunEveryNMinutes></Scheduler></QBWCXML>",
    )
    assert read_qwc(text).run_every_seconds == 90


def test_missing_element():
    text = qwc_text().replace("<UserName>sf-acme-1</UserName>", "")
    assert code_of(text) == ("QBWC1039", "missing required element <UserName>")


def test_bad_guid():
    code, message = code_of(qwc_text(owner_id="6B063959-81B0"))
    assert code == "QBWC1039" and "<OwnerID>" in message and "not a GUID" in message


@pytest.mark.parametrize(
    "version, code", [("2.1.0.30", "QBWC1010"), ("2.3.0.215", "QBWC1051"), ("33.0.0.4", "QBWC1051")]
)
def test_http_is_only_for_localhost_and_newer_builds_say_1051(version, code):
    # PG: QBWC1010; FIELD (quickbooks-js#26): newer builds refuse it as QBWC1051.
    with pytest.raises(QWCError) as caught:
        read_qwc(qwc_text(app_url="http://app.stratafolio.com/qbwc/"), client_version=version)
    assert caught.value.code == code
    assert read_qwc(
        qwc_text(app_url="http://localhost:8000/qbwc", app_support="http://localhost:8000/")
    ).app_url.startswith("http://localhost")


@pytest.mark.parametrize(
    "version, code",
    [
        ("2.3.0.199", "QBWC1010"),  # the last build before the boundary
        ("2.3.0.200", "QBWC1051"),  # the first build at it
        ("2.3.0.36", "QBWC1010"),  # build 36 is below build 200, though "36" sorts after "200" as text
        ("2.3.0.1000", "QBWC1051"),
        ("10.0.0.1", "QBWC1051"),  # a major version of two digits is newer than 2.x
    ],
)
def test_the_qbwc1051_boundary_is_build_2_3_0_200_compared_number_by_number(version, code):
    # Which build started saying QBWC1051 is not public: sim/webconnector/qwc.py assumes 2.3.0.200
    # and later (FIELD: RappidDevelopment/quickbooks-js#26 saw 1051 where the PG names 1010).
    with pytest.raises(QWCError) as caught:
        read_qwc(qwc_text(app_url="http://app.stratafolio.com/qbwc/"), client_version=version)
    assert caught.value.code == code


def test_domains_must_match():
    code, message = code_of(qwc_text(app_support="https://support.example.org/"))
    assert code == "QBWC1000" and "'stratafolio.com'" in message and "'example.org'" in message


def test_ip_addresses_are_refused():
    assert code_of(qwc_text(app_url="https://10.1.2.3/qbwc"))[0] == "QBWC1001"
    assert code_of(qwc_text(app_support="https://10.1.2.3/"))[0] == "QBWC1002"


def test_qbtype_must_be_known():
    assert "QBFS or QBPOS" in code_of(qwc_text(qb_type="QBXX"))[1]


@pytest.mark.parametrize(
    "text, reason",
    [("<QBWCXML><AppName>x", "not well-formed XML"), ("<Other/>", "root element is <Other>"), ("", "not well-formed")],
)
def test_malformed_xml_is_a_clear_error(text, reason):
    assert reason in code_of(text)[1]


def test_entity_expansion_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
        '"&a;&a;&a;&a;">]><QBWCXML><AppName>&b;</AppName></QBWCXML>'
    )
    assert "refused XML" in code_of(bomb)[1]


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://[::1/qbwc", "Invalid IPv6 URL"),
        ("https://app.stratafolio.com:99999/qbwc", "Port out of range"),
        ("https://app.stratafolio.com:x/qbwc", "not a valid URL"),
    ],
)
def test_an_app_url_a_client_could_not_connect_to_is_refused(url, reason):
    code, message = code_of(qwc_text(app_url=url))
    assert code == "QBWC1039" and reason in message and "<AppURL>" in message


def test_a_file_declaring_an_unknown_encoding_is_refused():
    code, message = code_of(b'<?xml version="1.0" encoding="x-evil"?><QBWCXML/>')
    assert code == "QBWC1039" and "unknown encoding: x-evil" in message


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE QBWCXML SYSTEM "http://attacker.example/qwc.dtd">',
        '<!DOCTYPE QBWCXML PUBLIC "-//X//DTD QWC//EN" "file:///etc/passwd">',
        "<!DOCTYPE QBWCXML>",
    ],
    ids=["external system", "external public", "no reference"],
)
def test_a_document_type_declaration_is_refused_even_without_entities(doctype):
    # README says external references are refused; one in a DTD that declared no entity was accepted.
    text = write_qwc(GOOD)
    text = (
        text.replace("<QBWCXML>", doctype + "<QBWCXML>", 1)
        if text.startswith("<QBWCXML>")
        else text.replace("?>", "?>" + doctype, 1)
    )
    code, message = code_of(text)
    assert code == "QBWC1039" and "DTDForbidden" in message and "document type declarations" in message
