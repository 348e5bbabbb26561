"""Fuzzing the QWCLog.txt reader: any bytes are read or refused as binary; any lines give sessions, never a crash."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.diagnose.diagnosis import diagnose
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
