"""Reading QWCLog.txt as the Web Connector writes it and as people paste it (sim.diagnose.log_reader),
and splitting it into sessions (sim.diagnose.sessions)."""

from datetime import datetime
from pathlib import Path

import pytest

from sim.diagnose.log_reader import MAX_KEPT, MAX_LINE, MAX_MORE, LogReadError, parse_log_text, read_log
from sim.diagnose.sessions import split_sessions

LOGS = Path(__file__).resolve().parent / "logs"
HEADER = (
    "Log file initialized at Monday, May 19, 2025 - 1:22 PM UTC  \n"
    "Timestamp format used: YYYYMMDD.HH:MM:SS UTC\n"
    "QBWebConnector 2.2 has been initialized with its logging status to level = DEBUG.\n"
    "Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log.\n\n"
)


def line(time_of_day: str, prefix: str, message: str) -> str:
    return f"20250519.{time_of_day} UTC\t: {prefix} : {message}\n"


def test_a_real_line_gives_time_prefix_and_message_split_at_the_first_separator():
    log = parse_log_text(
        "20210701.19:32:03 UTC\t: QBWebConnector.SOAPWebService.updateWS() : Received "
        'from authenticate() following parameters:<authRet[0]="T"><authRet[1]="C:\\a : '
        'b.QBW">\n'
    )
    [entry] = log.entries
    assert entry.time == datetime(2021, 7, 1, 19, 32, 3)
    assert entry.prefix == "QBWebConnector.SOAPWebService.updateWS()"
    assert entry.message.endswith('<authRet[1]="C:\\a : b.QBW">')


def test_web_connector_33s_bare_and_empty_prefixes_are_read():
    log = parse_log_text(
        line("13:37:02", "UpdateThisScheduledApp()", "Password management - Started")
        + "20250519.13:25:11 UTC\t:  : ~SingleInstanceHandler() - usingInstanceChannel = false.\n"
    )
    assert [(e.prefix, e.message) for e in log.entries] == [
        ("UpdateThisScheduledApp()", "Password management - Started"),
        ("", "~SingleInstanceHandler() - usingInstanceChannel = false."),
    ]


def test_lines_without_a_timestamp_continue_the_entry_before():
    log = parse_log_text((LOGS / "authentication-failed.txt").read_text())
    failed = next(e for e in log.entries if "QBWC1012" in e.message)
    assert failed.more[0].startswith("The underlying connection was closed") and any(
        "StackTrace" in line for line in failed.more
    )


def test_the_header_block_marks_each_start_with_version_level_and_time():
    log = parse_log_text((LOGS / "renamed-pasted.txt").read_text())
    assert [(s.version, s.level, s.time) for s in log.starts] == [
        ("2.3.0.215", "DEBUG", datetime(2025, 5, 19, 9, 30))
    ] * 2
    assert log.start_count == 2
    assert not any("Log file initialized" in e.text for e in log.entries)


def test_the_entry_after_a_header_and_web_connector_33s_start_up_lines_mark_a_restart():
    log = parse_log_text(
        line("13:00:00", "QBWebConnector.WebServiceManager.DoUpdateSelected()", "Update session has ended.")
        + HEADER
        + line(
            "13:22:06",
            "QBWebConnector.RegistryManager.setUpdateLock()",
            "HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False",
        )
        + line("14:05:07", "QBWebConnector_Load()", "")
        + "QuickBooks Web Connector 33.0.10015.91 has started.\n"
        + line("14:05:07", "QBWebConnector_Load()", "QBWC Form Loaded")
    )
    assert [e.restart for e in log.entries] == [False, True, True, True]


def test_paste_quirks_spaces_for_tabs_junk_before_times_and_fragments_without_times():
    log = parse_log_text((LOGS / "renamed-pasted.txt").read_text())
    assert any(e.time is None and "has STARTED" in e.message for e in log.entries), (
        "a fragment whose timestamp was lost is kept"
    )
    assert sum("QBWC1013" in e.text for e in log.entries if e.time) == 2
    assert log.unknown == [] or all("chatter" in text for _, text in log.unknown)
    glued = parse_log_text(
        "192.168.0.17520161123.08:11:47 UTC\t: UpdateThisScheduledApp() : Password management - Started\n"
    )
    assert glued.entries[0].time == datetime(2016, 11, 23, 8, 11, 47)


def test_a_message_only_fragment_is_read_as_entries_without_times():
    log = parse_log_text(
        "QBWC1012: Authentication failed due to following error message.\n"
        "Index was outside the bounds of the array.\n"
        "Exception in WSManager.Update: Object reference not set to an instance of an object.-QBWebConnector\n"
    )
    assert [(e.time, e.message[:20]) for e in log.entries] == [
        (None, "QBWC1012: Authentica"),
        (None, "Exception in WSManag"),
    ]
    assert log.entries[0].more == ["Index was outside the bounds of the array."]


def test_unknown_lines_are_kept_and_never_fatal():
    log = parse_log_text("hello\n\x07 strange\n20250101.10:00:00 UTC : : empty prefix\n")
    assert [text for _, text in log.unknown] == ["hello", "\x07 strange"]
    assert log.entries[0].message == "empty prefix"


def test_sessions_are_split_with_trigger_app_and_signature():
    sessions = split_sessions(parse_log_text((LOGS / "renamed.txt").read_text()))
    assert [(s.trigger, s.app, s.signature.outcome) for s in sessions] == [
        ("scheduled", "Vendor Sync", "succeeded")
    ] * 2 + [("scheduled", "Vendor Sync", "failed")] * 2
    assert sessions[-1].signature.codes == ("0x80040408", "QBWC1013") and sessions[-1].path.endswith(
        "Harbor Rentals.QBW"
    )


@pytest.mark.parametrize(
    "name, outcome",
    [
        ("nvu.txt", "invalid user"),
        ("none.txt", "no work"),
        ("no-password.txt", "no password"),
        ("parse-error.txt", "failed"),
    ],
)
def test_how_a_session_ended_is_read_from_its_lines(name, outcome):
    sessions = split_sessions(parse_log_text((LOGS / name).read_text()))
    assert sessions[-1].signature.outcome == outcome


def _scheduled_nvu(at: str, order: str) -> str:
    ending = [
        line(
            at,
            "QBWebConnector.WebServiceManager.DoUpdate()",
            "Update completed with errors. See log (QWClog.txt) for details.",
        ),
        line(
            at,
            "UpdateThisScheduledApp()",
            "QBWC1031: Update completed with some error. Application has been notified of the "
            "error accordingly. See QWCLog for further information.",
        ),
    ]
    return (
        line(at, "UpdateThisScheduledApp()", "Password management - Started")
        + line(at, "UpdateThisScheduledApp()", "Password management - Ended")
        + line(at, "UpdateThisScheduledApp()", "Performing SCHEDULED UPDATE for application = Sync")
        + line(
            at,
            "QBWebConnector.SOAPWebService.do_authenticate()",
            '*** Calling authenticate() with following parameters:<userName="u"><password=<MaskedForSecurity>',
        )
        + line(
            at,
            "QBWebConnector.SOAPWebService.updateWS()",
            "Received from authenticate() following "
            'parameters:<authRet[0]=""><authRet[1]="NVU"><authRet[2]="10"><authRet[3]="">',
        )
        + line(
            at,
            "QBWebConnector.SOAPWebService.CheckCFNResponse()",
            "Sync: Not a valid username and password. Job ending.",
        )
        + line(
            at,
            "QBWebConnector.RegistryManager.setUpdateLock()",
            "HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False",
        )
        + "".join(ending if order == "33" else reversed(ending))
    )


@pytest.mark.parametrize("order", ["33", "2.x"])
def test_a_session_closes_in_either_order_without_a_phantom_session(order):
    # Web Connector 33 writes DoUpdate's "Update completed with errors" before QBWC1031; 2.x after it.
    sessions = split_sessions(parse_log_text(_scheduled_nvu("13:33:53", order) + _scheduled_nvu("13:34:04", order)))
    assert [(s.trigger, s.app, s.signature.outcome) for s in sessions] == [("scheduled", "Sync", "invalid user")] * 2


def test_a_session_ending_with_complete_from_close_connection_succeeded():
    text = (LOGS / "renamed.txt").read_text()
    ended = split_sessions(parse_log_text(text[: text.index("20250519.10:00:00")]))
    assert [s.signature.outcome for s in ended] == ["succeeded", "succeeded"]
    fragment = (
        line(
            "15:50:07",
            "QBWebConnector.SOAPWebService.do_closeConnection()",
            '*** Calling closeConnection() with following parameter:<wcTicket="t">',
        )
        + line(
            "15:50:07",
            "QBWebConnector.SOAPWebService.do_closeConnection()",
            'Received from closeConnection() following parameter:<ccResponse="Complete!">',
        )
        + line(
            "15:50:07",
            "QBWebConnector.RegistryManager.setUpdateLock()",
            "HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False",
        )
    )
    assert [s.signature.outcome for s in split_sessions(parse_log_text(fragment))] == ["succeeded"]


def test_adding_an_application_that_succeeds_on_a_retry_succeeded_and_keeps_what_it_recovered_from():
    text = (
        line("13:22:07", "QWCReader.ParseQWC()", "Contents of QWC file: -")
        + "<QBWCXML>\n<AppName>law-firm</AppName>\n</QBWCXML>\n"
        + line(
            "13:22:07",
            "QBWebConnector.WebServiceManager.ReadQWC(QWCReader QWC)",
            "Parsing application configuration xml file to load its content to variables",
        )
        + line("13:22:17", "QBWebConnector.SOAPWebService.ConnectToQB()", "Connecting to QuickBooks...")
        + line(
            "13:22:25",
            "QBWebConnector.SOAPWebService.handleModalDialogError()",
            "QuickBooks Web Connector failed to connect. QuickBooks returned the following "
            "error: <QBWC1053: A modal dialog box is showing in the QuickBooks user "
            "interface.>. Fix the problem and then click OK to try again.",
        )
        + line("13:24:35", "QBWebConnector.SOAPWebService.ConnectToQB()", "Connecting to QuickBooks...")
        + line("13:25:09", "QBWebConnector.SOAPWebService.ConnectToQB()", "Connected., Session started")
        + line("13:25:11", "QBWebConnector.SOAPWebService.AddToQuickBooks()", "Application name = law-firm")
        + line(
            "13:25:11",
            "QBWebConnector.SOAPWebService.AddToQuickBooks()",
            "Application law-firm has been added to QuickBooks.",
        )
        + line("13:25:11", "QBWebConnector.SOAPWebService.DisconnectFromQB()", "Session ended and connection closed")
    )
    [session] = split_sessions(parse_log_text(text))
    assert (session.trigger, session.app, session.signature.outcome) == ("add", "law-firm", "succeeded")
    # QuickBooks' words in the QBWC1053 message are 0x80040414's SDK text: the HRESULT is read from them.
    assert session.recovered == ("0x80040414", "QBWC1053")


def test_none_answered_is_no_work_even_with_qbwc1031():
    text = (
        line("13:44:43", "UpdateThisScheduledApp()", "Performing SCHEDULED UPDATE for application = Sync")
        + line(
            "13:44:44",
            "QBWebConnector.SOAPWebService.updateWS()",
            "Received from authenticate() following "
            'parameters:<authRet[0]=""><authRet[1]="NONE"><authRet[2]="10"><authRet[3]="">',
        )
        + line(
            "13:44:44",
            "QBWebConnector.SOAPWebService.CheckCFNResponse()",
            "No data to exchange for this application. Job ending.",
        )
        + line(
            "13:44:44", "QBWebConnector.WebServiceManager.DoUpdate()", "No data to exchange for the application:  Sync"
        )
        + line(
            "13:44:44",
            "UpdateThisScheduledApp()",
            "QBWC1031: Update completed with some error. Application has been notified of the "
            "error accordingly. See QWCLog for further information.",
        )
    )
    assert [s.signature.outcome for s in split_sessions(parse_log_text(text))] == ["no work"]


def test_a_web_connector_restart_ends_the_session_being_read():
    # An update cut short by a restart, then lines of a failure after the restart: they are not its.
    text = (
        line(
            "10:00:00",
            "QBWebConnector.WebServiceManager.DoUpdateSelected()",
            "updateWS() for application = 'Sync' has STARTED",
        )
        + line(
            "10:00:01",
            "QBWebConnector.SOAPWebService.do_authenticate()",
            '*** Calling authenticate() with following parameters:<userName="u"><password=<MaskedForSecurity>',
        )
        + HEADER
        + line(
            "10:05:00",
            "QBWebConnector.SOAPWebService.ConnectToQB()",
            "QBWC1013: Error connecting to QuickBooks. Company file = 'C:\\a.QBW'",
        )
        + "HRESULT = 0x80040408\n"
        + line(
            "10:05:00",
            "QBWebConnector.WebServiceManager.DoUpdate()",
            "Update completed with errors. See log (QWClog.txt) for details.",
        )
    )
    cut, after = split_sessions(parse_log_text(text))
    assert cut.cut_by_restart and cut.signature.outcome == "unfinished" and cut.codes == []
    assert after.signature.outcome == "failed" and after.start == datetime(2025, 5, 19, 10, 5)


def test_quickbooks_message_without_its_hresult_counts_as_the_hresult():
    text = line(
        "17:52:07",
        "QBWebConnector.SOAPWebService.do_receiveResponseXML()",
        'message="QuickBooks found an error when parsing the provided XML text stream.”',
    )
    [session] = split_sessions(parse_log_text(text))
    assert session.signature.codes == ("0x80040400",) and session.signature.step == "requests"


def test_binary_data_is_refused():
    with pytest.raises(LogReadError, match="binary data"):
        read_log(bytes(range(256)) * 100)


def test_utf16_logs_are_read():
    text = (LOGS / "nvu.txt").read_text()
    assert len(read_log(text.encode("utf-16")).entries) == len(parse_log_text(text).entries)


def test_an_empty_log_has_no_entries():
    assert list(read_log(b"").entries) == []


def test_a_log_larger_than_the_limit_is_read_from_its_end(monkeypatch):
    from sim.diagnose import log_reader

    monkeypatch.setattr(log_reader, "MAX_BYTES", 1_000_000)  # the mechanism, not 64 MB of reading
    line_ = "20250519.14:00:00 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : *** Calling serverVersion().\n"
    data = ("a first line that is dropped\n" + line_ * (3_000_000 // len(line_))).encode()
    log = read_log(data)
    assert log.truncated_from == len(data) - 1_000_000 and log.unknown_count == 0
    assert len(log.entries) <= 1_000_000 // len(line_) + 1 and all(
        entry.message.startswith("***") for entry in log.entries
    )


def test_what_is_kept_of_long_lines_continuations_and_unknown_lines_is_bounded():
    text = (
        line(
            "10:00:00",
            "QBWebConnector.SOAPWebService.do_authenticate()",
            "QBWC1012: Authentication failed " + "x" * (3 * MAX_LINE),
        )
        + "at frame\n" * (MAX_MORE * 3)
        + "junk line\n" * (MAX_KEPT * 2)
    )
    log = parse_log_text(text)
    [entry] = log.entries
    assert len(entry.message) < MAX_LINE and len(entry.more) == MAX_MORE and log.cut_lines == 1
    assert len(log.unknown) == 0 and log.unknown_count == 0  # junk after an entry continues it (and is cut)
    junk = parse_log_text("".join(f"junk line {n}\n" for n in range(MAX_KEPT * 2)))
    assert len(junk.unknown) == MAX_KEPT and junk.unknown_count == MAX_KEPT * 2
    repeated = parse_log_text("y\n" * 1000)  # `yes`: counted, kept once
    assert repeated.unknown == [(1, "y")] and repeated.unknown_count == 1000


@pytest.mark.parametrize(
    "line",
    [
        "The operation has timed out",
        "Could not establish trust relationship for the SSL/TLS secure channel.",
        "The request failed with HTTP status 404: Not Found.",
        "Unable to connect to the remote server",
    ],
)
def test_a_lone_pasted_dotnet_error_line_is_read_as_a_failure(line):
    from sim.diagnose.diagnosis import examine

    log = parse_log_text(line + "\n")
    assert [entry.message for entry in log.entries] == [line]
    assert examine(log).verdict != "no failure"
