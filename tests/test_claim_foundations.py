"""The mechanisms the article's claims rest on, each pinned by a test that fails when it is removed
(issue 13 listed each as a mutation the suite let through)."""

import pytest

from sim.errors import PermissionDeniedError
from sim.office import ADMIN_EMAIL, build_office
from sim.people.quickbooks_user import AR_REGISTER
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.qbxml import Request, build_request, parse_response
from sim.windows.network import Location
from tests.test_fuzz_xml_readers import unattended_session


def test_a_deleted_computers_qwc_file_cannot_be_downloaded(linked_office):
    office = linked_office
    integration = office.integrations["Acme Properties"]
    computer = integration.computers[-1]
    office.organization.delete_authorized_computer(ADMIN_EMAIL, integration, computer)
    with pytest.raises(PermissionDeniedError, match="was deleted"):
        office.organization.download_qwc(ADMIN_EMAIL, integration, computer, office.server)


def test_a_register_lock_is_never_granted_over_another_holder(office):
    files = office.world.open_company_files
    where = Location(office.server, office.files["Acme Properties"])
    assert files.lock(where, AR_REGISTER, "maria@WS01")
    assert not files.lock(where, AR_REGISTER, "STRATAFOLIO sync")
    files.unlock(where, AR_REGISTER, "STRATAFOLIO sync")  # only the holder can release it
    assert files.lock_holder(where, AR_REGISTER) == "maria@WS01"


def test_quickbooks_answers_only_what_changed_since_from_modified_date():
    processor, session = unattended_session()
    invoices = session.company.records["invoices"]
    invoices[0]["TimeModified"] = "2030-01-01T00:00:00"
    since = "2029-12-31T00:00:00"
    answer = parse_response(
        processor.process(session, build_request([Request("InvoiceQueryRq", "1", fields={"FromModifiedDate": since})]))[
            0
        ]
    )[0]
    assert [r["TxnID"] for r in answer.records] == [invoices[0]["TxnID"]] and len(invoices) > 1


def _session_seconds(busy_sessions: int) -> float:
    office = build_office(seed=3)
    office.link_all()
    customer = CompanyFile.load(office.server, office.files["Acme Properties"]).records["customers"][0]["Name"]
    for number in range(6):  # (work for QuickBooks in this session: invoices to add)
        office.integrations["Acme Properties"].create_invoice(customer, f"{200 + number}.00")
    office.server.quickbooks.sdk_sessions = busy_sessions  # other integrated applications at work in this QuickBooks
    process = office.web_connector.update_selected(list(office.apps.values()))
    office.world.run_until_done(process, 60)
    result = process.value[0]
    assert result.outcome == "succeeded"
    return result.ended - result.started


def test_an_update_session_goes_slower_while_quickbooks_is_under_load():
    # Each request takes longer by the same factor a person's work does (assumed model).
    assert _session_seconds(busy_sessions=2) > _session_seconds(busy_sessions=0) * 1.1


def test_update_selected_stops_at_an_interrupted_update():
    office = build_office(seed=4, companies=("Acme Properties", "Birch Lane Rentals"))
    office.link_all()
    world = office.world
    mark = len(world.trace)
    process = office.web_connector.update_selected("all")
    world.run(seconds=2)  # the first update is under way
    office.server.sleep()
    world.run(seconds=600)
    assert [r.outcome for r in process.value or []] in ([], ["interrupted"])
    assert len(world.trace.select("update.started", since=mark)) == 1  # the second never started
    office.server.wake()
    world.run(seconds=600)
    assert len(world.trace.select("update.started", since=mark)) == 1  # nor after the computer woke
