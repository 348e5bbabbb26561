"""Fuzzing for cost, not only for crashes: generated inputs must cost time in proportion to their
size (per request, per record, per byte), so an input that makes some loop quadratic fails here.

Each property draws the shape of a large input (which requests, how many, how big the company
file is) and builds it directly, so Hypothesis reaches sizes where a quadratic loop shows (a
name check against every customer per CustomerAdd took 0.4 ms an add in a file of 20,000; the
ledger invariant counted each id with list.count). The bounds are linear with generous
constants, ten times what the code takes on a loaded two-core machine, and far below what a
quadratic loop takes at the sizes drawn.
"""

import gc
import time

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.office import build_office
from sim.quickbooks.company_file import create_company_file
from sim.quickbooks.qbxml import parse_response
from sim.stratafolio.ledger import Ledger, StratafolioInvoice
from tests.test_fuzz_xml_readers import unattended_session

EXISTING = [
    {"ListID": f"{n:X}-1", "Name": f"Existing {n}", "TimeModified": f"2025-{1 + n % 12:02d}-01T00:00:00"}
    for n in range(30_000)
]


def _timed(work):
    """(seconds, result) of `work()`, with the garbage collector paused: a collection that happens to
    fall inside would add the cost of everything else in memory."""
    gc.disable()
    try:
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result
    finally:
        gc.enable()


PROCESSOR, SESSION = unattended_session()
SESSION.company.save = lambda *args, **kwargs: None  # writing the file is the disk's cost, measured elsewhere
BASE_RECORDS = {kind: list(items) for kind, items in SESSION.company.records.items()}

#: What one request of a segment is, given its number in the message.
REQUESTS = {
    "add a new customer": lambda n: (
        f'<CustomerAddRq requestID="{n}"><CustomerAdd><Name>New {n}</Name></CustomerAdd></CustomerAddRq>'
    ),
    "add a customer whose name is taken": lambda n: (
        f'<CustomerAddRq requestID="{n}"><CustomerAdd><Name>EXISTING {n}</Name></CustomerAdd></CustomerAddRq>'
    ),
    "add an invoice for a customer": lambda n: (
        f'<InvoiceAddRq requestID="{n}"><InvoiceAdd><CustomerRef><FullName>Existing '
        f"{n}</FullName></CustomerRef><RefNumber>R{n}</RefNumber></InvoiceAdd></InvoiceAddRq>"
    ),
    "add an invoice for nobody": lambda n: (
        f'<InvoiceAddRq requestID="{n}"><InvoiceAdd><CustomerRef><FullName>Nobody '
        f"{n}</FullName></CustomerRef></InvoiceAdd></InvoiceAddRq>"
    ),
    "find a customer by name": lambda n: (
        f'<CustomerQueryRq requestID="{n}"><FullName>Existing {n}</FullName></CustomerQueryRq>'
    ),
    "find an invoice by number": lambda n: (
        f'<InvoiceQueryRq requestID="{n}"><RefNumber>R{n}</RefNumber></InvoiceQueryRq>'
    ),
    "find by two fields": lambda n: (
        f'<CustomerQueryRq requestID="{n}"><FullName>Existing {n}</FullName><ListID>none</ListID></CustomerQueryRq>'
    ),
    "customers changed since": lambda n: (
        "<CustomerQueryRq "
        f'requestID="{n}"><FromModifiedDate>2025-12-01T00:00:00</FromModifiedDate><MaxReturned>5</MaxReturned></CustomerQueryRq>'
    ),
    "a page of every customer": lambda n: (
        f'<CustomerQueryRq requestID="{n}" iterator="Start"><MaxReturned>3</MaxReturned></CustomerQueryRq>'
    ),
    "every customer": lambda n: f'<CustomerQueryRq requestID="{n}"/>',
}
#: Sizes are drawn from orders of magnitude: Hypothesis prefers small numbers, and a quadratic
#: loop shows only when the file and the message are both large.
SEGMENTS = st.lists(st.tuples(st.sampled_from(sorted(REQUESTS)), st.sampled_from([1, 400])), min_size=1, max_size=3)
FILE_SIZES = st.sampled_from([0, 1_000, len(EXISTING)])


@settings(max_examples=25)
@given(customers=FILE_SIZES, segments=SEGMENTS)
@example(customers=30_000, segments=[("add a new customer", 400)])
@example(customers=30_000, segments=[("add an invoice for nobody", 400)])
@example(customers=30_000, segments=[("customers changed since", 400)])
def test_a_message_costs_time_in_proportion_to_its_requests_the_file_and_the_answer(customers, segments):
    company = SESSION.company
    requests = [REQUESTS[kind](n) for kind, count in segments for n in range(count)]
    text = (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
        + "".join(requests)
        + "</QBXMLMsgsRq></QBXML>"
    )

    def timed() -> tuple[float, str]:
        company.records = {kind: list(items) for kind, items in BASE_RECORDS.items()}
        company.records["customers"] += EXISTING[:customers]
        SESSION.iterators.clear()
        return _timed(lambda: PROCESSOR.process(SESSION, text)[0])

    took, answer = timed()
    answered = sum(len(response.records) for response in parse_response(answer))
    size = sum(len(items) for items in company.records.values())
    # Linear: per request, per record of the file (an index or a pass over it), per record answered.
    bound = 0.1 + 150e-6 * len(requests) + 1.5e-6 * size + 30e-6 * answered
    if took >= bound:  # once more: a busy machine only ever adds time
        took = min(took, timed()[0])
    assert took < bound, (
        f"{took:.3f} s for {len(requests)} requests on {size:,} records answering {answered:,} (bound {bound:.3f} s)"
    )


@settings(max_examples=20)
@given(
    records=st.sampled_from([0, 10, 3_000, 30_000]),
    duplicate_every=st.integers(0, 50),
    created=st.sampled_from([0, 10, 5_000]),
)
@example(records=30_000, duplicate_every=0, created=5_000)
def test_checking_the_ledger_invariant_costs_time_in_proportion_to_the_records(records, duplicate_every, created):
    office = _LEDGER_OFFICE
    company = office["company"]
    ids = [f"{n // 2 if duplicate_every and n % duplicate_every == 0 else n:X}-1" for n in range(records)]
    company.records = {
        "customers": [{"ListID": i, "Name": i} for i in ids],
        "accounts": [],
        "invoices": [{"TxnID": i, "RefNumber": i} for i in ids[:created]],
        "payments": [],
    }
    ledger = Ledger()
    for key in ids[: records // 2]:
        ledger.upsert("customers", {"ListID": key, "Name": key})
    ledger.invoices_created = [StratafolioInvoice(f"{n:X}-1", "c", "1.00") for n in range(created)]
    bound = 0.1 + 5e-6 * (records + created)
    took = _timed(lambda: ledger.problems(company))[0]
    if took >= bound:  # once more: a busy machine only ever adds time
        took = min(took, _timed(lambda: ledger.problems(company))[0])
    assert took < bound, f"{took:.3f} s for {records:,} records and {created:,} invoices (bound {bound:.3f} s)"


def _ledger_office():
    office = build_office(seed=0)
    return {"company": create_company_file(office.world, office.server, r"D:\QBData\Fuzz.QBW", company_name="Fuzz")}


_LEDGER_OFFICE = _ledger_office()
