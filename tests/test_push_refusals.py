"""Records QuickBooks refuses when STRATAFOLIO pushes them (3140, 3170, 3171, 3180, 3200), and what STRATAFOLIO
does then: notes the refusal, goes on with the other records, sends the refused one again at every sync
(FIELD: InterWeave, AYS Software; STRATAFOLIO's handling assumed)."""

from sim.people.quickbooks_user import AR_REGISTER
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.qbxml import Request
from tests import test_qbxml
from tests.test_qbxml import ask as ask_all

session = test_qbxml.session  # the fixture: an unattended session on the file


def ask(rp, session, request):
    return ask_all(rp, session, request)[0]


def add(customer, date="2026-01-05", amount="100.00"):
    return Request(
        "InvoiceAddRq", "1", fields={"CustomerRef": customer, "TxnDate": date, "RefNumber": "SF-9", "Subtotal": amount}
    )


def test_the_closing_date_refuses_transactions_dated_on_or_before_it(session):
    rp, s = session
    s.company.closing_date = "2025-12-31"
    customer = s.company.records["customers"][0]["Name"]
    refused = ask(rp, s, add(customer, "2025-12-31"))
    assert (refused.status_code, refused.status_severity) == (
        3171,
        "Error",
    ) and "closing date" in refused.status_message
    assert ask(rp, s, add(customer, "2026-01-01")).ok


def test_the_credit_limit_counts_what_the_customer_owes(session):
    rp, s = session
    customer = s.company.records["customers"][0]
    owed = sum(float(i["Subtotal"]) for i in s.company.records["invoices"] if i["CustomerRef"] == customer["Name"])
    owed -= sum(float(p["TotalAmount"]) for p in s.company.records["payments"] if p["CustomerRef"] == customer["Name"])
    customer["CreditLimit"] = f"{owed + 150:.2f}"
    assert ask(rp, s, add(customer["Name"], amount="100.00")).ok
    refused = ask(rp, s, add(customer["Name"], amount="100.00"))
    assert refused.status_code == 3180 and "credit limit" in refused.status_message


def test_an_inactive_customer_is_an_invalid_reference(office, session):
    rp, s = session
    customer = s.company.records["customers"][1]
    customer["IsActive"] = "false"
    assert ask(rp, s, add(customer["Name"])).status_code == 3140
    assert office.world.trace.select("sdk.inactive_reference", customer=customer["Name"])


def test_a_record_in_use_is_3170(office, session):
    rp, s = session
    office.world.open_company_files.lock(s.location, AR_REGISTER, "maria@WS01")
    refused = ask(rp, s, add(s.company.records["customers"][0]["Name"]))
    assert (refused.status_code, refused.status_message) == (3170, "The record is currently in use.")


def test_a_mod_applies_only_to_the_version_it_was_made_on(office, session):
    rp, s = session
    invoice = s.company.records["invoices"][0]
    current = rp._ret("invoices", invoice)["EditSequence"]
    office.world.run(seconds=5)  # (the edit sequence counts seconds: a later edit, a new one)
    changed = ask(
        rp,
        s,
        Request("InvoiceModRq", "1", fields={"TxnID": invoice["TxnID"], "EditSequence": current, "Memo": "corrected"}),
    )
    assert changed.ok and changed.name == "InvoiceModRs" and invoice["Memo"] == "corrected"
    stale = ask(
        rp,
        s,
        Request("InvoiceModRq", "1", fields={"TxnID": invoice["TxnID"], "EditSequence": current, "Memo": "again"}),
    )
    assert (stale.status_code, stale.status_message) == (
        3200,
        "The provided edit sequence is out-of-date.",
    ) and invoice["Memo"] == "corrected"
    # The edited record moved to the end of its list, which stays in TimeModified order.
    assert s.company.records["invoices"][-1] is invoice
    assert s.company.modified_since("invoices", invoice["TimeModified"]) == [invoice]


def test_stratafolio_goes_on_past_a_refused_invoice_and_sends_it_again_at_the_next_sync(linked_office):
    office = linked_office
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    company.closing_date = "2025-12-31"
    company.save(office.server, office.files["Acme Properties"])
    integration = office.integrations["Acme Properties"]
    customer = company.records["customers"][0]["Name"]
    early = integration.create_invoice(customer, "10.00", dated="2025-12-20")
    later = integration.create_invoice(customer, "20.00")
    app = office.apps["Acme Properties"]
    for _ in range(2):
        process = office.web_connector.update_selected([app])
        office.world.run_until_done(process, 60)
        result = process.value[0]
        assert (result.outcome, result.code) == ("failed", "receiveResponseXML") and "3171" in result.message
    assert early.qb_txn_id is None and early.rejection.startswith("3171:")
    assert later.qb_txn_id is not None and not later.rejection
    assert len(office.world.trace.select("stratafolio.push_rejected", ref=early.ref_number)) == 2
    assert integration.ledger.rejected == [early]


def test_an_invoice_a_mod_moves_to_another_customer_counts_for_the_new_customer_only(office, session):
    rp, s = session
    old, new = (c["Name"] for c in s.company.records["customers"][:2])
    invoice = next(i for i in s.company.records["invoices"] if i["CustomerRef"] == old)
    s.company.matching("invoices", "CustomerRef", old)  # the index exists before the mod
    current = rp._ret("invoices", invoice)["EditSequence"]
    office.world.run(seconds=5)
    assert ask(
        rp,
        s,
        Request("InvoiceModRq", "1", fields={"TxnID": invoice["TxnID"], "EditSequence": current, "CustomerRef": new}),
    ).ok
    assert any(r is invoice for r in s.company.matching("invoices", "CustomerRef", new))
    assert not any(r is invoice for r in s.company.matching("invoices", "CustomerRef", old))
    # What the old customer owes no longer counts the invoice: an add within its credit limit goes through.
    owed = sum(float(i["Subtotal"]) for i in s.company.records["invoices"] if i["CustomerRef"] == old)
    owed -= sum(float(p["TotalAmount"]) for p in s.company.records["payments"] if p["CustomerRef"] == old)
    next(c for c in s.company.records["customers"] if c["Name"] == old)["CreditLimit"] = f"{owed + 100:.2f}"
    assert ask(rp, s, add(old, amount="100.00")).ok
