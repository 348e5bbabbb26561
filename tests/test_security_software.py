"""Security software on the Web Connector's computer closing its connections: every call fails alike, the first
being serverVersion, logged in the published wording (FIELD: Expensify, consolibyte/quickbooks-php#240)."""

from sim.windows.security_software import CLOSED_MESSAGE, WEB_CONNECTOR_PROGRAM


def sync(office):
    process = office.web_connector.update_selected("all")
    office.world.run_until_done(process, 5)
    return process.value[0]


def test_blocked_web_connector_fails_at_server_version_with_no_code_on_the_log_line(linked_office):
    office = linked_office
    office.server.security.block(WEB_CONNECTOR_PROGRAM)
    result = sync(office)
    assert (result.outcome, result.code, result.message) == ("failed", "QBWC1012", CLOSED_MESSAGE)
    lines = [line for line in office.server.qwc_log.text().splitlines() if "do_serverVersion()" in line]
    assert lines[-1].endswith(f"Actual error received from web service for serverVersion call: <{CLOSED_MESSAGE}>")
    assert office.world.trace.select("windows.connection_closed", call="serverVersion")


def test_other_programs_and_an_exception_for_web_connector_pass(linked_office):
    office = linked_office
    office.server.security.block("OtherProgram.exe")
    assert sync(office).succeeded
    office.server.security.block(WEB_CONNECTOR_PROGRAM)
    office.server.security.allow(WEB_CONNECTOR_PROGRAM)
    assert sync(office).succeeded
