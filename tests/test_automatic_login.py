"""Automatic login, as vendors document it: bound to the "login as" user's settings and to the QuickBooks release
it was saved under, refused to an expired certificate until the Admin allows it, granted only by the Admin in
single-user mode (tests/data/vendor_pages/)."""

import pytest

from sim.errors import QuickBooksError
from sim.people.admin import close_quickbooks, open_as_admin_single_user
from sim.quickbooks.company_file import AccessLevel, CompanyFile
from sim.quickbooks.request_processor import AppOptions

PATH = r"D:\QBData\Company Files\Acme Properties.QBW"
ADMIN_APP, SYNC_APP = "{11111111-2222-3333-4444-555555555555}", "{66666666-7777-8888-9999-000000000000}"


def company(office):
    return CompanyFile.load(office.server, PATH)


def grant_both(office):
    """Two applications: one logs in as Admin, the other as "sync"."""
    file = company(office)
    file.add_user("sync", "s1")
    file.grant(
        "Admin App", ADMIN_APP, AccessLevel.ALWAYS, "Admin"
    ).auto_login_release = office.server.quickbooks.release
    file.grant("Sync App", SYNC_APP, AccessLevel.ALWAYS, "sync").auto_login_release = office.server.quickbooks.release
    file.save(office.server, PATH)


DEFAULT_OPTIONS = AppOptions()


def outcome(office, owner, options=DEFAULT_OPTIONS):
    """The HRESULT of an unattended session of the application, or "ok"."""
    rp = office.server.quickbooks.request_processor
    name = "Admin App" if owner == ADMIN_APP else "Sync App"
    try:
        session = rp.begin_session(name, owner, PATH, options=options)
    except QuickBooksError as error:
        return error.code
    rp.end_session(session)
    return "ok"


def test_a_password_change_takes_automatic_login_only_from_the_applications_that_log_in_as_that_user(office):
    grant_both(office)
    file = company(office)
    affected = file.change_password("sync", "n3w")
    file.save(office.server, PATH)
    assert [g.owner_id for g in affected] == [SYNC_APP]
    assert outcome(office, SYNC_APP) == "0x80040408"
    assert outcome(office, ADMIN_APP) == "ok"


def test_granting_again_records_the_users_settings_as_they_are_now(office):
    grant_both(office)
    file = company(office)
    file.restrict_user("sync")
    file.restrict_user("sync")  # each change counts
    file.save(office.server, PATH)
    assert outcome(office, SYNC_APP) == "0x80040408"
    open_as_admin_single_user(office.server, PATH)
    office.server.quickbooks.grant_again(SYNC_APP)
    close_quickbooks(office.server)
    # Logged in again, the narrowed user may not read Customers & Receivables (3260).
    rp = office.server.quickbooks.request_processor
    session = rp.begin_session("Sync App", SYNC_APP, PATH)
    answer, _ = rp.process(
        session,
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
        'onError="stopOnError"><CustomerQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>',
    )
    assert 'statusCode="3260"' in answer


def test_a_maintenance_update_loses_automatic_login_until_it_is_granted_again(office):
    grant_both(office)
    assert office.server.quickbooks.install_update() == "2024 R2"
    assert outcome(office, ADMIN_APP) == "0x80040430" and outcome(office, SYNC_APP) == "0x80040430"
    open_as_admin_single_user(office.server, PATH)
    office.server.quickbooks.grant_again(ADMIN_APP)
    close_quickbooks(office.server)
    assert outcome(office, ADMIN_APP) == "ok" and outcome(office, SYNC_APP) == "0x80040430"


def test_granting_again_needs_the_admin_in_single_user_mode(office):
    from sim.errors import CompanyFileError

    grant_both(office)
    office.server.quickbooks.open_company_file(PATH, "Admin")  # multi-user
    with pytest.raises(CompanyFileError, match="single-user mode"):
        office.server.quickbooks.grant_again(ADMIN_APP)


def test_an_expired_certificate_stops_automatic_login_but_not_a_session_with_the_file_open(office):
    grant_both(office)
    expired = AppOptions(certificate="Intuit QBWC 2.3.0.215", certificate_expired=True)
    assert outcome(office, ADMIN_APP, expired) == "0x8004041E"
    # Someone who is not the Admin has the file open: the application integrates, nothing is allowed for later.
    desktop = office.server.quickbooks
    desktop.open_company_file(PATH, "maria")
    office.world.run(seconds=30)
    session = desktop.request_processor.begin_session(
        "Admin App", ADMIN_APP, PATH, person_present=True, options=expired
    )
    assert session.attached
    desktop.request_processor.end_session(session)
    close_quickbooks(office.server)
    assert outcome(office, ADMIN_APP, expired) == "0x8004041E"
    # The Admin, in the file, clicks Allow Always in the Expired Certificate window.
    open_as_admin_single_user(office.server, PATH)
    office.world.run(seconds=30)
    desktop.request_processor.end_session(
        desktop.request_processor.begin_session("Admin App", ADMIN_APP, PATH, person_present=True, options=expired)
    )
    close_quickbooks(office.server)
    assert outcome(office, ADMIN_APP, expired) == "ok"
    # Allowed for that certificate only: the other application is still refused.
    assert outcome(office, SYNC_APP, expired) == "0x8004041E"


def test_updating_web_connector_clears_its_expired_certificate(linked_office):
    connector = linked_office.web_connector
    connector.certificate_expired = True
    app = connector.applications()[0]
    assert outcome_of(linked_office, app) == "0x8004041E"
    connector.upgrade("2.3.0.230")
    assert not connector.certificate_expired
    # A new release presents a new, valid certificate: approved once more, it logs in automatically.
    assert outcome_of(linked_office, app) == "0x80040418"


def outcome_of(office, app):
    connector = office.web_connector
    rp = office.server.quickbooks.request_processor
    options = connector.app_options(0, False, "")
    try:
        rp.end_session(rp.begin_session(app.name, app.owner_id, app.company_file, options=options))
    except QuickBooksError as error:
        return error.code
    return "ok"
