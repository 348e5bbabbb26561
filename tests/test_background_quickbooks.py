"""QuickBooks the SDK runs without a person: at "No Company Open", for a live session in the background, or left
behind by a session that never ended; and what a person at that computer meets (FIELD: clearify.com wiki 381,
Codat, ConnectBooster, TimeCurve; tests/data/vendor_pages/)."""

import pytest

from sim.errors import CompanyFileError, QuickBooksError
from sim.quickbooks.company_file import AccessLevel, CompanyFile

PATH = r"D:\QBData\Company Files\Acme Properties.QBW"
OWNER = "{11111111-2222-3333-4444-555555555555}"


def granted(office):
    company = CompanyFile.load(office.server, PATH)
    company.grant("App", OWNER, AccessLevel.ALWAYS, "Admin")
    company.save(office.server, PATH)
    return office.server.quickbooks.request_processor


def hresult(rp, path):
    with pytest.raises(QuickBooksError) as caught:
        rp.begin_session("App", OWNER, path)
    return caught.value.code


def test_no_company_open_needs_a_path_and_opens_the_one_named(office):
    rp = granted(office)
    desktop = office.server.quickbooks
    assert hresult(rp, "") == "0x80040416"  # QuickBooks not running
    desktop.start_without_file()
    assert hresult(rp, "") == "0x80040417"  # QuickBooks open, no company file
    session = rp.begin_session("App", OWNER, PATH)
    assert not session.attached and session.open_seconds < 12
    rp.end_session(session)
    # The file closed again; QuickBooks stays at No Company Open.
    assert desktop.running and desktop.opened is None and office.world.open_company_files.uses(session.location) == []


def test_file_close_company_leaves_quickbooks_running_and_exit_does_not(office):
    desktop = office.server.quickbooks
    desktop.open_company_file(PATH, "Admin")
    desktop.close_company()
    assert desktop.running and desktop.opened is None
    desktop.close_company_file()
    assert not desktop.running


def test_a_person_cannot_open_a_file_while_a_session_runs_in_the_background_on_their_computer(office):
    rp = granted(office)
    desktop = office.server.quickbooks
    session = rp.begin_session("App", OWNER, PATH)
    with pytest.raises(CompanyFileError, match="busy with an integrated application's session"):
        desktop.open_company_file(PATH, "maria")
    # On another computer the file opens (multi-user), and once the session ends, here too.
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "li")
    rp.end_session(session)
    assert desktop.open_company_file(PATH, "maria").user == "maria"


def test_a_person_cannot_work_while_a_session_is_attached_to_their_quickbooks(office):
    rp = granted(office)
    desktop = office.server.quickbooks
    desktop.open_company_file(PATH, "maria")
    office.world.run(seconds=30)
    assert not desktop.busy_with_session()
    session = rp.begin_session("App", OWNER, PATH)
    assert session.attached and desktop.busy_with_session()
    rp.end_session(session)
    assert not desktop.busy_with_session()


def test_a_session_abandoned_by_its_program_leaves_quickbooks_running_until_it_is_ended(office):
    rp = granted(office)
    desktop = office.server.quickbooks
    rp.abandon(rp.begin_session("App", OWNER, PATH))
    assert office.server.fs.holders(PATH) and len(desktop.left_running) == 1
    assert hresult(rp, PATH) == "0x80040408"
    with pytest.raises(CompanyFileError, match="already running in the background"):
        desktop.open_company_file(PATH, "maria")
    assert desktop.end_background_quickbooks() == 1
    assert office.server.fs.holders(PATH) == [] and not desktop.left_running
    rp.end_session(rp.begin_session("App", OWNER, PATH))


def test_a_restart_ends_a_quickbooks_left_running(office):
    rp = granted(office)
    rp.abandon(rp.begin_session("App", OWNER, PATH))
    office.server.restart()
    office.server.log_in("Administrator")
    assert not office.server.quickbooks.left_running and office.server.fs.holders(PATH) == []


def test_web_connector_ended_mid_session_leaves_its_quickbooks_and_clears_its_lock_at_the_next_start(linked_office):
    office = linked_office
    connector = office.web_connector
    app = office.apps["Acme Properties"]
    process = connector.update_selected([app])
    office.world.run(seconds=6)  # QuickBooks still starting in the background
    connector.end_task()
    office.world.run_until_done(process, 5)
    assert process.value[0].outcome == "interrupted"
    assert office.server.quickbooks.left_running and connector.update_lock  # nothing of it ran on
    connector.start()
    office.world.run(seconds=5)  # (its start-up block takes a second or two)
    assert not connector.update_lock
    process = connector.update_selected([app])
    office.world.run_until_done(process, 5)
    assert (process.value[0].outcome, process.value[0].code) == ("failed", "0x80040408")
