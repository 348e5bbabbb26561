"""Adding, removing and force-removing applications; the list read from the registry; exiting the program."""

import pytest

from sim.errors import HostUnavailableError, QWCError
from sim.office import ADMIN_EMAIL, build_office
from sim.people.admin import close_quickbooks, open_as_admin_single_user, rename_company_file
from sim.quickbooks.company_file import CompanyFile
from sim.webconnector.app_list import APPS_KEY, reveal


def download(office, company="Acme Properties"):
    organization, integration = office.organization, office.integrations[company]
    computer = organization.authorize_computer(ADMIN_EMAIL, integration, office.server.name)
    return computer, organization.download_qwc(ADMIN_EMAIL, integration, computer, office.server)


def test_adding_stamps_the_file_and_remembers_its_path(office):
    computer, qwc = download(office)
    path = office.files["Acme Properties"]
    open_as_admin_single_user(office.server, path)
    app = office.web_connector.add_application(qwc)
    assert app.company_file == path and app.file_id == computer.file_id
    close_quickbooks(office.server)
    company = CompanyFile.load(office.server, path)
    assert company.file_ids[computer.owner_id] == computer.file_id
    assert company.authorization(computer.owner_id).access.value.startswith("always")


def test_the_list_is_read_from_the_registry(linked_office):
    connector = linked_office.web_connector
    app = connector.applications()[0]
    values = linked_office.server.registry.values(app.key, user="Administrator")
    assert values["CompanyFile"] == linked_office.files["Acme Properties"]
    assert reveal(values["Password"]) != values["Password"]  # stored obscured, not in plain text
    linked_office.server.registry.delete_key(app.key, user="Administrator")
    assert connector.applications() == []


def test_first_access_needs_the_quickbooks_admin(office):
    _, qwc = download(office)
    office.server.quickbooks.open_company_file(office.files["Acme Properties"], "maria")
    with pytest.raises(QWCError) as caught:
        office.web_connector.add_application(qwc)
    # PG appendix A: a failure to connect while adding is QBWC1022, with QuickBooks' own message.
    assert (
        caught.value.code == "QBWC1022"
        and "0x80040418" in caught.value.message
        and "for the first time" in caught.value.message
    )
    assert office.web_connector.applications() == []


def test_quickbooks_must_have_the_file_open(office):
    _, qwc = download(office)
    with pytest.raises(QWCError) as caught:
        office.web_connector.add_application(qwc)
    assert caught.value.code == "QBWC1022" and "0x80040416" in caught.value.message


def test_same_qwc_twice_is_qbwc1039(linked_office):
    path = linked_office.files["Acme Properties"]
    qwc_path = linked_office.server.fs.files_below(r"C:\Users\Administrator\Downloads", ".qwc")[0]
    open_as_admin_single_user(linked_office.server, path)
    with pytest.raises(QWCError, match="QBWC1039: unique OwnerID/FileID pair"):
        linked_office.web_connector.add_application(qwc_path)


def test_old_qwc_after_removal_is_refused_by_the_stamp(linked_office):
    app = linked_office.apps["Acme Properties"]
    assert linked_office.web_connector.remove_application(app)
    qwc_path = linked_office.server.fs.files_below(r"C:\Users\Administrator\Downloads", ".qwc")[0]
    open_as_admin_single_user(linked_office.server, linked_office.files["Acme Properties"])
    with pytest.raises(QWCError, match="already carries this FileID"):
        linked_office.web_connector.add_application(qwc_path)


def test_first_access_is_approved_only_by_the_admin_in_single_user_mode(office):
    # FIELD (Sunburst Software, ConnectBooster, Expensify DESK53): the Admin in multi-user mode, with a
    # colleague in the file, sees no certificate prompt; adding fails as a first access nobody approved.
    _, qwc = download(office)
    office.server.quickbooks.open_company_file(office.files["Acme Properties"], "Admin")
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria")
    with pytest.raises(QWCError) as caught:
        office.web_connector.add_application(qwc)
    assert caught.value.code == "QBWC1022" and "0x80040418" in caught.value.message
    assert office.world.trace.select("quickbooks.approval_needs_single_user", mode="multi-user")


def test_fileid_cannot_be_written_while_another_computer_holds_the_file(office):
    from sim.quickbooks.company_file import AccessLevel

    computer, qwc = download(office)
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    company.grant("STRATAFOLIO", computer.owner_id, AccessLevel.ALWAYS, "Admin")  # approved earlier, alone in the file
    company.save(office.server, office.files["Acme Properties"])
    office.server.quickbooks.open_company_file(office.files["Acme Properties"], "Admin")
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria")
    office.server.fs.hold(office.files["Acme Properties"], "Backup program")
    with pytest.raises(QWCError) as caught:
        office.web_connector.add_application(qwc)
    assert caught.value.code == "QBWC1026"


def test_remove_needs_the_remembered_file(linked_office):
    app = linked_office.apps["Acme Properties"]
    connector = linked_office.web_connector
    path = rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Renamed.QBW")
    assert connector.remove_application(app) is False
    assert [a.name for a in connector.applications()] == [app]
    assert "Cannot remove" in linked_office.server.qwc_log.text()
    rename_company_file(linked_office.server, path, "Acme Properties.QBW")
    assert connector.remove_application(app) is True
    assert connector.applications() == []


def test_force_removal_deletes_the_key(linked_office):
    app = linked_office.apps["Acme Properties"]
    rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Renamed.QBW")
    linked_office.web_connector.force_removal(app)
    assert not linked_office.server.registry.key_exists(f"{APPS_KEY}\\{app}", user="Administrator")
    assert linked_office.web_connector.applications() == []


def test_each_windows_user_has_its_own_list(linked_office):
    linked_office.server.add_windows_user("bookkeeper")
    assert linked_office.server.web_connector("bookkeeper").applications() == []


def test_bad_qwc_file_on_disk(office):
    office.server.fs.write_text(r"C:\Users\Administrator\Downloads\bad.qwc", "<QBWCXML>")
    with pytest.raises(QWCError, match="not well-formed"):
        office.web_connector.add_application(r"C:\Users\Administrator\Downloads\bad.qwc")


def _second_qwc(office, **changes):
    """A QWC for a newly authorized computer (new OwnerID and FileID), edited as `changes` say."""
    from dataclasses import replace

    from sim.webconnector.qwc import read_qwc, write_qwc

    _, path = download(office)
    qwc = replace(read_qwc(office.server.fs.read_bytes(path)), **changes)
    office.server.fs.write_text(path, write_qwc(qwc))
    return path


def test_an_app_name_already_listed_is_replaced_not_refused(linked_office):
    # PG Table 4-1: QBWC offers to clone or replace; replacing is no QBWC1039.
    connector, app = linked_office.web_connector, linked_office.apps["Acme Properties"]
    old = connector.application(app)
    qwc = _second_qwc(linked_office)
    open_as_admin_single_user(linked_office.server, linked_office.files["Acme Properties"])
    added = connector.add_application(qwc)
    assert [a.name for a in connector.applications()] == [app] and added.file_id != old.file_id
    assert linked_office.world.trace.select("qbwc.app_replaced", app=app)


def test_an_app_name_already_listed_can_be_cloned(linked_office):
    connector, app = linked_office.web_connector, linked_office.apps["Acme Properties"]
    qwc = _second_qwc(linked_office)
    open_as_admin_single_user(linked_office.server, linked_office.files["Acme Properties"])
    connector.add_application(qwc, if_listed="clone")
    assert [a.name for a in connector.applications()] == [app, f"{app} (2)"]


def test_app_unique_name_replaces_without_asking(linked_office):
    connector, app = linked_office.web_connector, linked_office.apps["Acme Properties"]
    qwc = _second_qwc(linked_office, app_unique_name="stratafolio-acme")
    open_as_admin_single_user(linked_office.server, linked_office.files["Acme Properties"])
    connector.add_application(qwc, if_listed="clone")
    assert [a.name for a in connector.applications()] == [app]


def test_the_same_owner_id_with_another_file_id_is_qbwc1039_too(linked_office):
    connector = linked_office.web_connector
    existing = connector.application(linked_office.apps["Acme Properties"])
    qwc = _second_qwc(linked_office, owner_id=existing.owner_id)
    open_as_admin_single_user(linked_office.server, linked_office.files["Acme Properties"])
    with pytest.raises(QWCError, match="QBWC1039: unique OwnerID/FileID pair value required .*another FileID"):
        connector.add_application(qwc)
    assert linked_office.world.trace.select("qbwc.add_failed")[-1].source == "FIELD"


def test_a_modal_dialog_while_adding_is_qbwc1053(office):
    _, qwc = download(office)
    path = office.files["Acme Properties"]
    office.server.quickbooks.open_company_file(path, "Admin")
    office.server.quickbooks.dialogs.append("QuickBooks Update Service")
    with pytest.raises(QWCError) as caught:
        office.web_connector.add_application(qwc)
    assert caught.value.code == "QBWC1053" and "0x80040414" in caught.value.message
    assert "handleModalDialogError() : QuickBooks Web Connector failed to connect." in office.server.qwc_log.text()


@pytest.mark.parametrize(
    "auto_run, warned",
    [((True, False), True), ((True, True), True), ((False, False), False)],
    ids=["one-of-two", "both", "neither"],
)
def test_exiting_warns_qbwc1020_when_any_application_has_auto_run(auto_run, warned):
    # PG (the rule WebConnector.exit carries): "QBWC1020: ... Auto-Run is on for one or more
    # applications": one application with Auto-Run is enough, two off are not.
    office = build_office(seed=7, companies=("Acme Properties", "Beta Homes"))
    office.link_all()
    connector = office.web_connector
    for company, enabled in zip(office.apps, auto_run, strict=False):
        connector.set_auto_run(office.apps[company], enabled, 600)
    connector.exit()
    assert [e.get("code") for e in office.world.trace.select("qbwc.exit_warning")] == (["QBWC1020"] if warned else [])
    assert "QBWC1020" not in office.server.qwc_log.text()  # a warning dialog, not a log line (PG appendix A)
    assert not connector.running


def _sleep_after(office, seconds):
    env = office.world.env

    def sleeping():
        yield env.timeout(seconds)
        office.server.sleep()

    env.process(sleeping())


def test_a_computer_asleep_mid_add_adds_nothing_and_says_so():
    # The reviewer's case: 20 s into linking's add (QuickBooks' session is open, the certificate
    # answered), the server goes to sleep; the add stops there, as every program of the computer does.
    office = build_office(seed=3)
    _sleep_after(office, 20)
    with pytest.raises(HostUnavailableError, match="FILESRV is asleep while Web Connector was adding .*not added"):
        office.link_all()
    world = office.world
    assert world.trace.select("qbwc.app_added") == []
    assert [e.get("program") for e in world.trace.select("program.interrupted")] == [
        "Web Connector: add an application"
    ]
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    assert company.file_ids == {} and company.app_locks == {}
    assert office.web_connector.applications() == []
    assert "Added the application" not in office.server.qwc_log.text()


def test_an_add_stopped_by_sleep_ends_its_quickbooks_session_so_the_next_add_succeeds():
    office = build_office(seed=3)
    _sleep_after(office, 20)
    with pytest.raises(HostUnavailableError):
        office.link_all()
    assert office.server.quickbooks.sdk_sessions == 0
    office.server.wake()
    office.link_all()
    assert len(office.world.trace.select("qbwc.app_added")) == 1


def test_a_logoff_mid_add_reaches_a_simulated_caller_as_an_unavailable_host(office):
    computer, qwc = download(office)
    open_as_admin_single_user(office.server, office.files["Acme Properties"])
    env, outcome = office.world.env, []

    def person():
        try:
            yield from office.web_connector.adding(qwc)
        except HostUnavailableError as error:
            outcome.append(str(error))

    def log_off():
        yield env.timeout(15)
        office.server.log_out()

    env.process(log_off())
    env.run(until=env.process(person()))
    assert outcome and "Administrator logged out of FILESRV" in outcome[0]
    assert office.world.trace.select("qbwc.app_added") == []
