r"""Reading a QWCLog.txt as the real Web Connector writes it and as people paste it.

The format is `tests/data/qwclog_vocabulary.md`'s: `YYYYMMDD.HH:MM:SS UTC<TAB>: <prefix> : <message>`,
lines without a timestamp continuing the entry before (exception text, `HRESULT =`
and `Message:` lines, XML dumps, QWC contents), and a header block that starts the
file and repeats when the Web Connector restarts (Web Connector 33 also writes a
start-up block of timestamped lines). Pasted copies lose the tab, gain junk before
the timestamp, collapse blank lines, or keep only message text; the reader searches
for the timestamp anywhere in a line, reads message-only fragments as entries
without a time, and keeps every line it cannot place, never failing on it.

Everything is bounded and linear in the input: one pass over the lines, each cut to
`MAX_LINE` characters before any pattern sees it (no pattern can then cost more than
a line's length), at most `MAX_BYTES` of the log (its end, where the failure usually
is), at most `MAX_ENTRIES` entries kept (the last ones), `MAX_MORE` continuation
lines an entry and `MAX_KEPT` unknown lines and restarts (the rest only counted).
Binary data is refused.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, cast

from sim.diagnose.dotnet_errors import DOTNET_WORDS

__all__ = [
    "LogEntry",
    "ParsedLog",
    "Start",
    "LogReadError",
    "read_log",
    "parse_log_text",
    "is_startup",
    "MAX_BYTES",
    "MAX_LINE",
    "MAX_ENTRIES",
    "MAX_MORE",
    "MAX_KEPT",
]

#: The most of a log read (its end). A real-format 50 MB log is read whole in a few seconds.
MAX_BYTES = 64_000_000
#: Characters of one line looked at; a longer line (an XML dump on one line, junk) is cut.
MAX_LINE = 4_000
#: Entries kept: the last ones (a log of 64 MB of the shortest possible lines has more).
MAX_ENTRIES = 600_000
#: Continuation lines kept for one entry (a VERBOSE XML dump has thousands; the first ones tell).
MAX_MORE = 60
#: Unknown lines and restarts kept (each only counted beyond).
MAX_KEPT = 2_000

_STAMP = re.compile(r"(\d{8})\.(\d{2}):(\d{2}):(\d{2}) UTC[\t ]*:[\t ]?")
_PREFIX = re.compile(
    r"((?:QBWebConnector|QWCReader)[\w.]{0,200}\([^()]{0,200}\)|[\w.~]{1,200}\(\)|)[\t ]*:[\t ]?(.*)", re.S
)
_HEADER_FIRST = re.compile(r"Log file initialized at \w+, (\w+ \d{1,2}, \d{4} - \d{1,2}:\d{2} [AP]M) UTC")
_HEADER_LEVEL = re.compile(
    r"QBWebConnector (\S{1,40}) has been initialized with its logging status to level = (\w{1,20})"
)
_HEADER_OTHER = re.compile(
    r"Log file initialized at|Timestamp format used:|Please restart QBWebConnector for any change in log level"
)
#: Timestamped lines only a (re)starting Web Connector writes (Web Connector 33's start-up block).
_STARTUP = re.compile(
    r"has started\.|QBWC Form Loaded|Maximum connection retries count has been set|NotifyWindowOn has been set"
)
#: Words of the QWCLog.txt vocabulary: a line without a timestamp or prefix that has one is a
#: fragment of a log (pasted message text), not junk.
_VOCABULARY = re.compile(
    r"updateWS\(\)|SCHEDULED UPDATE|Calling \w+\(\)|Received "
    r"from|QBWC1\d{3}|HRESULT|0x8004[0-9A-Fa-f]{4}|has COMPLETED|"
    r"Update completed|Job ending|authRet|Connecting to QuickBooks|Session started|UpdateLock|Password management|"
    r"Exception in WSManager|Actual error received from web service|ccResponse|Sending error message back|"
    r"Authentication failed|No data to exchange|has been postponed|Enter a password|has been added to QuickBooks|"
    r"Update session|AppURL:|QBWebConnector|Web ?Connector"
)
#: .NET's words for the errors Web Connector reports: a pasted message alone is a fragment too,
#: though after another line they continue it (its exception text).
_ERROR_WORDS = re.compile(r"Error message:|Exception|" + DOTNET_WORDS.pattern, re.I)
#: Messages that begin an entry of their own: a line starting so is never a continuation.
_ENTRY_START = re.compile(
    r"(updateWS\(\) for application|Performing SCHEDULED UPDATE|QBWC1\d{3}:|\*\*\* "
    r"Calling|Received from \w+\(\)|Password management|"
    r"Exception in WSManager|Actual error received from web service|Update completed "
    r"with|Update session has ended|Sending error message back)"
)


class LogReadError(ValueError):
    """The input is no text log at all (binary data)."""


@dataclass(slots=True)
class LogEntry:
    """One timestamped line and the lines that continue it; `time` is None for a fragment
    whose timestamp was lost; `restart` says the Web Connector (re)started just before it."""

    number: int  # line number in the input, 1-based
    time: datetime | None
    prefix: str
    message: str
    more: list[str] | tuple[()] = ()  # a list once it holds a line
    restart: bool = False

    @property
    def text(self) -> str:
        return " ".join([self.message, *self.more]) if self.more else self.message

    def line(self) -> str:
        when = f"{self.time:%Y%m%d.%H:%M:%S} UTC" if self.time else "(no time)"
        return f"{when} : {self.prefix} : {self.message}" if self.prefix else f"{when} : {self.message}"


@dataclass(slots=True)
class Start:
    """A header block: the Web Connector started (or its log was cleared)."""

    line: int
    version: str
    level: str
    time: datetime | None  # from "Log file initialized at ...", when it could be read


@dataclass
class ParsedLog:
    entries: list[LogEntry] = field(default_factory=list)
    starts: list[Start] | deque = field(default_factory=list)  # the last MAX_KEPT header blocks
    unknown: list[tuple[int, str]] = field(default_factory=list)  # the first MAX_KEPT lines kept but not understood
    start_count: int = 0  # header blocks seen in all
    unknown_count: int = 0  # lines not understood in all
    dropped_entries: int = 0  # entries read but not kept (the oldest, past MAX_ENTRIES)
    truncated_from: int = 0  # bytes skipped at the start of an over-long log
    cut_lines: int = 0  # lines longer than MAX_LINE, read cut


def read_log(data: bytes) -> ParsedLog:
    """Parse a log given as bytes (UTF-8, UTF-16 with a BOM, or Windows-1252)."""
    skipped = 0
    if len(data) > MAX_BYTES:
        skipped = len(data) - MAX_BYTES
        data = data[skipped:]
        newline = data.find(b"\n", 0, MAX_LINE * 4)
        data = data[newline + 1 :] if newline >= 0 else data  # start on a whole line
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        sample = data[:65536]
        if sample and (
            sample.count(b"\x00") > len(sample) // 100
            or sum(sample.count(bytes([b])) for b in _CONTROL_BYTES) > len(sample) // 20
        ):
            raise LogReadError("this is binary data, not a QWCLog.txt (a text file)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    parsed = parse_log_text(text)
    parsed.truncated_from = skipped
    return parsed


_CONTROL_BYTES = [b for b in range(32) if not 9 <= b <= 13]
_TIMES: dict[str, datetime | None] = {}


def _time(key: str) -> datetime | None:
    """The time of a `YYYYMMDD.HH:MM:SS` stamp; runs of lines share a second, so times are cached
    (the cache is bounded)."""
    when: datetime | None | Literal[False] = _TIMES.get(key, False)
    if when is False:
        try:
            when = datetime.strptime(key, "%Y%m%d.%H:%M:%S")
        except ValueError:
            when = None
        if len(_TIMES) > 50_000:
            _TIMES.clear()
        _TIMES[key] = when
    return when


def parse_log_text(text: str) -> ParsedLog:
    entries: deque[LogEntry] = deque(maxlen=MAX_ENTRIES)
    starts: deque[Start] = deque(maxlen=MAX_KEPT)
    parsed = ParsedLog(cast("list[LogEntry]", entries), starts)  # a deque while reading, made a list at the end
    current: LogEntry | None = None
    restart = False  # a header block since the last entry
    read = 0
    prefixes: dict[str, str] = {}  # one string per distinct prefix
    position, number, size = 0, 0, len(text)
    last_unknown = None
    while position < size:  # line by line, without a list of them all
        end = text.find("\n", position)
        if end < 0:
            end = size
        number += 1
        if end - position > MAX_LINE:
            parsed.cut_lines += 1
            line = text[position : position + MAX_LINE].strip()
        else:
            line = text[position:end].strip()
        position = end + 1
        if not line:
            continue
        if line == last_unknown:  # junk repeated (`yes x`): counted, nothing more to find in it
            parsed.unknown_count += 1
            continue
        if "\ufeff" in line:
            line = line.replace("\ufeff", "")
        stamp = _STAMP.match(line) if line[0].isdigit() else None
        if stamp is None and "UTC" in line:
            stamp = _STAMP.search(line)
        if stamp:
            prefix, message = _split(line[stamp.end() :])
            prefix = prefixes.setdefault(prefix, prefix) if len(prefixes) < 10_000 else prefix
            at = stamp.start()
            current = LogEntry(
                number, _time(line[at : at + 17]), prefix, message, (), restart or _starting(prefix, message)
            )
            restart = False
            entries.append(current)
            read += 1
            last_unknown = None
            continue
        if (
            current is not None
            and current.time is not None
            and " : " not in line
            and not _HEADERISH(line)
            and not _ENTRY_START.match(line)
        ):
            # The usual continuation: exception text, XML dumped, a QWC file's contents.
            if len(current.more) < MAX_MORE:
                if current.more:
                    current.more.append(line)
                else:
                    current.more = [line]
            continue
        if _HEADERISH(line):
            header = _header(line)
            if header is not None:
                if not restart:  # the first line of a header block
                    parsed.start_count += 1
                    starts.append(Start(number, "", "", None))
                    restart = True
                block = starts[-1]
                block.version, block.level = header[0] or block.version, header[1] or block.level
                block.time = header[2] or block.time
                current = None
                continue
        prefix, message = _split(line)
        if (
            current is not None
            and not prefix
            and not _ENTRY_START.match(message)
            and not (current.time is None and _VOCABULARY.search(message))
        ):
            if len(current.more) < MAX_MORE:
                if current.more:
                    current.more.append(line)
                else:
                    current.more = [line]
            continue
        if prefix or _VOCABULARY.search(message) or (current is None and _ERROR_WORDS.search(message)):
            # A pasted fragment whose timestamp was lost: still an entry, with no time.
            current = LogEntry(number, None, prefix, message, (), restart)
            restart = False
            entries.append(current)
            read += 1
        else:
            parsed.unknown_count += 1
            last_unknown = line
            if len(parsed.unknown) < MAX_KEPT:
                parsed.unknown.append((number, line[:300]))
    parsed.dropped_entries = read - len(entries)
    parsed.entries = list(entries)
    return parsed


_PREFIXES: dict[str, bool] = {}


def _split(rest: str) -> tuple[str, str]:
    """(prefix, message) of what follows the timestamp: split at the first ` : ` after the prefix."""
    rest = rest.strip()
    if "(" not in rest and not rest.startswith(":"):
        return "", rest  # no prefix can be in it
    cut = rest.find(" : ")
    if cut > 0:  # the usual shape: a prefix seen many times before, its verdict remembered
        prefix = rest[:cut].rstrip()
        known = _PREFIXES.get(prefix)
        if known is None:
            match = _PREFIX.match(prefix + " :")
            known = bool(match and match.group(1) == prefix)
            if len(_PREFIXES) > 10_000:
                _PREFIXES.clear()
            _PREFIXES[prefix] = known
        if known:
            return prefix, rest[cut + 3 :].strip()
    match = _PREFIX.match(rest)
    if match and (match.group(1) or rest.startswith(":")):
        return match.group(1), match.group(2).strip()
    return "", rest.removeprefix(": ").strip()


def _header(line: str) -> tuple[str, str, datetime | None] | None:
    """(version, level, time) a header line tells ("" and None where it tells nothing), None for
    a line that is no header line."""
    level = _HEADER_LEVEL.search(line)
    if level:
        return (level.group(1), level.group(2), None)
    first = _HEADER_FIRST.search(line)
    if first:
        try:
            return ("", "", datetime.strptime(first.group(1), "%B %d, %Y - %I:%M %p"))
        except ValueError:
            return ("", "", None)
    return ("", "", None) if _HEADER_OTHER.search(line) else None


def _starting(prefix: str, message: str) -> bool:
    if prefix.endswith("_Load()"):
        return True
    return ("started" in message or "Loaded" in message or "Maximum" in message or "Notify" in message) and bool(
        _STARTUP.search(message)
    )


def _HEADERISH(line: str) -> bool:
    """The line may be a header line (checked before the patterns that tell)."""
    return "QBWebConnector" in line or "Log file" in line or "Timestamp format" in line


def is_startup(entry: LogEntry) -> bool:
    """The entry is one of the lines a (re)starting Web Connector writes."""
    return _starting(entry.prefix, entry.message)
