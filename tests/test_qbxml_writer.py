"""The qbXML writer writes exactly what ElementTree would, for any names and text (Hypothesis),
and falls back to ElementTree for names it does not write itself."""

from xml.etree.ElementTree import tostring

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.quickbooks.qbxml import (
    BuiltQbxml,
    QbxmlError,
    Request,
    Response,
    _element_request,
    _element_response,
    _parse,
    build_request,
    build_response,
    parse_request,
)

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,12}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30).filter(
    lambda t: all(c in "\t\n\r" or ord(c) >= 32 for c in t)
)
RECORDS = st.lists(
    st.dictionaries(st.one_of(NAMES, st.sampled_from(["CustomerRef", "AppliedTo"])), TEXT, max_size=4), max_size=3
)


@given(
    st.lists(
        st.builds(
            Response,
            name=NAMES.map(lambda n: n + "Rs"),
            request_id=TEXT,
            status_code=st.integers(0, 9999),
            status_severity=TEXT,
            status_message=TEXT,
            records=RECORDS,
            iterator_remaining=st.none() | st.integers(0, 99),
            iterator_id=TEXT,
        ),
        max_size=3,
    )
)
def test_responses_are_written_as_elementtree_writes_them(responses):
    assert build_response(responses) == _element_response(responses)


REQUESTS = st.lists(
    st.builds(
        Request,
        name=st.one_of(NAMES.map(lambda n: n + "QueryRq"), NAMES.map(lambda n: n + "AddRq")),
        request_id=TEXT,
        iterator=TEXT,
        iterator_id=TEXT,
        max_returned=st.none() | st.integers(0, 999),
        fields=st.dictionaries(NAMES, TEXT, max_size=3),
        include=st.lists(TEXT, max_size=2),
        owner_ids=st.lists(TEXT, max_size=2),
    ),
    max_size=3,
)


@given(REQUESTS, TEXT)
def test_requests_are_written_as_elementtree_writes_them(requests, on_error):
    assert build_request(requests, on_error) == _element_request(requests, on_error)


def test_a_name_the_writer_does_not_write_itself_goes_through_elementtree():
    request = Request("CustomerQueryRq", "1", fields={"{urn:x}Name": "Acme"})
    text = build_request([request])
    assert text == _element_request([request], "stopOnError") and "xmlns:ns0" in text
    assert (
        parse_request(build_request([Request("CustomerQueryRq", "2", fields={"Name": "A & B <x>"})]))[0][0].fields[
            "Name"
        ]
        == "A & B <x>"
    )


@given(REQUESTS, TEXT)
def test_what_the_writer_built_reads_the_same_with_the_fast_parser_as_with_the_hardened_one(requests, on_error):
    built = build_request(requests, on_error)
    assert type(built) is BuiltQbxml and type(str(built)) is str and type(built[:]) is str
    trusted, hardened = _parse(built, "request"), _parse(str(built), "request")
    assert tostring(trusted) == tostring(hardened)


def test_text_that_only_looks_built_is_read_hardened():
    bomb = '<?xml version="1.0" ?><!DOCTYPE x [<!ENTITY a "aaaa">]><QBXML><QBXMLMsgsRq>&a;</QBXMLMsgsRq></QBXML>'
    with pytest.raises(QbxmlError, match="refused"):
        parse_request(bomb)
    assert parse_request(BuiltQbxml(bomb.replace("&a;", "")))[0] == []
