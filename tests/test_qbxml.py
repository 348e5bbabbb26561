"""qbXML through the request processor: queries, iterators, adds, status codes, bad XML."""

import pytest

from sim.errors import QuickBooksError
from sim.people.quickbooks_user import AR_REGISTER
from sim.quickbooks.company_file import AccessLevel, CompanyFile
from sim.quickbooks.qbxml import QbxmlError, Request, build_request, parse_request, parse_response

OWNER = "{11111111-2222-3333-4444-555555555555}"
PATH = r"D:\QBData\Company Files\Acme Properties.QBW"


@pytest.fixture
def session(office):
    company = CompanyFile.load(office.server, PATH)
    company.grant("App", OWNER, AccessLevel.ALWAYS, "Admin")
    company.save(office.server, PATH)
    rp = office.server.quickbooks.request_processor
    return rp, rp.begin_session("App", OWNER, PATH)


def ask(rp, session, *requests):
    text, seconds = rp.process(session, build_request(list(requests)))
    assert seconds > 0
    return parse_response(text)


def test_iterator_walks_all_invoices_in_pages(session):
    rp, s = session
    first = ask(rp, s, Request("InvoiceQueryRq", "1", iterator="Start", max_returned=12))[0]
    assert len(first.records) == 12 and first.iterator_remaining == 18
    seen = [r["TxnID"] for r in first.records]
    while True:
        page = ask(
            rp, s, Request("InvoiceQueryRq", "2", iterator="Continue", iterator_id=first.iterator_id, max_returned=12)
        )[0]
        seen += [r["TxnID"] for r in page.records]
        if page.iterator_remaining == 0:
            break
    assert len(seen) == len(set(seen)) == 30


def test_unknown_iterator_is_an_error_status(session):
    rp, s = session
    answer = ask(rp, s, Request("InvoiceQueryRq", "1", iterator="Continue", iterator_id="{nope}"))[0]
    assert answer.status_severity == "Error"


def test_query_without_match_says_so(session):
    rp, s = session
    answer = ask(rp, s, Request("InvoiceQueryRq", "1", fields={"RefNumber": "NOPE"}))[0]
    assert answer.name == "InvoiceQueryRs" and answer.status_code == 1 and answer.records == []


def test_filtered_query_answers_under_its_own_name(session):
    rp, s = session
    number = s.company.records["invoices"][3]["RefNumber"]
    answer = ask(rp, s, Request("InvoiceQueryRq", "1", fields={"RefNumber": number}))[0]
    assert answer.name == "InvoiceQueryRs" and [r["RefNumber"] for r in answer.records] == [number]


def test_add_invoice_is_written_to_the_file(office, session):
    rp, s = session
    customer = s.company.records["customers"][0]["Name"]
    answer = ask(
        rp, s, Request("InvoiceAddRq", "1", fields={"CustomerRef": customer, "RefNumber": "SF-1", "Subtotal": "10.00"})
    )[0]
    assert answer.ok and answer.records[0]["CustomerRef"] == customer
    rp.end_session(s)
    assert CompanyFile.load(office.server, PATH).records["invoices"][-1]["RefNumber"] == "SF-1"


def test_add_with_unknown_customer_and_duplicate_customer(session):
    rp, s = session
    assert ask(rp, s, Request("InvoiceAddRq", "1", fields={"CustomerRef": "Nobody Inc"}))[0].status_code == 3140
    name = s.company.records["customers"][0]["Name"]
    assert ask(rp, s, Request("CustomerAddRq", "1", fields={"Name": name}))[0].status_code == 3100


def test_add_fails_while_a_person_holds_the_register(office, session):
    rp, s = session
    office.world.open_company_files.lock(s.location, AR_REGISTER, "maria@WS01")
    customer = s.company.records["customers"][0]["Name"]
    answer = ask(rp, s, Request("InvoiceAddRq", "1", fields={"CustomerRef": customer}))[0]
    assert answer.status_severity == "Error" and "in use" in answer.status_message
    assert office.world.trace.select("sdk.record_in_use", held_by="maria@WS01")


@pytest.mark.parametrize(
    "bad", ["<QBXML><QBXMLMsgsRq>", "<NotQBXML/>", "", '<!DOCTYPE x [<!ENTITY a "aaaa">]><QBXML>&a;</QBXML>']
)
def test_unreadable_request_is_hresult_0x80040400(session, bad):
    rp, s = session
    with pytest.raises(QuickBooksError) as caught:
        rp.process(s, bad)
    assert caught.value.code == "0x80040400"


def test_request_round_trip():
    text = build_request([Request("InvoiceAddRq", "7", fields={"CustomerRef": "A & B", "RefNumber": "1"})])
    (request,), on_error = parse_request(text)
    assert (
        request.name == "InvoiceAddRq"
        and request.fields == {"CustomerRef": "A & B", "RefNumber": "1"}
        and on_error == "stopOnError"
    )


def test_malformed_response_is_a_clear_error():
    with pytest.raises(QbxmlError, match="not well-formed"):
        parse_response("<QBXML>")
