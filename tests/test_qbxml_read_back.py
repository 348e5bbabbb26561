"""A message the builders wrote reads back, without a parser, exactly as a parser reads it:
Hypothesis draws requests and responses with every kind of name and text (special element
names, carriage returns, characters XML cannot hold, numbers as values)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.quickbooks.qbxml import (
    QbxmlError,
    Request,
    Response,
    _parse_request,
    _parse_response,
    build_request,
    build_response,
)

SPECIAL = st.sampled_from(
    [
        "CustomerRef",
        "AppliedTo",
        "AccountRef",
        "InvoiceLineAdd",
        "IncludeRetElement",
        "OwnerID",
        "MaxReturned",
        "AppliedToTxnAdd",
    ]
)
PLAIN_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,10}", fullmatch=True)
SAFE_ALPHABET = "ab Z.&<>\"'\t\n"
SAFE_TEXT = st.text(st.sampled_from(list(SAFE_ALPHABET)), max_size=8)
CARRIAGE_RETURNS = st.builds(
    lambda before, after: before + "\r" + after,
    st.text("ab", min_size=1, max_size=3),
    st.text("ab\n", min_size=1, max_size=3),
)
HOSTILE_TEXT = st.text(" \t\r\n&<>abc\x01\x7f\ud800\ufffe\u2028", min_size=1, max_size=8)


def messages(text, keys):
    """Requests (with the onError text) and responses whose every text comes from `text` and
    every field name from `keys`: each kind of trouble is drawn on its own, so a message
    carries one kind at a time and the rest of it reads back."""
    values = st.one_of(text, text, st.floats(allow_nan=False, allow_infinity=False), st.integers())
    query = st.builds(
        Request,
        name=PLAIN_NAMES.map(lambda n: n + "QueryRq"),
        request_id=text,
        iterator=text,
        iterator_id=text,
        max_returned=st.none() | st.integers(-5, 999),
        fields=st.dictionaries(keys, text, max_size=4),
        include=st.lists(text, max_size=2),
        owner_ids=st.lists(text, max_size=2),
    )
    add = st.builds(
        Request,
        name=PLAIN_NAMES.map(lambda n: n + "AddRq"),
        request_id=text,
        fields=st.dictionaries(keys, values, max_size=4),
    )
    odd = st.builds(
        Request, name=st.one_of(PLAIN_NAMES, SPECIAL), request_id=text, fields=st.dictionaries(keys, values, max_size=2)
    )
    response = st.builds(
        Response,
        name=PLAIN_NAMES.map(lambda n: n + "Rs"),
        request_id=text,
        status_code=st.integers(-1, 9999),
        status_severity=text,
        status_message=text,
        records=st.lists(st.dictionaries(keys, values, max_size=4), max_size=3),
        iterator_remaining=st.none() | st.integers(0, 99),
        iterator_id=text,
    )
    return st.tuples(st.lists(st.one_of(query, add, odd), max_size=2), text), st.lists(response, max_size=2)


KINDS = [
    messages(SAFE_TEXT, PLAIN_NAMES),
    messages(SAFE_TEXT, st.one_of(PLAIN_NAMES, SPECIAL)),
    messages(st.one_of(SAFE_TEXT, SAFE_TEXT, CARRIAGE_RETURNS), PLAIN_NAMES),
    messages(st.one_of(SAFE_TEXT, HOSTILE_TEXT), st.one_of(PLAIN_NAMES, SPECIAL)),
]
REQUESTS = st.one_of(*(requests for requests, _ in KINDS))
RESPONSES = st.one_of(*(responses for _, responses in KINDS))


def read(parse, text):
    try:
        return parse(str(text))  # a plain str: read by a parser
    except (QbxmlError, TypeError, ValueError) as error:
        return error


def plain(texts, keys) -> bool:
    """Text without carriage returns or characters XML cannot hold, and no element names
    the reader treats specially: what must be read back without a parser."""
    special = {
        "CustomerRef",
        "AppliedTo",
        "AccountRef",
        "InvoiceLineAdd",
        "IncludeRetElement",
        "OwnerID",
        "MaxReturned",
    }
    return all(set(str(text)) <= set(SAFE_ALPHABET + "0123456789-+e") for text in texts) and not any(
        key.startswith("AppliedToTxn") or key in special for key in keys
    )


@settings(max_examples=500, database=None)
@given(REQUESTS)
def test_a_built_request_reads_back_as_a_parser_reads_it(message):
    requests, on_error = message
    try:
        built = build_request(requests, on_error)
    except (TypeError, ValueError):
        return  # values the writer cannot write are not read back either
    if built.read_back is not None:
        assert built.read_back == read(_parse_request, built)
    texts = [on_error] + [
        t
        for r in requests
        for t in (r.request_id, r.iterator, r.iterator_id, *r.fields.values(), *r.include, *r.owner_ids)
    ]
    if plain(texts, [k for r in requests for k in r.fields]) and all(r.name.endswith("Rq") for r in requests):
        assert built.read_back is not None


@settings(max_examples=500, database=None)
@given(RESPONSES)
def test_a_built_response_reads_back_as_a_parser_reads_it(responses):
    try:
        built = build_response(responses)
    except (TypeError, ValueError):
        return
    if built.read_back is not None:
        assert built.read_back == read(_parse_response, built)
    texts = [
        t
        for r in responses
        for t in (
            r.request_id,
            r.status_severity,
            r.status_message,
            r.iterator_id,
            *(v for record in r.records for v in record.values()),
        )
    ]
    if plain(texts, [k for r in responses for record in r.records for k in record]):
        assert built.read_back is not None


def test_the_messages_of_an_update_session_read_back_without_a_parser():
    query = build_request(
        [
            Request(
                "InvoiceQueryRq",
                "1",
                iterator="Start",
                max_returned=10,
                fields={"FromModifiedDate": "2026-01-05T07:00:00"},
            )
        ]
    )
    add = build_request(
        [Request("InvoiceAddRq", "2", fields={"CustomerRef": "Acme & Sons", "RefNumber": "7", "Subtotal": 12.5})]
    )
    answer = build_response(
        [
            Response(
                "InvoiceQueryRs",
                "1",
                records=[{"TxnID": "1-1", "CustomerRef": " Acme "}],
                iterator_remaining=0,
                iterator_id="{x}",
            )
        ]
    )
    for built, parse in ((query, _parse_request), (add, _parse_request), (answer, _parse_response)):
        assert built.read_back is not None and built.read_back == parse(str(built))


def test_text_a_parser_would_change_is_read_by_the_parser():
    assert build_request([Request("CustomerQueryRq", "1", fields={"Name": "two\rlines"})]).read_back is None
    assert build_response([Response("CustomerQueryRs", "1", records=[{"Name": "bell\x07"}])]).read_back is None
