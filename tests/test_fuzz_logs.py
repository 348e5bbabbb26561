"""Fuzzing the QWCLog.txt reader and the diagnosis: any bytes are read or refused as binary; any
lines give sessions, never a crash; and no shape of log makes them slower than linear.

The shapes that once made `wcsim diagnose` quadratic (issue 28) are strategies here: one line
repeating a header phrase, header blocks before every entry, failing sessions each with its own
HRESULT, junk lines, message-only fragments. Each is grown to a size and to four times it, and
the time per byte must stay bounded (a quadratic reader takes about four times as long per byte
at four times the size; a linear one the same)."""

import gc
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.diagnose.diagnosis import diagnose, examine
from sim.diagnose.log_reader import LogReadError, parse_log_text, read_log
from sim.diagnose.sessions import split_sessions

LOGS = Path(__file__).resolve().parent / "logs"
REAL_LINES = sorted({line for path in LOGS.glob("*.txt") for line in path.read_text().splitlines() if line.strip()})


@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused_as_binary(data):
    try:
        log = read_log(data)
    except LogReadError:
        return
    for session in split_sessions(log):
        assert session.signature.outcome


lines = st.one_of(
    st.sampled_from(REAL_LINES),
    st.sampled_from(REAL_LINES).map(lambda line: line.replace("\t", " ")),
    st.sampled_from(REAL_LINES).map(lambda line: line.split(" : ", 2)[-1]),  # only the message survived
    st.builds(lambda junk, line: junk + line, st.text(max_size=8), st.sampled_from(REAL_LINES)),
    st.text(max_size=60),
)


@given(st.lists(lines, max_size=60))
def test_any_mix_of_real_and_broken_lines_gives_sessions(mixed):
    log = parse_log_text("\n".join(mixed))
    for session in split_sessions(log):
        assert session.trigger in ("manual", "scheduled", "add", "unknown")
        session.signature.text()


@settings(max_examples=8)
@given(st.lists(st.sampled_from(REAL_LINES), min_size=1, max_size=80))
def test_diagnosing_a_shuffled_log_never_crashes(mixed):
    diagnosis = diagnose(parse_log_text("\n".join(mixed)), workers=1)
    assert diagnosis.text() and diagnosis.as_dict()


# --- time per byte -------------------------------------------------------------------------------
HEADER = (
    "Log file initialized at Monday, May 19, 2025 - 1:22 PM UTC\n"
    "Timestamp format used: YYYYMMDD.HH:MM:SS UTC\n"
    "QBWebConnector 2.2 has been initialized with its logging status to level = DEBUG.\n"
    "Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log.\n"
)


def _failing_session(n: int) -> str:
    at = f"2025{(n // 86400) % 12 + 1:02d}{(n // 3600) % 28 + 1:02d}.{(n // 60) % 24:02d}:{n % 60:02d}:00"
    return (
        f"{at} UTC\t: QBWebConnector.WebServiceManager.UpdateThisScheduledApp() : "
        "Performing SCHEDULED UPDATE for application = Sync\n"
        f"{at} UTC\t: QBWebConnector.SOAPWebService.ConnectToQB() : QBWC1013: Error "
        "connecting to QuickBooks. Company file = 'C:\\a.QBW'\n"
        f"HRESULT = 0x8004{n % 0x10000:04X}\nMessage: error number {n}\n"
        f"{at} UTC\t: QBWebConnector.WebServiceManager.UpdateThisScheduledApp() : "
        "QBWC1031: Update completed with some error.\n"
    )


#: Builders of a log of about `size` bytes in one of the shapes that made the diagnosis quadratic.
SHAPES = {
    "one line repeating a header phrase": lambda size, word: word * (size // len(word)),
    "header blocks before every entry": lambda size, word: (
        (HEADER + f"20250519.10:00:00 UTC\t: {word}() : x\n") * (size // (len(HEADER) + 40))
    ),
    "failing sessions, each its own HRESULT": lambda size, word: "".join(
        _failing_session(n) for n in range(size // 330)
    ),
    "junk lines": lambda size, word: "".join(f"{word}{n % 7}\n" for n in range(size // (len(word) + 2))),
    "message-only fragments": lambda size, word: (
        f"QBWC1013: {word}\nHRESULT = 0x80040408\n" * (size // (len(word) + 32))
    ),
}
words = st.sampled_from(["Log file initialized at ", "QBWebConnector ", "Timestamp format used: ", "x", "UTC : "])


def _seconds(text: str) -> float:
    """The least CPU time, over two runs, of everything the diagnosis does with the log itself.
    Python's cycle collector is held off while it runs: its pauses grow with everything else the
    test process holds (a worker that ran a hundred tests before), not with the log."""
    best = float("inf")
    for _ in range(2):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            diagnosis = examine(read_log(text.encode("utf-8")))
            diagnosis.text()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(max_examples=2, deadline=None)
@given(word=words)
def test_no_shape_of_log_is_read_in_more_than_linear_time(shape, word):
    small, large = SHAPES[shape](200_000, word), SHAPES[shape](800_000, word)
    small_time, large_time = _seconds(small), _seconds(large)
    per_byte = large_time / max(len(large), 1)
    # Linear reading takes 0.3 us a byte at most on these shapes (CPU time, this machine).
    assert per_byte < 1e-6, f"{shape}: {per_byte * 1e6:.2f} us per byte"
    # Four times the bytes may take at most about four times as long (half as much again, for noise).
    assert large_time < 6 * small_time + 0.05, f"{shape}: {small_time:.3f} s then {large_time:.3f} s"


def test_the_quadratic_shapes_of_issue_28_at_their_size_take_seconds():
    # Each took over 49 s (4 MB of header blocks), over 120 s (1 MB of one line repeating a header
    # phrase; 6.5 MB of failing sessions each with its own HRESULT) before.
    for shape, size in (
        ("one line repeating a header phrase", 1_000_000),
        ("header blocks before every entry", 4_000_000),
        ("failing sessions, each its own HRESULT", 6_500_000),
    ):
        text = SHAPES[shape](size, "Log file initialized at ")
        started = time.process_time()
        diagnosis = examine(read_log(text.encode("utf-8")))
        diagnosis.text()
        assert time.process_time() - started < 15, shape


@settings(max_examples=10, deadline=None)
@given(
    st.lists(st.sampled_from(REAL_LINES), min_size=1, max_size=60),
    st.lists(st.dates(), min_size=1, max_size=3),
    st.text(max_size=12),
)
def test_any_dates_and_application_names_give_a_report_and_valid_reproductions(mixed, days, app):
    # Dates from year 1 to 9999 and any characters in the application's name: the report is
    # written, and every candidate's reproduction is a valid scenario file (dates moved into the
    # simulator's calendar, names escaped), so no candidate silently fails to run.
    from sim.diagnose.causes import CANDIDATES, scenario_text
    from sim.scenario import parse_scenario

    text = "\n".join(mixed).replace("Vendor Sync", app or "?")
    for number, day in enumerate(days):
        text = text.replace(f"202505{19 + number}", f"{day:%Y%m%d}")
    diagnosis = examine(parse_log_text(text))
    assert diagnosis.text() and diagnosis.as_dict()
    if diagnosis.context is not None:
        for candidate in CANDIDATES:
            if candidate.applies(diagnosis.context):
                parse_scenario(scenario_text(candidate, diagnosis.context), "fuzz.toml")


@settings(max_examples=40, deadline=None)
@given(
    st.integers(4, 8),
    st.integers(1, 4),
    st.integers(1, 120),
    st.sampled_from([(1, 1, 1), (1, 12, 31), (9999, 12, 30), (2026, 1, 6)]),
    st.sampled_from([(9999, 12, 31), (9999, 1, 1), (1, 1, 2)]),
    st.booleans(),
)
def test_stamps_at_the_calendars_ends_give_a_diagnosis_and_every_reproduction(before, after, every, first, then, fail):
    # Scheduled runs stamped in year 1 and then in 9999 (a clock reset, a corrupt log): a pause of ten
    # thousand years is no overflow; every candidate's reproduction is still written.
    from datetime import datetime, timedelta

    from sim.diagnose.causes import CANDIDATES, scenario_text

    outcome = "QBWC1031: Update completed with some error." if fail else "Update session has ended."
    start, later = datetime(*first), datetime(*then)
    times = [start + timedelta(minutes=every * n) for n in range(before)] + [
        later + timedelta(minutes=every * n) for n in range(after)
    ]
    times = [t for t in times if t.year <= 9999]
    text = "".join(
        f"{t.year:04d}{t:%m%d.%H:%M:%S} UTC\t: UpdateThisScheduledApp() : Performing "
        "SCHEDULED UPDATE for application = Acme\n"
        f"{t.year:04d}{t:%m%d.%H:%M:%S} UTC\t: UpdateThisScheduledApp() : {outcome}\n"
        for t in times
    )
    diagnosis = examine(parse_log_text(text), copied_at=None)
    if diagnosis.context is not None:
        for candidate in CANDIDATES:
            assert scenario_text(candidate, diagnosis.context)
