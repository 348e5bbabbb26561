"""QWCLog.txt: where it lives, its line format, its levels, no passwords, roll-over."""

import re

import pytest

from sim.errors import ConfigurationError
from sim.webconnector import log as qwclog
from sim.webconnector.log import LOG_PATH, OLD_LOG_PATH, QwcLog
from sim.world import World


@pytest.fixture
def host():
    world = World(seed=1)
    return world.add_server("SRV", logged_in="Administrator")


def test_lines_land_in_programdata_in_the_real_format(host):
    host.qwc_log.write("UpdateThisScheduledApp()", "Performing SCHEDULED UPDATE for application = App")
    assert host.qwc_log.text() == "20260105.07:00:00 UTC : UpdateThisScheduledApp() : Performing SCHEDULED UPDATE for application = App\n"
    assert host.fs.read_bytes(LOG_PATH).endswith(b"\r\n")


def test_levels(host):
    log = QwcLog(host, level="DEBUG")
    log.write("m()", "plain")
    log.write("m()", "<QBXML/>", verbose=True)
    assert "<QBXML/>" not in log.text()
    log.level = "VERBOSE"
    log.write("m()", "<QBXML/>", verbose=True)
    assert "<QBXML/>" in log.text()
    log.level = "none"
    log.write("m()", "silent")
    assert "silent" not in log.text()
    with pytest.raises(ConfigurationError, match="NONE, DEBUG, VERBOSE"):
        log.level = "TRACE"


def test_the_password_is_masked_as_a_value_never_as_a_substring(linked_office):
    # A one-letter password must neither appear as the argument's value nor turn every
    # "p" of the log into asterisks (which garbled the log and revealed the password).
    office = linked_office
    app = office.apps["Acme Properties"]
    office.web_connector.set_password(app, "p")
    office.server.qwc_log.level = "VERBOSE"
    office.web_connector.update_selected([app])
    office.world.run(minutes=10)
    text = office.server.qwc_log.text()
    assert "'strPassword': '<MaskedForSecurity>'" in text
    assert "'strPassword': 'p'" not in text
    assert "updateWS() for application" in text and "*" not in text


def test_a_message_with_newlines_stays_one_line(host):
    host.qwc_log.write("getLastError()", "bad\r\noutcome: succeeded")
    assert host.qwc_log.text().splitlines() == ["20260105.07:00:00 UTC : getLastError() : bad\\r\\noutcome: succeeded"]


def test_rolls_over_to_qwclog1(host, monkeypatch):
    monkeypatch.setattr(qwclog, "ROLL_OVER_BYTES", 300)
    monkeypatch.setattr(qwclog, "FLUSH_BYTES", 1)
    log = QwcLog(host)
    for number in range(10):
        log.write("m()", f"line {number} " + "x" * 40)
    assert host.fs.exists(OLD_LOG_PATH)
    assert re.search(r"line 9 ", log.text()) and "line 0 " not in log.text()
