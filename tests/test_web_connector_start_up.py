"""The Web Connector's start-up block (written over a second or two after it starts) against what a
person does meanwhile: an application added at once, an update waiting for the form, a second start."""

from sim.office import ADMIN_EMAIL, build_office
from sim.people.admin import open_as_admin_single_user
from tests.test_qwclog_vocabulary import shape

BLOCK = ["notify_window_on", "max_connection_retries", "update_lock_set", "update_session_unlocked"]


def since_last_start(office) -> list[str]:
    text = office.server.qwc_log.text()
    return shape(text[text.rindex("Log file initialized") :])


def test_a_qwc_added_right_after_logon_finds_the_whole_start_up_block_written_before_it():
    office = build_office(seed=7)
    organization, integration = office.organization, office.integrations["Acme Properties"]
    computer = organization.authorize_computer(ADMIN_EMAIL, integration, office.server.name)
    qwc = organization.download_qwc(ADMIN_EMAIL, integration, computer, office.server)
    assert office.web_connector.running  # installed, and started with the session
    office.world.run(seconds=5)
    office.server.log_out()
    office.server.log_in("Administrator")  # the Web Connector starts at logon: its block is still to come
    open_as_admin_single_user(office.server, office.files["Acme Properties"])
    office.web_connector.add_application(qwc)
    names = since_last_start(office)
    assert names.count("form_loaded") == 1
    assert names.index("form_loaded") < names.index("qwc_contents") < names.index("connecting")
    assert names[: len(BLOCK)] == BLOCK  # nothing of the add inside the block


def test_a_web_connector_closed_during_start_up_lets_the_waiting_update_go_on_and_find_it_closed(linked_office):
    connector = linked_office.web_connector
    connector.restart()
    waiting = connector.update_selected([linked_office.apps["Acme Properties"]])
    linked_office.world.run(seconds=0.5)  # before the form has loaded
    connector.exit()
    linked_office.world.run(minutes=2)
    assert waiting.triggered, "the update still waits for a form that will never load"
    [result] = waiting.value
    assert result.outcome == "not started" and "before its form loaded" in result.message
    world = linked_office.world
    assert world.trace.select("update.not_started", app=result.app)
    assert [e for e in world.trace.select("update.started") if e.seconds > world.seconds - 130] == []


def test_two_starts_within_a_second_write_one_start_up_block():
    office = build_office(seed=7)
    connector = office.web_connector
    office.world.run(seconds=5)
    connector.restart()
    office.world.run(seconds=0.4)
    connector.restart()  # started again before the first block was written
    office.world.run(seconds=5)
    names = shape(office.server.qwc_log.text().split("Log file initialized", 2)[2])
    assert names.count("notify_window_on") == 1 and names.count("form_loaded") == 1
