r"""QWCLog.txt: the Web Connector's log file, in the real format, on the host's fake disk.

The file lives at `C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt`. Its lines
are the real ones (`tests/data/qwclog_vocabulary.md`, from published logs):
`20210701.19:32:03 UTC<TAB>: QBWebConnector.WebServiceManager.DoUpdateSelected() : updateWS() ...`,
with lines that carry no timestamp continuing the line before (exception text,
`HRESULT = ...` / `Message: ...`, XML dumps). A header block starts the file and
repeats whenever the Web Connector starts; it names the level, which is read from
the `Level` registry value at start-up only (a change takes effect after a
restart, as the header says). Levels: NONE writes nothing, DEBUG (the default) cuts
each XML dump to 75 characters and `......`, VERBOSE writes it whole. A file begun
by a roll-over starts with a header too. The
log's times are UTC, the office's local time converted (sim.world.to_utc; messages that
carry a time, the start-up banner and a postponement, carry the local one, as real logs do). Passwords never reach the
file: the session writes
`<MaskedForSecurity>` for the password argument, by name. Every line is one line:
text from a web service is escaped (sim.text.one_line).

Lines are kept as their parts and made into text only when the file is read: a
month-long run logs millions of lines, and most are rolled over and deleted
unread. Sizes are counted exactly as the text will be, so the roll-over falls on
the same line either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from sim.text import one_line

if TYPE_CHECKING:
    from sim.webconnector.vocabulary import Line
    from sim.windows.host import Host

__all__ = ["QwcLog", "LOG_PATH", "LEVELS", "DUMP_CUT"]

LOG_PATH = r"C:\ProgramData\Intuit\QBWebConnector\log\QWCLog.txt"
OLD_LOG_PATH = r"C:\ProgramData\Intuit\QBWebConnector\log\QWCLog1.txt"
#: Assumed: the log is rolled over to QWCLog1.txt when it passes this size.
ROLL_OVER_BYTES = 1_000_000
#: Lines are buffered like a file stream and flushed in chunks of this size; the roll-over
#: is decided at a flush. The flushed chunks reach the fake disk once per file: a rolled-over
#: file as a deferred write (`HostFilesystem.write_later`: its text is made only if someone
#: reads it before the next roll-over replaces it), the current file when the log is read
#: through `QwcLog.text` / `flush` (pyfakefs copies the whole file on every append).
FLUSH_BYTES = 64_000
#: How far from a second's edges a time must be for its stamp to be reused (seconds).
_EDGE = 5e-6
#: The longest a line's text may be; longer text is cut (sim.text.one_line).
LINE_LIMIT = 100_000
LEVELS = ("NONE", "DEBUG", "VERBOSE")
#: At DEBUG an XML dump is cut to this many characters, then "......" (FIELD: published logs).
DUMP_CUT = 75


class QwcLog:
    """The QWCLog.txt of one host."""

    def __init__(self, host: Host, level: str = "DEBUG") -> None:
        self.host = host
        self.level = level
        self._header_version = "2.2"
        self.lines_written = 0
        self._size = 0  # bytes of the current file, on disk or not yet
        # Lines kept as parts (stamp, prefix, message, continuation lines) or, for the header, text.
        self._pending: list = []  # not yet flushed
        self._pending_size = 0
        self._unwritten: list = []  # flushed, in the current file, not yet on the disk
        self._env = host.world.env
        self._stamp = ""
        self._stamp_size = 0
        self._stamp_from = self._stamp_until = 0.0  # the simulated seconds the stamp holds for

    @property
    def level(self) -> str:
        return self._level

    @level.setter
    def level(self, value: str) -> None:
        if str(value).upper() not in LEVELS:
            from sim.errors import ConfigurationError

            raise ConfigurationError(f"Web Connector log level must be one of {', '.join(LEVELS)}, not {value!r}")
        self._level = str(value).upper()

    # --- writing ------------------------------------------------------------------------------
    # (SimPy's clock read directly and the sizes counted inline: a session writes about 130 lines.)
    def write(self, prefix: str, message: str = "", more: Iterable[str] = ()) -> None:
        """One timestamped line, then continuation lines without a timestamp."""
        if self._level == "NONE":
            return
        if type(message) is not str:
            message = str(message)
        self._add(prefix, message, len(prefix) + _shown_length(message), more)

    def say(self, line: Line, more: Iterable[str] = (), **values: object) -> None:
        """One line of the vocabulary (sim.webconnector.vocabulary), its placeholders filled."""
        if self._level == "NONE":
            return
        prefix = line.prefix
        if values:
            message = line.message.format(**values)
            shown = len(message)
            if shown > LINE_LIMIT or not message.isprintable():
                shown = _shown_length(message)
            if line.prefix_size < 0:  # the prefix has placeholders too
                prefix = prefix.format(**values)
                self._add(prefix, message, len(prefix) + shown, more)
            else:
                self._add(prefix, message, line.prefix_size + shown, more)
        elif 0 <= line.plain_size <= LINE_LIMIT:  # (counted once for the line: most lines carry no values)
            self._add(prefix, line.message, line.plain_size, more)
        else:
            self._add(prefix, line.message, len(prefix) + _shown_length(line.message), more)

    def _add(self, prefix: str, message: str, size: int, more: Iterable[str]) -> None:
        """Keep a line whose prefix and message take `size` characters in the file."""
        if not self._stamp_from <= self._env._now < self._stamp_until:
            self._new_stamp()
        size += self._stamp_size
        if more:
            more = tuple(more)
            try:
                text = "".join(more)
            except TypeError:  # not all text
                text = None
            if text is not None and len(text) <= LINE_LIMIT and text.isprintable():
                size += len(text) + 2 * len(more)  # (each written as it is, then CR LF)
            else:
                more = tuple(extra if type(extra) is str else str(extra) for extra in more)
                for extra in more:
                    size += _shown_length(extra) + 2
            self.lines_written += len(more)
        self._pending.append((self._stamp, prefix, message, more))
        self.lines_written += 1
        self._pending_size += size
        if self._pending_size >= FLUSH_BYTES:
            self._flush_pending()

    def _new_stamp(self) -> None:
        """Format the time once for all the lines written in the same second (there are many):
        kept while the simulated time stays inside that second, well clear of its edges, where
        rounding to microseconds could tip it into the next one."""
        world = self.host.world
        moment = world.utc_now
        # (what strftime's %Y%m%d.%H:%M:%S writes for four-digit years, in half the time)
        self._stamp = (
            f"{moment.year:04d}{moment.month:02d}{moment.day:02d}."
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} UTC\t: "
        )
        self._stamp_size = len(self._stamp) + 5  # and " : " before the message, CR LF after
        second_began = world.seconds - moment.microsecond / 1_000_000
        self._stamp_from, self._stamp_until = second_began + _EDGE, second_began + 1 - _EDGE

    def dump(self, line: Line, xml: str | Iterator[str], **values: object) -> None:
        """`line` (an "XML dump follows: -"), then the XML as lines without a timestamp, between
        blank lines: at VERBOSE whole, at DEBUG its first 75 characters, line breaks kept and
        counted, then "......" (FIELD: SHAPES.md section 9). The XML may come as an iterator of
        pieces, read only as far as the level keeps: a long answer made in pieces is not made
        whole to be cut at DEBUG."""
        if self._level == "NONE":
            return
        if type(xml) is not str and not isinstance(xml, str):  # (built qbXML is a str too)
            xml = (
                _as_far_as(xml, DUMP_CUT + 1 if self._level == "DEBUG" else None)
                if isinstance(xml, Iterator)
                else str(xml)
            )
        if self._level == "DEBUG" and len(xml) > DUMP_CUT:
            xml = xml[:DUMP_CUT] + "......"
        pieces = xml.split("\n")
        if "\r" in xml:
            pieces = [piece.rstrip("\r") for piece in pieces]
        self.say(line, ["", *pieces, ""], **values)

    def header(self, started_at, level: str, version: str = "2.2") -> None:
        """The block that starts the file and repeats each time the Web Connector starts (FIELD:
        two blank lines, four lines, the first ending in two spaces, and a blank line)."""
        self.level = level
        self._header_version = version
        if self._level == "NONE":
            return
        self._append(self._header_lines(started_at))

    def _header_lines(self, started_at) -> list[str]:
        hour = started_at.hour % 12 or 12
        return [
            "\r\n",
            "\r\n",
            f"Log file initialized at {started_at:%A, %B} {started_at.day}, {started_at.year} "
            f"- {hour}:{started_at:%M} {'AM' if started_at.hour < 12 else 'PM'} UTC  \r\n",
            "Timestamp format used: YYYYMMDD.HH:MM:SS UTC\r\n",
            f"QBWebConnector {self._header_version} has been initialized with its logging "
            f"status to level = {self._level}.\r\n",
            "Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log.\r\n",
            "\r\n",
        ]

    def _append(self, lines: list[str]) -> None:
        self._pending.extend(lines)
        self._pending_size += sum(len(line) for line in lines)
        self.lines_written += len(lines)
        if self._pending_size >= FLUSH_BYTES:
            self._flush_pending()

    def _flush_pending(self) -> None:
        if not self._pending:
            return
        lines, size, self._pending, self._pending_size = self._pending, self._pending_size, [], 0
        if self._size + size > ROLL_OVER_BYTES and self._size:
            self._roll_over()
            # The new file starts with a header, dated when its first line was written.
            first = next((line for line in lines if type(line) is not str), None)
            header = self._header_lines(_stamp_time(first[0]) if first is not None else self.host.world.utc_now)
            lines[:0] = header
            size += sum(len(line) for line in header)
            self.lines_written += len(header)
            self._size = 0
        self._unwritten.extend(lines)
        self._size += size

    def _roll_over(self) -> None:
        """QWCLog.txt becomes QWCLog1.txt (replacing it) and a new QWCLog.txt starts. Written as
        a deferred write of QWCLog1.txt: the same bytes and times as writing QWCLog.txt, removing
        QWCLog1.txt and renaming, without the three file operations, dozens of times a week."""
        lines, self._unwritten = self._unwritten, []
        fs = self.host.fs
        earlier = b""
        if fs.exists(LOG_PATH):  # part of the file is on the disk already (the log was read)
            earlier = fs.read_bytes(LOG_PATH)
            fs.remove(LOG_PATH)
        if not fs.exists(OLD_LOG_PATH):
            fs.write_bytes(OLD_LOG_PATH, b"")
        fs.write_later(OLD_LOG_PATH, lambda: earlier + _render(lines).encode("utf-8"))

    def _write_out(self) -> None:
        if self._unwritten:
            lines, self._unwritten = self._unwritten, []
            self.host.fs.append_text(LOG_PATH, _render(lines))

    def forget_file(self) -> None:
        """QWCLog.txt was deleted: what was logged is gone, and the next line starts a new file."""
        self._pending, self._pending_size, self._unwritten, self._size = [], 0, [], 0

    def exists(self) -> bool:
        """Whether QWCLog.txt exists, counting what is logged but not yet on the disk."""
        return bool(self._size or self._pending) or self.host.fs.exists(LOG_PATH)

    def flush(self) -> None:
        """Write everything logged so far to QWCLog.txt on the computer's disk."""
        self._flush_pending()
        self._write_out()

    def text(self) -> str:
        self.flush()
        if not self.host.fs.exists(LOG_PATH):
            return ""
        return self.host.fs.read_text(LOG_PATH).replace("\r\n", "\n")


def _stamp_time(stamp: str) -> datetime:
    """The time a line's stamp ("20260105.12:00:00 UTC\t: ") names."""
    return datetime.strptime(stamp[:17], "%Y%m%d.%H:%M:%S")


def _as_far_as(pieces: Iterator[str], enough: int | None) -> str:
    """The text of `pieces`, read until it is `enough` characters long (None: all of it)."""
    if enough is None:
        return "".join(pieces)
    text = ""
    for piece in pieces:
        text += piece
        if len(text) >= enough:
            break
    return text


def _shown_length(text: str) -> int:
    """The length `text` will have in the file: printable text is written as it is."""
    length = len(text)
    return length if length <= LINE_LIMIT and text.isprintable() else len(one_line(text, LINE_LIMIT))


def _render(lines: list) -> str:
    """The file's text for kept lines: header lines are text already, the rest are parts."""
    parts = []
    for line in lines:
        if type(line) is str:
            parts.append(line)
            continue
        stamp, prefix, message, more = line
        parts.append(f"{stamp}{prefix} : {one_line(message, LINE_LIMIT)}\r\n")
        parts.extend(f"{one_line(extra, LINE_LIMIT)}\r\n" for extra in more)
    return "".join(parts)
