r"""Reading a QWCLog.txt as the real Web Connector writes it and as people paste it.

The format is `tests/data/qwclog_vocabulary.md`'s: `YYYYMMDD.HH:MM:SS UTC<TAB>: <prefix> : <message>`,
lines without a timestamp continuing the entry before (exception text, `HRESULT =`
and `Message:` lines, XML dumps, QWC contents), and a header block that starts the
file and repeats when the Web Connector restarts. Pasted copies lose the tab, gain
junk before the timestamp, collapse blank lines, or keep only message text; the
reader searches for the timestamp anywhere in a line, and keeps every line it
cannot place as a fragment, never failing on it. The input is bounded: the reader
takes at most `MAX_BYTES` (the end of a larger log, where the failure usually is)
and refuses binary data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["LogEntry", "ParsedLog", "LogReadError", "read_log", "parse_log_text", "MAX_BYTES"]

#: The most of a log read (its end); diagnosing 10 MB takes a few seconds.
MAX_BYTES = 20_000_000

_STAMP = re.compile(r"(\d{8})\.(\d{2}):(\d{2}):(\d{2}) UTC[\t ]*:[\t ]?")
_PREFIX = re.compile(r"^((?:QBWebConnector|QWCReader)[\w.]*\([^)]*\)|[\w.]+\(\))\s*:\s?(.*)$")
_HEADER = (
    re.compile(r"Log file initialized at (.+?) UTC"),
    re.compile(r"Timestamp format used:"),
    re.compile(r"QBWebConnector (\S+) has been initialized with its logging status to level = (\w+)"),
    re.compile(r"Please restart QBWebConnector for any change in log level"),
)


class LogReadError(ValueError):
    """The input is no text log at all (binary data)."""


@dataclass
class LogEntry:
    """One timestamped line and the lines that continue it; `time` is None for a fragment
    whose timestamp was lost."""

    number: int  # line number in the input, 1-based
    time: datetime | None
    prefix: str
    message: str
    more: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([self.message, *self.more])

    def line(self) -> str:
        when = f"{self.time:%Y%m%d.%H:%M:%S} UTC" if self.time else "(no time)"
        return f"{when} : {self.prefix} : {self.message}" if self.prefix else f"{when} : {self.message}"


@dataclass
class ParsedLog:
    entries: list[LogEntry] = field(default_factory=list)
    starts: list[tuple[int, str, str]] = field(default_factory=list)  # (line, QBWC version, level) per header
    unknown: list[tuple[int, str]] = field(default_factory=list)  # lines kept but not understood
    truncated_from: int = 0  # bytes skipped at the start of an over-long log


def read_log(data: bytes) -> ParsedLog:
    """Parse a log given as bytes (UTF-8, UTF-16 with a BOM, or Windows-1252)."""
    skipped = 0
    if len(data) > MAX_BYTES:
        skipped = len(data) - MAX_BYTES
        data = data[skipped:]
        data = data[data.find(b"\n") + 1 :] if b"\n" in data else data  # start on a whole line
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        sample = data[:65536]
        if sample and (sample.count(b"\x00") > len(sample) // 100 or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20):
            raise LogReadError("this is binary data, not a QWCLog.txt (a text file)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    parsed = parse_log_text(text)
    parsed.truncated_from = skipped
    return parsed


def parse_log_text(text: str) -> ParsedLog:
    parsed = ParsedLog()
    current: LogEntry | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.replace("\ufeff", "").rstrip()
        if not line.strip():
            continue
        stamp = _STAMP.search(line)
        if stamp:
            day, hour, minute, second = stamp.groups()
            try:
                when = datetime.strptime(f"{day}{hour}{minute}{second}", "%Y%m%d%H%M%S")
            except ValueError:
                when = None
            prefix, message = _split(line[stamp.end() :])
            current = LogEntry(number, when, prefix, message)
            parsed.entries.append(current)
            continue
        header = _header(line)
        if header is not None:
            if header:
                parsed.starts.append((number, *header))
            current = None
            continue
        prefix, message = _split(line.strip())
        if current is not None and not prefix and not _ENTRY_START.match(message) and not (current.time is None and _looks_like_a_message(message)):
            current.more.append(line.strip())
            continue
        if prefix or _looks_like_a_message(message):
            # A pasted fragment whose timestamp was lost: still an entry, with no time.
            current = LogEntry(number, None, prefix, message)
            parsed.entries.append(current)
        else:
            parsed.unknown.append((number, line.strip()[:300]))
    return parsed


def _split(rest: str) -> tuple[str, str]:
    match = _PREFIX.match(rest.strip())
    if match:
        return match.group(1), match.group(2).strip()
    return "", rest.strip().removeprefix(": ").strip()


def _header(line: str) -> tuple[str, str] | None:
    """("version", "level") for the header line that names them, () for other header lines."""
    for pattern in _HEADER:
        match = pattern.search(line)
        if match:
            return (match.group(1), match.group(2)) if match.re is _HEADER[2] else ()
    return None


_KNOWN_MESSAGES = re.compile(
    r"updateWS\(\)|SCHEDULED UPDATE|Calling \w+\(\)|Received from|QBWC1\d{3}|HRESULT|has COMPLETED|Update completed|"
    r"Job ending|authRet|Connecting to QuickBooks|Session started|UpdateLock|Password management"
)


#: Messages that begin an entry of their own: a line starting so is never a continuation.
_ENTRY_START = re.compile(r"(updateWS\(\) for application|Performing SCHEDULED UPDATE|QBWC1\d{3}:|\*\*\* Calling|Received from \w+\(\)|Password management)")


def _looks_like_a_message(text: str) -> bool:
    return bool(_KNOWN_MESSAGES.search(text))
