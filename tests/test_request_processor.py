"""Every HRESULT of the request processor arises from the state of the office, not a table."""

import pytest

from sim.errors import QuickBooksError
from sim.people.admin import leave_popup, rename_company_file, rename_folder
from sim.quickbooks.company_file import AccessLevel, CompanyFile, create_company_file
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER
from sim.quickbooks.request_processor import DONT_CARE

OWNER = "{11111111-2222-3333-4444-555555555555}"
PATH = r"D:\QBData\Company Files\Acme Properties.QBW"


def grant(office, access=AccessLevel.ALWAYS, path=PATH):
    company = CompanyFile.load(office.server, path)
    company.grant("App", OWNER, access, "Admin")
    company.save(office.server, path)


def begin(office, path=PATH, mode=DONT_CARE, person_present=False, host=None, settle=True):
    host = host or office.server
    if settle:  # let QuickBooks finish loading a file a test has just opened
        office.world.run(seconds=30)
    return host.quickbooks.request_processor.begin_session("App", OWNER, path, mode, person_present)


def hresult_of(office, **kwargs):
    kwargs.setdefault("settle", True)
    with pytest.raises(QuickBooksError) as caught:
        begin(office, **kwargs)
    return caught.value.code


def test_granted_always_opens_unattended_and_releases_on_end(office):
    grant(office)
    session = begin(office)
    assert not session.attached and session.login_as == "Admin"
    assert office.server.fs.holders(PATH)
    office.server.quickbooks.request_processor.end_session(session)
    assert office.server.fs.holders(PATH) == []


def test_no_file_at_the_remembered_path(office):
    grant(office)
    rename_company_file(office.server, PATH, "Renamed.QBW")
    assert hresult_of(office) == "0x80040408"


def test_folder_of_the_path_renamed(office):
    grant(office)
    rename_folder(office.server, r"D:\QBData\Company Files", "Files 2026")
    assert hresult_of(office) == "0x80040408"


def test_server_off_behind_a_mapped_drive(office):
    grant(office)
    station = office.workstations[0]
    office.server.shut_down()
    assert hresult_of(office, path=office.mapped_path("Acme Properties"), host=station) == "0x80040408"


def test_another_file_open_in_quickbooks(office):
    grant(office)
    create_company_file(office.world, office.server, r"D:\QBData\Other.QBW")
    office.server.quickbooks.open_company_file(r"D:\QBData\Other.QBW", "Admin")
    assert hresult_of(office) == "0x8004040A"


def test_not_running_and_no_file_name(office):
    grant(office)
    assert hresult_of(office, path="") == "0x80040416"


def test_requested_single_user_while_others_share_the_file(office):
    grant(office)
    office.server.quickbooks.open_company_file(PATH, "Admin", mode=MULTI_USER)
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria", mode=MULTI_USER)
    assert hresult_of(office, mode=SINGLE_USER) == "0x80040422"


def test_requested_mode_differs_from_the_open_mode(office):
    grant(office)
    office.server.quickbooks.open_company_file(PATH, "Admin", mode=SINGLE_USER)
    assert hresult_of(office, mode=MULTI_USER) == "0x80040410"


def test_file_in_single_user_on_another_computer(office):
    grant(office)
    office.workstations[0].quickbooks.open_company_file(
        office.mapped_path("Acme Properties"), "maria", mode=SINGLE_USER
    )
    assert hresult_of(office) == "0x80040410"


def test_modal_dialog_showing(office):
    grant(office)
    leave_popup(office.server, PATH, "A new update is available")
    office.server.quickbooks.open_company_file(PATH, "Admin")
    assert hresult_of(office) == "0x80040414"
    office.server.quickbooks.dismiss_dialogs()
    assert begin(office).attached


def test_pending_popup_blocks_a_background_open(office):
    grant(office)
    leave_popup(office.server, PATH, "Update your company file")
    assert hresult_of(office) == "0x80040414"


def test_first_access_not_granted(office):
    assert hresult_of(office) == "0x80040418"


def test_access_denied(office):
    grant(office, AccessLevel.NO)
    assert hresult_of(office) == "0x80040420"


@pytest.mark.parametrize("access", [AccessLevel.PROMPT_EACH_TIME, AccessLevel.WHEN_FILE_OPEN])
def test_unattended_login_not_allowed(office, access):
    grant(office, access)
    assert hresult_of(office) == "0x8004041D"


def test_when_file_open_works_with_the_file_open(office):
    grant(office, AccessLevel.WHEN_FILE_OPEN)
    office.server.quickbooks.open_company_file(PATH, "Admin")
    assert begin(office).attached


def test_prompt_each_time_works_only_with_someone_there(office):
    grant(office, AccessLevel.PROMPT_EACH_TIME)
    office.server.quickbooks.open_company_file(PATH, "Admin")
    assert hresult_of(office) == "0x8004041D"
    assert begin(office, person_present=True).attached


def test_damaged_company_file(office):
    grant(office)
    office.server.fs.write_bytes(PATH, b"garbage")
    assert hresult_of(office) == "0x80040409"


def test_nobody_logged_in(office):
    grant(office)
    office.server.log_out()
    assert hresult_of(office) == "0x80040401"


def test_failures_are_traced_with_their_hresult(office):
    hresult_of(office)
    event = office.world.trace.select("sdk.begin_session_failed")[-1]
    assert event.get("hresult") == "0x80040418" and event.source == "SDK"


def test_same_file_through_unc_and_mapped_letter_counts_as_different(office):
    grant(office)
    station = office.workstations[0]
    station.quickbooks.open_company_file(r"\\FILESRV\QBData\Company Files\Acme Properties.QBW", "Admin")
    assert hresult_of(office, path=office.mapped_path("Acme Properties"), host=station) == "0x8004040A"
    assert begin(office, path=r"\\filesrv\qbdata\company files\acme properties.qbw", host=station).attached


def test_quickbooks_still_initializing(office):
    grant(office)
    office.server.quickbooks.open_company_file(PATH, "Admin")
    office.world.run(seconds=5)
    assert hresult_of(office, settle=False) == "0x80040424"
    assert begin(office, person_present=True, settle=False).attached  # someone at the desk waits for it
    assert begin(office).attached


def test_access_unticked_in_integrated_applications_preferences(office):
    grant(office)
    desktop = office.server.quickbooks
    desktop.open_company_file(PATH, "Admin", mode=SINGLE_USER)
    desktop.set_integrated_access("App", allowed=False)
    desktop.close_company_file()
    assert hresult_of(office) == "0x8004041A"


def test_whole_file_locked_by_verify_data(office):
    from sim.people.admin import verify_data

    grant(office)
    # maria, not the Admin: the Admin logged in elsewhere would stop the "login as Admin" session by itself.
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria")
    verify_data(office.workstations[0], minutes=10)
    office.world.run(minutes=1)
    assert hresult_of(office) == "0x8004041B"
    office.world.run(minutes=10)
    assert not begin(office).attached


def test_the_login_as_user_logged_in_elsewhere_blocks_unattended_access(office):
    grant(office)  # login as Admin
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "Admin")
    office.world.run(minutes=1)
    assert hresult_of(office) == "0x80040408"
    assert office.world.trace.select("sdk.login_as_busy", login_as="Admin", elsewhere="WS01")


def test_a_deleted_login_as_user_cannot_log_in_automatically(office):
    # FIELD (Propelware, Webgility): "unable to log into this QuickBooks company data file automatically".
    company = CompanyFile.load(office.server, PATH)
    company.add_user("sync")
    company.grant("App", OWNER, AccessLevel.ALWAYS, "sync")
    company.save(office.server, PATH)
    session = begin(office)
    assert not session.attached and session.login_as == "sync"
    office.server.quickbooks.request_processor.end_session(session)
    company = CompanyFile.load(office.server, PATH)
    company.remove_user("sync")
    company.save(office.server, PATH)
    assert hresult_of(office) == "0x80040430"


def test_a_password_change_of_the_login_as_user_could_not_start_quickbooks(office):
    # FIELD (Acctivate 4079): the sync user's settings changed "in any way": "Could not start QuickBooks".
    grant(office)
    company = CompanyFile.load(office.server, PATH)
    affected = company.change_password("Admin", "n3w-secret")
    company.save(office.server, PATH)
    assert [g.owner_id for g in affected] == [OWNER]
    assert hresult_of(office) == "0x80040408"
    assert office.world.trace.select("sdk.login_as_changed", login_as="Admin")


def test_narrowed_rights_of_the_login_as_user_could_not_start_quickbooks(office):
    grant(office)
    company = CompanyFile.load(office.server, PATH)
    company.restrict_user("Admin")
    company.save(office.server, PATH)
    assert hresult_of(office) == "0x80040408"


@pytest.mark.parametrize("path", ["   ", "/etc/passwd", "relative.QBW"])
def test_a_path_that_is_no_windows_path_could_not_start_quickbooks(office, path):
    # A service may send anything from authenticate: QuickBooks answers, the simulator does not crash.
    grant(office)
    assert hresult_of(office, path=path) == "0x80040408"


def test_a_request_takes_longer_for_each_person_working_in_the_file():
    # Assumed (sim/quickbooks/request_processor.py): people working in a shared company file slow
    # QuickBooks' answers to an integration, by the same amount for each person. Measured on the
    # simulated seconds QuickBooks takes to answer one request with 0, 1 and 2 people in the file.
    from sim.office import build_office
    from sim.quickbooks.qbxml import Request, build_request

    office = build_office(seed=7, workstations=2)
    grant(office)
    session = begin(office)
    request = build_request([Request("CustomerQueryRq", "1")])
    seconds = [office.server.quickbooks.request_processor.process(session, request)[1]]
    for station, person in zip(office.workstations, ("maria", "li"), strict=False):
        station.quickbooks.open_company_file(office.mapped_path("Acme Properties"), person, mode=MULTI_USER)
        seconds.append(office.server.quickbooks.request_processor.process(session, request)[1])
    alone, one, two = seconds
    assert alone < one < two
    assert two - one == pytest.approx(one - alone)


@pytest.mark.parametrize(
    "hresult, text",
    [
        # The SDK's and the PG's words (issue 21; tests/data/vendor_pages/sdk-hresult-messages.md).
        (0x80040400, "QuickBooks found an error when parsing the provided XML text stream."),
        (0x80040416, "If QuickBooks is not running, the company data file name must be supplied to BeginSession."),
        (
            0x8004041B,
            "Unable to lock the necessary information to allow this application to access "
            "this company data file. Try again later.",
        ),
        (0x80040424, "QuickBooks did not finish its initialization. Please try again later."),
        (
            0x80040422,
            "This application requires Single User file access mode and there is already "
            "another application sharing data with this QuickBooks company data file.",
        ),
        (
            0x8004041E,
            "This applications certificate is expired. If you want to allow the application "
            "to log into QuickBooks automatically, log into QuickBooks and try again. Then "
            "click Allow Always when you are notified that the certificate has expired.",
        ),
    ],
)
def test_hresult_messages_are_the_sdks_words(hresult, text):
    from sim.quickbooks import hresults

    assert hresults.text_of(hresult) == text


def test_a_parse_error_reaches_the_application_in_the_sdks_words(office):
    grant(office)
    session = begin(office)
    with pytest.raises(QuickBooksError) as caught:
        office.server.quickbooks.request_processor.process(session, "<QBXML>")
    assert caught.value.message.startswith("QuickBooks found an error when parsing the provided XML text stream.")


def test_an_amount_that_is_no_amount_is_a_parse_error_and_an_id_sent_with_an_add_is_not_taken(office):
    # A service's qbXML once crashed the run (float("abc")) or gave a record the TxnID it sent, which
    # broke every later query of invoices; QuickBooks validates amounts as it parses, and gives ids itself.
    grant(office)
    session = begin(office)
    rp = office.server.quickbooks.request_processor
    prologue = '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
    customer = CompanyFile.load(office.server, office.files["Acme Properties"]).records["customers"][0]["Name"]
    add = (
        "<InvoiceAddRq "
        'requestID="1"><InvoiceAdd><CustomerRef><FullName>{}</FullName></CustomerRef><RefNumber>X-1</RefNumber>{}</InvoiceAdd></InvoiceAddRq>'
    )
    with pytest.raises(QuickBooksError) as caught:
        rp.process(session, prologue + add.format(customer, "<Subtotal>abc</Subtotal>") + "</QBXMLMsgsRq></QBXML>")
    assert caught.value.code == "0x80040400" and "is not an amount" in caught.value.message
    answer, _ = rp.process(session, prologue + add.format(customer, "<TxnID>zz-1</TxnID>") + "</QBXMLMsgsRq></QBXML>")
    assert "<TxnID>zz-1</TxnID>" not in answer and 'statusCode="0"' in answer


def test_paging_through_a_list_while_a_record_is_edited_returns_each_record_once(office):
    # An edit moves a record to the end of the file's list (TimeModified order); an iterator opened
    # before it keeps the list as it was, so no record is skipped or returned twice.
    from sim.quickbooks.qbxml import Request, build_request, parse_response

    grant(office)
    session = begin(office)
    rp = office.server.quickbooks.request_processor
    invoices = session.company.records["invoices"]
    assert len(invoices) > 6
    answer, _ = rp.process(session, build_request([Request("InvoiceQueryRq", "1", iterator="Start", max_returned=3)]))
    [page] = parse_response(answer)
    seen = [r["TxnID"] for r in page.records]
    session.company.update_record("invoices", invoices[1], {}, modified="2099-01-01T00:00:00")
    while page.iterator_remaining:
        answer, _ = rp.process(
            session,
            build_request(
                [Request("InvoiceQueryRq", "2", iterator="Continue", iterator_id=page.iterator_id, max_returned=3)]
            ),
        )
        [page] = parse_response(answer)
        seen += [r["TxnID"] for r in page.records]
    assert sorted(seen) == sorted(r["TxnID"] for r in invoices) and len(seen) == len(set(seen))
