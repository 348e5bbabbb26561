"""One qbXML message costs the simulated QuickBooks time and memory in proportion to the message,
never to its length times the company file's size, and within stated bounds (sim.quickbooks)."""

import gc
import time

import pytest

from sim.errors import QuickBooksError
from sim.quickbooks import qbxml
from sim.quickbooks import request_processor as rp
from sim.quickbooks.qbxml import parse_response
from tests.test_fuzz_xml_readers import unattended_session


def session(customers: int = 0):
    """A begun unattended session on the default office's company file, with `customers` extra customers."""
    processor, begun = unattended_session()
    begun.company.records["customers"] += [{"ListID": f"{n:X}-1", "Name": f"Existing {n}"} for n in range(customers)]
    return processor, begun


def message(*requests: str, on_error: str = "continueOnError") -> str:
    return (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
        f'onError="{on_error}">{"".join(requests)}</QBXMLMsgsRq></QBXML>'
    )


def customer_add(n: int, name: str = "") -> str:
    return (
        f'<CustomerAddRq requestID="{n}"><CustomerAdd><Name>{name or f"New {n}"}</Name></CustomerAdd></CustomerAddRq>'
    )


def invoice_add(n: int, customer: str) -> str:
    return (
        f'<InvoiceAddRq requestID="{n}"><InvoiceAdd><CustomerRef><FullName>{customer}</FullName></CustomerRef>'
        f"<RefNumber>R{n}</RefNumber><InvoiceLineAdd><Amount>1.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"
    )


def seconds_for(customers: int, requests: list[str]) -> float:
    """The best of two timings of `requests` in one message against a file with `customers` more
    customers (saving the file, once a message and the disk's cost, is left out; so is the garbage
    collector, which would add the cost of everything else in memory)."""
    best = float("inf")
    for _ in range(2):
        processor, begun = session(customers)
        begun.company.save = lambda *args, **kwargs: None
        text = message(*requests)
        gc.disable()
        try:
            started = time.perf_counter()
            processor.process(begun, text)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def test_adding_customers_costs_the_same_per_add_whatever_the_files_size():
    # The name check once compared each add with every customer: 8,000 adds took 2.9 s, 60,000 minutes.
    adds = [customer_add(n) for n in range(2_000)]
    small, large = seconds_for(0, adds), seconds_for(40_000, adds)
    # A scan of 40,000 names per add would make the second run hundreds of times slower; an index
    # costs one pass over the file (a few tens of milliseconds, more on a busy machine).
    assert large < small * 3 + 0.5, (small, large)  # (a scan would take seconds; the margin absorbs a busy machine)


def test_many_adds_in_one_message_cost_linear_time():
    small = seconds_for(0, [customer_add(n) for n in range(1_000)])
    large = seconds_for(0, [customer_add(n) for n in range(8_000)])
    assert large < small * 8 * 2.5, (small, large)  # quadratic would be about 64 times


def test_invoice_adds_find_their_customer_through_the_index_and_see_customers_added_before_them():
    processor, begun = session()
    answer, _ = processor.process(
        begun,
        message(
            customer_add(1, "Fresh Ltd"),
            invoice_add(2, "Fresh Ltd"),
            invoice_add(3, "Nobody"),
            customer_add(4, "FRESH LTD"),
        ),
    )
    codes = [r.status_code for r in parse_response(answer)]
    assert codes == [0, 0, 3140, 3100]  # ok, ok, invalid reference, name in use (case-insensitive)


def test_lookups_by_field_answer_as_a_scan_would():
    processor, begun = session(customers=50)
    answer, _ = processor.process(
        begun,
        message(
            '<CustomerQueryRq requestID="1"><FullName>Existing 7</FullName></CustomerQueryRq>',
            '<CustomerQueryRq requestID="2"><FullName>Existing 7</FullName><ListID>7-1</ListID></CustomerQueryRq>',
            '<CustomerQueryRq requestID="3"><FullName>Existing 7</FullName><ListID>8-1</ListID></CustomerQueryRq>',
            '<CustomerQueryRq requestID="4"><Name>nobody</Name></CustomerQueryRq>',
        ),
    )
    found = parse_response(answer)
    assert [len(r.records) for r in found] == [1, 1, 0, 0]
    assert [r.status_code for r in found] == [0, 0, 1, 1] and found[0].records[0]["ListID"] == "7-1"


def test_a_message_with_more_requests_than_the_bound_is_refused_whole_before_any_is_built():
    processor, begun = session()
    with pytest.raises(QuickBooksError) as refused:
        processor.process(begun, message(*[customer_add(n) for n in range(qbxml.MAX_REQUESTS + 1)]))
    assert refused.value.code == "0x80040400" and f"{qbxml.MAX_REQUESTS:,}" in refused.value.message
    assert not any(c["Name"].startswith("New ") for c in begun.company.records["customers"])


def test_an_answer_stops_growing_at_its_record_bound(monkeypatch):
    monkeypatch.setattr(rp, "MAX_ANSWER_RECORDS", 30)
    processor, begun = session(customers=20)
    answer, _ = processor.process(begun, message(*[f'<CustomerQueryRq requestID="{n}"/>' for n in range(10)]))
    found = parse_response(answer)
    per_query = len(found[0].records)
    answered = [r for r in found if r.ok]
    assert len(answered) * per_query - per_query < 30 <= len(answered) * per_query  # stopped once past the bound
    refused = [r for r in found if not r.ok]
    assert refused and all(
        r.status_code == rp.OVER_LIMIT_STATUS and "30 records in one answer" in r.status_message and not r.records
        for r in refused
    )
    assert processor.world.trace.select("sdk.message_limit")


def test_an_answer_stops_growing_at_its_character_bound(monkeypatch):
    monkeypatch.setattr(rp, "MAX_ANSWER_CHARS", 5_000)
    processor, begun = session(customers=5)
    answer, _ = processor.process(begun, message(*[f'<CustomerQueryRq requestID="{n}"/>' for n in range(200)]))
    found = parse_response(answer)
    assert found[-1].status_code == rp.OVER_LIMIT_STATUS and "5,000 characters" in found[-1].status_message
    assert sum(len(str(v)) for r in found for record in r.records for v in record.values()) < 5_000 + 5_000


def test_filtered_queries_stop_at_the_examined_bound(monkeypatch):
    monkeypatch.setattr(rp, "MAX_EXAMINED_RECORDS", 100)
    processor, begun = session()
    begun.company.records["customers"] += [{"ListID": f"{n}-9", "Name": "Same"} for n in range(40)]
    # Each query finds 40 customers by its first filter, and its second leaves none of them.
    answer, _ = processor.process(
        begun,
        message(
            *[
                f'<CustomerQueryRq requestID="{n}"><Name>Same</Name><ListID>none</ListID></CustomerQueryRq>'
                for n in range(20)
            ]
        ),
    )
    found = parse_response(answer)
    assert any(r.status_code == rp.OVER_LIMIT_STATUS and "examined" in r.status_message for r in found)


def test_paging_keeps_the_iterators_place_and_forgets_the_oldest_past_the_bound(monkeypatch):
    monkeypatch.setattr(rp, "MAX_OPEN_ITERATORS", 3)
    processor, begun = session(customers=10)
    starts = [
        f'<CustomerQueryRq requestID="{n}" iterator="Start"><MaxReturned>4</MaxReturned></CustomerQueryRq>'
        for n in range(4)
    ]
    opened = parse_response(processor.process(begun, message(*starts))[0])
    assert len(begun.iterators) == 3
    first, last = opened[0].iterator_id, opened[-1].iterator_id
    total = opened[-1].iterator_remaining + 4
    pages = []
    while True:
        page = parse_response(
            processor.process(
                begun,
                message(
                    '<CustomerQueryRq requestID="9" iterator="Continue" '
                    f'iteratorID="{last}"><MaxReturned>4</MaxReturned></CustomerQueryRq>'
                ),
            )[0]
        )[0]
        pages.append(page)
        if not page.iterator_remaining:
            break
    assert sum(len(p.records) for p in pages) + 4 == total and last not in begun.iterators
    forgotten = parse_response(
        processor.process(begun, message(f'<CustomerQueryRq requestID="9" iterator="Continue" iteratorID="{first}"/>'))[
            0
        ]
    )[0]
    assert forgotten.status_message == rp.STATUS["unknown iterator"][2]


def test_the_wall_clock_check_is_asked_while_a_long_message_is_processed():
    processor, begun = session()
    asked = []
    processor.wall_clock_check = lambda: asked.append(1)
    processor.process(begun, message(*[customer_add(n) for n in range(rp.CHECK_EVERY * 3)]))
    assert len(asked) == 3
