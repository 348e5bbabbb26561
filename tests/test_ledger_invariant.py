"""No lost and no duplicated records, whatever interrupts the syncs in between.

Hypothesis draws a sequence of disruptions (sleep, power cut, a person holding
the Accounts Receivable register, a rename, new STRATAFOLIO invoices, new
QuickBooks transactions) at random moments while Auto-Run syncs every 5 minutes.
Afterwards the office is put right and synced once more; then every record must
be present exactly once on both sides.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.office import build_office
from sim.people.admin import close_quickbooks, rename_company_file
from sim.people.quickbooks_user import AR_REGISTER
from sim.quickbooks.company_file import CompanyFile

ACTIONS = st.sampled_from(
    [
        "sleep",
        "wake",
        "power cut",
        "hold register",
        "release register",
        "rename",
        "rename back",
        "new invoice",
        "person saves",
    ]
)
STEPS = st.lists(st.tuples(st.integers(min_value=1, max_value=600), ACTIONS), min_size=1, max_size=12)


def run_disrupted(seed, steps):
    office = build_office(seed=seed)
    office.link_all()
    world, server = office.world, office.server
    path = office.files["Acme Properties"]
    integration = office.integrations["Acme Properties"]
    office.web_connector.set_auto_run(office.apps["Acme Properties"], True, 5)
    current = path
    for seconds, action in steps:
        world.run(seconds=seconds)
        company = CompanyFile.load(server, current) if server.fs.exists(current) else None
        if action == "sleep":
            server.sleep()
        elif action == "wake":
            server.wake()
        elif action == "power cut":
            server.shut_down()
            world.run(seconds=30)
            server.boot(log_in="Administrator")
        elif action == "hold register" and server.is_on and server.quickbooks.opened is None and company:
            server.quickbooks.open_company_file(current, "maria")
            world.open_company_files.lock(server.quickbooks.opened.location, AR_REGISTER, "maria")
        elif action == "release register" and server.quickbooks.opened is not None:
            close_quickbooks(server)
        elif (
            action == "rename"
            and current == path
            and server.quickbooks.opened is None
            and not server.fs.holders(current)
        ):
            current = rename_company_file(server, current, "Renamed.QBW")
        elif action == "rename back" and current != path and not server.fs.holders(current):
            current = rename_company_file(server, current, "Acme Properties.QBW")
        elif action == "new invoice" and company:
            integration.create_invoice(world.random.choice(company.records["customers"])["Name"], "99.00")
        elif action == "person saves" and server.is_on and server.quickbooks.opened is not None:
            server.quickbooks.enter_transaction(
                "invoices",
                {"RefNumber": "P1", "CustomerRef": company.records["customers"][0]["Name"], "Subtotal": "5.00"},
            )
    # Put the office right and let Auto-Run do its work.
    server.wake()
    if not server.is_on:
        server.boot()
    if server.logged_in is None:
        server.log_in("Administrator")
    close_quickbooks(server)
    if current != path:
        rename_company_file(server, current, "Acme Properties.QBW")
    world.run(minutes=15)
    return office


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=5), steps=STEPS)
def test_every_record_exactly_once_after_any_interruptions(seed, steps):
    office = run_disrupted(seed, steps)
    integration = office.integrations["Acme Properties"]
    assert integration.syncs and integration.syncs[-1][1] == "succeeded", integration.syncs[-3:]
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    assert integration.ledger.problems(company) == []


def test_an_add_whose_answer_was_lost_is_not_pushed_twice():
    """The host sleeps right after QuickBooks saved a pushed invoice, before STRATAFOLIO heard back."""
    office = build_office(seed=3)
    office.link_all()
    world, server = office.world, office.server
    integration = office.integrations["Acme Properties"]
    company = CompanyFile.load(server, office.files["Acme Properties"])
    invoice = integration.create_invoice(company.records["customers"][0]["Name"], "10.00")
    office.web_connector.update_selected("all")
    while (
        not world.trace.select("sdk.session_begun")
        or "SF-00001" not in CompanyFile.load(server, office.files["Acme Properties"]).to_bytes().decode()
    ):
        world.env.step()
    server.sleep()
    assert invoice.qb_txn_id is None  # STRATAFOLIO never heard that the add worked
    world.run(minutes=1)
    server.wake()
    office.web_connector.update_selected("all")
    world.run(minutes=2)
    company = CompanyFile.load(server, office.files["Acme Properties"])
    assert integration.ledger.problems(company) == []
    assert invoice.qb_txn_id is not None


def test_pending_invoices_are_those_quickbooks_has_not_got_whatever_order_they_are_settled_in():
    from sim.stratafolio.ledger import Ledger, StratafolioInvoice

    ledger = Ledger()
    ledger.invoices_created.extend(StratafolioInvoice(f"SF-{n}", "Acme", "10.00") for n in range(4))
    first, second, third, fourth = ledger.invoices_created
    third.qb_txn_id = "3-1"
    assert ledger.pending_invoices == [first, second, fourth]
    first.qb_txn_id = "1-1"
    assert ledger.pending_invoices == [second, fourth]
    second.qb_txn_id = "2-1"
    assert ledger.pending_invoices == [fourth]
    ledger.invoices_created.append(fifth := StratafolioInvoice("SF-5", "Acme", "1.00"))
    assert ledger.pending_invoices == [fourth, fifth]
