"""QWCLog.txt as the Web Connector finds it when it starts: not writable is the PG's QBWC1033 (it does not run);
corrupt or too large is QBWC1085 (it runs without a log until the file is deleted and it restarts)."""

from sim.webconnector import log_health
from sim.webconnector.log import LOG_PATH
from sim.webconnector.log_health import damage_log, delete_log, log_problem


def start_again(office):
    connector = office.web_connector
    connector.exit()
    connector.start()
    return connector


def test_a_log_the_user_cannot_write_is_qbwc1033_and_the_web_connector_does_not_run(linked_office):
    office = linked_office
    office.server.fs.deny_write(r"C:\ProgramData\Intuit\QBWebConnector\log", "Administrator")
    connector = start_again(office)
    assert not connector.running
    assert office.world.trace.select("qbwc.start_failed", code="QBWC1033")


def test_a_corrupt_log_is_qbwc1085_and_nothing_more_is_written_until_it_is_deleted(linked_office):
    office = linked_office
    damage_log(office.server, "corrupt")
    assert log_problem(office.server, "Administrator").code == "QBWC1085"
    connector = start_again(office)
    assert connector.running and office.world.trace.select("qbwc.log_unusable", code="QBWC1085")
    before = office.server.qwc_log.text()
    process = connector.update_selected("all")
    office.world.run_until_done(process, 5)
    assert process.value[0].succeeded and office.server.qwc_log.text() == before
    delete_log(office.server)
    assert not office.server.fs.exists(LOG_PATH)
    start_again(office)
    process = connector.update_selected("all")
    office.world.run_until_done(process, 5)
    text = office.server.qwc_log.text()
    assert text.startswith("\n\nLog file initialized") and "has STARTED" in text and "\x00" not in text


def test_a_log_too_large_is_qbwc1085(linked_office, monkeypatch):
    monkeypatch.setattr(log_health, "TOO_LARGE_BYTES", 5_000)
    damage_log(linked_office.server, "too large")
    problem = log_problem(linked_office.server, "Administrator")
    assert problem.code == "QBWC1085" and "over 5,000" in problem.reason


def test_a_healthy_log_has_no_problem(linked_office):
    linked_office.server.qwc_log.flush()
    assert log_problem(linked_office.server, "Administrator") is None
