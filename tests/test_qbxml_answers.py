"""QuickBooks answers queries with the OSR's base fields in OSR order, and honours IncludeRetElement."""

import pytest

from sim.quickbooks.qbxml import RET_FIELDS, Request, build_request, parse_request, parse_response
from tests.test_fuzz_xml_readers import unattended_session


@pytest.fixture
def session():
    return unattended_session()


def ask(session, request):
    rp, sdk = session
    response, _ = rp.process(sdk, build_request([request]))
    return response, parse_response(response)[0]


@pytest.mark.parametrize(
    "query, ret",
    [
        ("CustomerQueryRq", "Customer"),
        ("AccountQueryRq", "Account"),
        ("InvoiceQueryRq", "Invoice"),
        ("ReceivePaymentQueryRq", "ReceivePayment"),
    ],
)
def test_every_record_carries_the_base_fields_in_osr_order(session, query, ret):
    text, answer = ask(session, Request(query, "1", max_returned=3))
    assert answer.records
    for record in answer.records:
        base = [name for name in RET_FIELDS[ret][:4]]
        assert list(record)[:4] == base  # ListID/TxnID, TimeCreated, TimeModified, EditSequence
        assert record["EditSequence"].isdigit()
    element = text.split(f"<{ret}Ret>")[1].split(f"</{ret}Ret>")[0]
    positions = [element.find(f"<{name}>") for name in RET_FIELDS[ret] if f"<{name}>" in element]
    assert positions == sorted(positions), "elements come in the OSR's order"


def test_lists_carry_full_name_and_is_active(session):
    _, answer = ask(session, Request("CustomerQueryRq", "1", max_returned=1))
    record = answer.records[0]
    assert record["FullName"] == record["Name"] and record["IsActive"] == "true"


def test_transactions_carry_a_txn_number_from_the_file(session):
    _, answer = ask(session, Request("InvoiceQueryRq", "1", max_returned=2))
    numbers = [int(r["TxnNumber"]) for r in answer.records]
    assert all(n > 0 for n in numbers) and len(set(numbers)) == 2


def test_include_ret_element_limits_the_answer(session):
    _, answer = ask(session, Request("CustomerQueryRq", "1", max_returned=2, include=["ListID", "FullName"]))
    assert [list(r) for r in answer.records] == [["ListID", "FullName"], ["ListID", "FullName"]]


def test_include_ret_element_and_owner_id_survive_the_round_trip():
    [request], _ = parse_request(
        build_request([Request("CustomerQueryRq", "1", include=["ListID", "Name"], owner_ids=["0"])])
    )
    assert (
        request.include == ["ListID", "Name"]
        and request.owner_ids == ["0"]
        and "IncludeRetElement" not in request.fields
    )
