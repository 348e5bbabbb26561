"""Reading QWCLog.txt as the Web Connector writes it and as people paste it (sim.diagnose.log_reader)."""

import time
from datetime import datetime
from pathlib import Path

import pytest

from sim.diagnose.log_reader import MAX_BYTES, LogReadError, parse_log_text, read_log
from sim.diagnose.sessions import split_sessions

LOGS = Path(__file__).resolve().parent / "logs"


def test_a_real_line_gives_time_prefix_and_message_split_at_the_first_separator():
    log = parse_log_text("20210701.19:32:03 UTC\t: QBWebConnector.SOAPWebService.updateWS() : Received from authenticate() following parameters:<authRet[0]=\"T\"><authRet[1]=\"C:\\a : b.QBW\">\n")
    [entry] = log.entries
    assert entry.time == datetime(2021, 7, 1, 19, 32, 3)
    assert entry.prefix == "QBWebConnector.SOAPWebService.updateWS()"
    assert entry.message.endswith('<authRet[1]="C:\\a : b.QBW">')


def test_lines_without_a_timestamp_continue_the_entry_before():
    log = parse_log_text((LOGS / "authentication-failed.txt").read_text())
    failed = next(e for e in log.entries if "QBWC1012" in e.message)
    assert failed.more[0].startswith("The underlying connection was closed") and any("StackTrace" in line for line in failed.more)


def test_the_header_block_marks_each_start_with_version_and_level():
    text = (LOGS / "renamed-pasted.txt").read_text()
    log = parse_log_text(text)
    assert [(version, level) for _, version, level in log.starts] == [("2.3.0.215", "DEBUG"), ("2.3.0.215", "DEBUG")]
    assert not any("Log file initialized" in e.text for e in log.entries)


def test_paste_quirks_spaces_for_tabs_junk_before_times_and_fragments_without_times():
    log = parse_log_text((LOGS / "renamed-pasted.txt").read_text())
    assert any(e.time is None and "has STARTED" in e.message for e in log.entries), "a fragment whose timestamp was lost is kept"
    assert sum("QBWC1013" in e.text for e in log.entries if e.time) == 2
    assert log.unknown == [] or all("chatter" in text for _, text in log.unknown)


def test_unknown_lines_are_kept_and_never_fatal():
    log = parse_log_text("hello\n\x07 strange\n20250101.10:00:00 UTC : : empty prefix\n")
    assert [text for _, text in log.unknown] == ["hello", "\x07 strange"]
    assert log.entries[0].message == ": empty prefix" or log.entries[0].message == "empty prefix"


def test_sessions_are_split_with_trigger_app_and_signature():
    sessions = split_sessions(parse_log_text((LOGS / "renamed.txt").read_text()))
    assert [(s.trigger, s.app, s.signature.outcome) for s in sessions] == [("scheduled", "Vendor Sync", "succeeded")] * 2 + [("scheduled", "Vendor Sync", "failed")] * 2
    assert sessions[-1].signature.codes == ("0x80040408", "QBWC1013") and sessions[-1].path.endswith("Harbor Rentals.QBW")


@pytest.mark.parametrize("name, outcome", [("nvu.txt", "invalid user"), ("none.txt", "no work"), ("no-password.txt", "no password"), ("parse-error.txt", "failed")])
def test_how_a_session_ended_is_read_from_its_lines(name, outcome):
    sessions = split_sessions(parse_log_text((LOGS / name).read_text()))
    assert sessions[-1].signature.outcome == outcome


def test_binary_data_is_refused():
    with pytest.raises(LogReadError, match="binary data"):
        read_log(bytes(range(256)) * 100)


def test_utf16_logs_are_read():
    text = (LOGS / "nvu.txt").read_text()
    assert len(read_log(text.encode("utf-16")).entries) == len(parse_log_text(text).entries)


def test_an_empty_log_has_no_entries():
    assert read_log(b"").entries == []


def test_a_log_larger_than_the_limit_is_read_from_its_end_in_bounded_time():
    line = "20250519.14:00:00 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : *** Calling serverVersion().\n"
    data = (line * (100_000_000 // len(line))).encode()  # a 100 MB log
    started = time.monotonic()
    log = read_log(data)
    assert log.truncated_from > 0 and len(log.entries) <= MAX_BYTES // len(line) + 1
    assert time.monotonic() - started < 30
