"""STRATAFOLIO: roles, authorized computers, QWC downloads, the service's sync."""

import pytest

from sim.errors import PermissionDeniedError
from sim.office import ADMIN_EMAIL
from sim.stratafolio.service import SERVICE_URL
from sim.webconnector.qwc import read_qwc


def test_non_admin_cannot_authorize_delete_or_download(office):
    organization, integration = office.organization, office.integrations["Acme Properties"]
    organization.add_member("clerk@example.com")
    with pytest.raises(PermissionDeniedError, match="not an Administrator"):
        organization.authorize_computer("clerk@example.com", integration, "FILESRV")
    computer = organization.authorize_computer(ADMIN_EMAIL, integration, "FILESRV")
    with pytest.raises(PermissionDeniedError):
        organization.delete_authorized_computer("clerk@example.com", integration, computer)
    with pytest.raises(PermissionDeniedError):
        organization.download_qwc("clerk@example.com", integration, computer, office.server)
    with pytest.raises(PermissionDeniedError, match="not a member"):
        organization.authorize_computer("stranger@example.com", integration, "FILESRV")


def test_downloaded_qwc_is_valid_and_names_the_computer(office):
    organization, integration = office.organization, office.integrations["Acme Properties"]
    computer = organization.authorize_computer(ADMIN_EMAIL, integration, "FILESRV")
    path = organization.download_qwc(ADMIN_EMAIL, integration, computer, office.server)
    assert path.startswith("C:\\Users\\Administrator\\Downloads\\")
    qwc = read_qwc(office.server.fs.read_bytes(path))
    assert (qwc.user_name, qwc.owner_id, qwc.file_id, qwc.app_url) == (
        computer.user_name,
        computer.owner_id,
        computer.file_id,
        SERVICE_URL,
    )


def test_each_authorized_computer_gets_new_ids(office):
    organization, integration = office.organization, office.integrations["Acme Properties"]
    first = organization.authorize_computer(ADMIN_EMAIL, integration, "FILESRV")
    second = organization.authorize_computer(ADMIN_EMAIL, integration, "FILESRV")
    assert first.file_id != second.file_id and first.user_name != second.user_name


def test_deleted_computer_cannot_log_in(linked_office):
    organization, integration = linked_office.organization, linked_office.integrations["Acme Properties"]
    organization.delete_authorized_computer(ADMIN_EMAIL, integration, integration.computers[0])
    process = linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=2)
    assert process.value[0].code == "QBWC1040"
    assert linked_office.world.trace.select("stratafolio.login_refused", reason="authorized computer deleted")


def test_a_sync_pulls_everything_then_only_changes(linked_office):
    integration = linked_office.integrations["Acme Properties"]
    service = linked_office.world.stratafolio
    requests = []
    original = service.sendRequestXML

    def spy(**arguments):
        request = original(**arguments)
        requests.append(request)
        return request

    # Linking ran the first sync (with the file open): it pulled everything, with no date filter.
    assert integration.ledger.count() == {"customers": 12, "invoices": 30, "payments": 15, "accounts": 4}
    assert linked_office.world.trace.select("admin.first_sync", outcome="succeeded")
    service.sendRequestXML = spy
    first = len(requests)
    pulled = set(integration.pulled_since.values())  # when the first sync began (after adding the application)
    assert len(pulled) == 1 and next(iter(pulled)).startswith("2026-01-05T07:0")
    linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=2)
    second = requests[first:]
    assert integration.syncs[-1][1] == "succeeded"
    starts = [r for r in second if 'iterator="Start"' in r]
    # Each kind is asked again only for what changed since the last complete pull
    # (inclusive of that second, so records saved in the same second are not missed).
    assert len(starts) == 4 and all(f"<FromModifiedDate>{next(iter(pulled))}</FromModifiedDate>" in r for r in starts)


def test_invoices_made_in_stratafolio_reach_quickbooks_once(linked_office):
    from sim.quickbooks.company_file import CompanyFile

    integration = linked_office.integrations["Acme Properties"]
    company = CompanyFile.load(linked_office.server, linked_office.files["Acme Properties"])
    invoice = integration.create_invoice(company.records["customers"][0]["Name"], "250.00")
    for _ in range(2):
        linked_office.web_connector.update_selected("all")
        linked_office.world.run(minutes=2)
    company = CompanyFile.load(linked_office.server, linked_office.files["Acme Properties"])
    assert [i["RefNumber"] for i in company.records["invoices"]].count(invoice.ref_number) == 1
    assert integration.ledger.problems(company) == []


def test_noop_while_stratafolio_prepares(linked_office):
    integration = linked_office.integrations["Acme Properties"]
    integration.preparing_polls = 2
    process = linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=2)
    assert process.value[0].outcome == "succeeded"
    assert linked_office.server.qwc_log.text().count('<getLastErrorRet="NoOp">') == 2


def test_connection_error_is_retried_twice_then_done_each_try_connecting_twice(linked_office):
    from sim.people.admin import rename_company_file

    rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Other.QBW")
    linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=2)
    # Three attempts (the first, then two retries the service asks for), and QBWC connects
    # twice on each attempt before it reports the failure (PG appendix A).
    assert len(linked_office.world.trace.select("sdk.begin_session_failed")) == 3 * 2
    assert linked_office.server.qwc_log.text().count("*** Calling connectionError()") == 3


def test_stratafolio_answers_server_version_and_close_connection_as_real_services_do(linked_office):
    # FIELD (tests/data/real_qwclog): serverVersionRet "3.0.2.0", "1.0", "0.0.0"; ccResponse "Complete!".
    import re

    linked_office.web_connector.update_selected([linked_office.apps["Acme Properties"]])
    linked_office.world.run(minutes=5)
    log = linked_office.server.qwc_log.text()
    [version] = set(re.findall(r'serverVersionRet="([^"]*)"', log))
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", version) and version != "1.0.0.0"
    closing = re.findall(r'ccResponse="([^"]*)"', log)
    assert closing and set(closing) == {"OK"}
    assert "Sync complete" not in log and "simulated" not in log.lower()
