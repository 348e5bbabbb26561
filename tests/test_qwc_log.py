"""QWCLog.txt: where it lives, the real line format, header, levels read at start-up, dumps, no passwords, roll-over."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ConfigurationError
from sim.webconnector import log as qwclog
from sim.webconnector.log import DUMP_CUT, LOG_PATH, OLD_LOG_PATH, QwcLog
from sim.webconnector.vocabulary import LINE
from sim.world import World


@pytest.fixture
def host():
    world = World(seed=1)
    return world.add_server("SRV", logged_in="Administrator")


def test_lines_land_in_programdata_in_the_real_format(host):
    host.qwc_log.write(
        "QBWebConnector.WebServiceManager.UpdateThisScheduledApp()", "Performing SCHEDULED UPDATE for application = App"
    )
    assert (
        host.qwc_log.text() == "20260105.12:00:00 UTC\t: "
        "QBWebConnector.WebServiceManager.UpdateThisScheduledApp() : Performing SCHEDULED "
        "UPDATE for application = App\n"
    )
    assert host.fs.read_bytes(LOG_PATH).endswith(b"\r\n")


def test_continuation_lines_carry_no_timestamp(host):
    host.qwc_log.write(
        "QBWebConnector.SOAPWebService.ProcessRequestXML()",
        "Sending error message back to application:",
        ["HRESULT = 0x80040400", "Message: parse error"],
    )
    assert host.qwc_log.text().splitlines()[1:] == ["HRESULT = 0x80040400", "Message: parse error"]


def test_debug_cuts_xml_dumps_keeping_line_breaks_and_verbose_writes_them_whole(host):
    xml = (
        '<?xml version="1.0" ?>\n<QBXML><QBXMLMsgsRq '
        'onError="stopOnError"><CustomerQueryRq '
        'requestID="1"><MaxReturned>10</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>'
    )
    log = QwcLog(host, level="DEBUG")
    log.dump(LINE.send_request_dump, xml)
    dumped = log.text().splitlines()
    assert dumped[0].endswith("do_sendRequestXML() : XML dump follows: -")
    assert dumped[1:] == ["", '<?xml version="1.0" ?>', xml[:DUMP_CUT].split("\n")[1] + "......", ""]
    assert DUMP_CUT == 75  # FIELD: published DEBUG logs keep about 75 characters
    log.level = "VERBOSE"
    log.dump(LINE.send_request_dump, xml)
    assert log.text().splitlines()[-4:] == ["", '<?xml version="1.0" ?>', xml.split("\n")[1], ""]
    log.level = "none"
    log.write("QBWebConnector.X.m()", "silent")
    assert "silent" not in log.text()
    with pytest.raises(ConfigurationError, match="NONE, DEBUG, VERBOSE"):
        log.level = "TRACE"


def test_the_level_is_read_from_the_registry_when_the_web_connector_starts(host):
    key = r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector"
    host.registry.set_value(key, "Level", "VERBOSE", user="Administrator")
    connector = host.web_connector()
    assert host.qwc_log.level == "VERBOSE"
    assert "QBWebConnector 2.2 has been initialized with its logging status to level = VERBOSE." in host.qwc_log.text()
    host.registry.set_value(key, "Level", "DEBUG", user="Administrator")
    assert host.qwc_log.level == "VERBOSE", "a change takes effect only after a restart"
    connector.restart()
    assert host.qwc_log.level == "DEBUG"
    lines = host.qwc_log.text().splitlines()
    assert sum(line == "Timestamp format used: YYYYMMDD.HH:MM:SS UTC" for line in lines) == 2, (
        "the header repeats at each start"
    )
    # FIELD: two blank lines, the first header line ending in two spaces, a blank line after the four.
    assert (
        lines[:3] == ["", "", "Log file initialized at Monday, January 5, 2026 - 12:00 PM UTC  "] and lines[6] == ""
    )  # 7:00 in the office (US Eastern, winter) is 12:00 UTC
    header = lines[2:6]
    assert (
        "Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log."
        in header
    )


def test_a_level_changed_in_the_registry_waits_for_a_restart_whatever_updates_run_meanwhile(linked_office):
    # PG (DOMAIN.md section 4): the Level value is read when Web Connector starts, and its own
    # header says a change needs a restart. Seen through what the log keeps of the request: cut
    # at DEBUG, whole at VERBOSE.
    from sim.quickbooks.qbxml import Request, build_request
    from sim.stratafolio.service import SERVICE_URL
    from tests.test_update_session import ScriptedService

    request = build_request([Request("CustomerQueryRq", "1")])
    shown_whole = request  # VERBOSE writes the XML as it is, line breaks and all
    office, key = linked_office, r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector"
    connector, app = office.web_connector, office.apps["Acme Properties"]
    office.world.web_services[SERVICE_URL] = ScriptedService(sendRequestXML=[request])

    def update_and_show_whole_request() -> bool:
        mark = len(office.server.qwc_log.text())
        connector.update_selected([app])
        office.world.run(minutes=5)
        return shown_whole in office.server.qwc_log.text()[mark:]

    assert len(shown_whole) > DUMP_CUT and not update_and_show_whole_request()  # DEBUG, the default
    office.server.registry.set_value(key, "Level", "VERBOSE", user=connector.user)
    assert not update_and_show_whole_request() and not update_and_show_whole_request()
    connector.restart()
    assert update_and_show_whole_request()


def test_the_password_is_masked_as_a_value_never_as_a_substring(linked_office):
    # A one-letter password must neither appear as the argument's value nor turn every
    # "p" of the log into asterisks (which garbled the log and revealed the password).
    office = linked_office
    app = office.apps["Acme Properties"]
    office.web_connector.set_password(app, "p")
    office.web_connector.update_selected([app])
    office.world.run(minutes=10)
    text = office.server.qwc_log.text()
    assert "<password=<MaskedForSecurity>" in text
    assert "password=p" not in text and "'p'" not in text
    assert "updateWS() for application" in text


def test_a_message_with_newlines_stays_one_line(host):
    host.qwc_log.write("QBWebConnector.SOAPWebService.do_getLastError()", "bad\r\noutcome: succeeded")
    assert host.qwc_log.text().splitlines() == [
        "20260105.12:00:00 UTC\t: QBWebConnector.SOAPWebService.do_getLastError() : bad\\r\\noutcome: succeeded"
    ]


def test_rolls_over_to_qwclog1(host, monkeypatch):
    monkeypatch.setattr(qwclog, "ROLL_OVER_BYTES", 300)
    monkeypatch.setattr(qwclog, "FLUSH_BYTES", 1)
    log = QwcLog(host)
    for number in range(10):
        log.write("m()", f"line {number} " + "x" * 40)
    assert host.fs.exists(OLD_LOG_PATH)
    assert re.search(r"line 9 ", log.text()) and "line 0 " not in log.text()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.lists(st.text(max_size=12), max_size=2)), min_size=1, max_size=25))
def test_the_size_counted_for_each_kept_line_is_the_size_of_its_text(entries):
    # Lines are kept as parts and made into text later; the roll-over is decided on the sizes
    # counted when each is written, so a wrong count (an escaped control character) moves it.
    host = World(seed=1).add_server("SRV", logged_in="Administrator")
    log = host.qwc_log
    for message, more in entries:
        log.write("m()", message, more)
    log.flush()
    assert len(host.fs.read_text(LOG_PATH)) == log._size


#: Plain text, printable throughout (most of what the Web Connector writes).
words = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.text(max_size=30), st.lists(st.text(max_size=12) | words, max_size=3)),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from([8, 20, qwclog.LINE_LIMIT]),
)
def test_the_size_counted_for_a_vocabulary_line_is_the_size_of_its_text(entries, limit):
    # A line of the vocabulary is counted without looking at its text again when it carries no
    # values, its continuation lines all at once when they are plain text within the limit: each
    # count must still be the text's, whatever is escaped or cut (a short limit here cuts often).
    from sim.webconnector.vocabulary import Line

    kept = qwclog.LINE_LIMIT
    qwclog.LINE_LIMIT = limit
    try:
        host = World(seed=1).add_server("SRV", logged_in="Administrator")
        log = host.qwc_log
        for plain, value, more in entries:
            log.say(Line("m()", plain), more)
            log.say(Line("{where}()", "x {value} y"), more, value=value, where=value)
            log.say(Line("m()", "{value}"), more, value=value)
        log.flush()
        assert len(host.fs.read_text(LOG_PATH)) == log._size
    finally:
        qwclog.LINE_LIMIT = kept


def test_a_rolled_over_log_is_written_when_read_and_never_if_it_is_deleted_first(host, monkeypatch):
    monkeypatch.setattr(qwclog, "ROLL_OVER_BYTES", 600)
    monkeypatch.setattr(qwclog, "FLUSH_BYTES", 1)
    made = []
    render = qwclog._render
    monkeypatch.setattr(qwclog, "_render", lambda lines: made.append(len(lines)) or render(lines))
    log = QwcLog(host)
    for number in range(5):  # four lines to the first file (it has no header here)
        log.write("m()", f"line {number} " + "x" * 100)
    assert made == [] and host.fs.written_later_by(OLD_LOG_PATH) is not None
    assert "line 0 " in host.fs.read_text(OLD_LOG_PATH) and made == [4]
    for number in range(5, 20):
        log.write("m()", f"line {number} " + "x" * 100)
    assert made == [4]  # the rolled-over files in between were deleted unread
    old = host.fs.read_text(OLD_LOG_PATH)
    # A file begun by a roll-over starts with the header block (seven lines), then two lines.
    assert (
        made == [4, 9] and old.startswith("\r\n\r\nLog file initialized at") and "line 16 " in old and "line 17 " in old
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(0, 5),
            st.integers(1, 90_000).map(float),
            st.sampled_from([1 - 1e-7, 1 - 4e-7, 1e-7, 3e-7, 6e-6, 0.9999951]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_each_line_is_stamped_with_its_own_second_even_near_a_seconds_edge(steps):
    # The stamp is formatted once and reused while the time stays inside its second.
    world = World(seed=1)
    host = world.add_server("SRV", logged_in="Administrator")
    expected = []
    for step in steps:
        if world.env.now + step > world.env.now:
            world.env.run(until=world.env.now + step)
        host.qwc_log.write("m()", "x")
        expected.append(f"{world.utc_now:%Y%m%d.%H:%M:%S} UTC\t: m() : x")
    assert host.qwc_log.text().replace("\n", "\r\n").split("\r\n")[:-1] == expected


def test_a_file_begun_by_a_roll_over_is_dated_by_its_first_line_not_by_when_it_was_written(host, monkeypatch):
    monkeypatch.setattr(qwclog, "ROLL_OVER_BYTES", 300)
    monkeypatch.setattr(qwclog, "FLUSH_BYTES", 10**6)  # lines wait in the buffer until read
    log = QwcLog(host)
    for number in range(3):
        log.write("m()", f"line {number} " + "x" * 100)
    log.flush()
    host.world.run(hours=1)  # 08:00 in the office, 13:00 UTC
    for number in range(3, 6):
        log.write("m()", f"line {number} " + "x" * 100)
    host.world.run(hours=2)  # read two hours later
    first = log.text().splitlines()[2]
    assert first == "Log file initialized at Monday, January 5, 2026 - 1:00 PM UTC  "


def test_a_failed_call_is_logged_with_the_exceptions_own_text(linked_office):
    from tests.test_pg_session_rules import update

    linked_office.world.stratafolio.drops_connection_during.add("serverVersion")
    update(linked_office, linked_office.world.stratafolio, auto_run=False)
    # FIELD: "do_serverVersion() : Actual error received from web service for serverVersion call: <The underlying
    # connecti..."
    assert "serverVersion call: <The underlying connection was closed" in linked_office.server.qwc_log.text()


def test_a_dump_in_pieces_is_read_only_as_far_as_debug_keeps_and_whole_at_verbose(host):
    xml = '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<CompanyQueryRs requestID="1" statusCode="0">\n'
    read = []

    def pieces():
        yield xml
        read.append("the rest")
        yield "<CompanyRet>\n<CompanyName>Acme</CompanyName>\n</CompanyRet>\n"

    as_text = QwcLog(host, level="DEBUG")
    as_text.dump(LINE.company_query_dump, xml + "<CompanyRet>...")
    log = QwcLog(host, level="DEBUG")
    log.dump(LINE.company_query_dump, pieces())
    assert read == [] and log._pending[-1][3] == as_text._pending[-1][3]
    log.level = "VERBOSE"
    log.dump(LINE.company_query_dump, pieces())
    assert read == ["the rest"] and log._pending[-1][3][-5:] == (
        "<CompanyRet>",
        "<CompanyName>Acme</CompanyName>",
        "</CompanyRet>",
        "",
        "",
    )
