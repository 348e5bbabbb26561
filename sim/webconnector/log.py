r"""QWCLog.txt: the Web Connector's log file, written on the host's fake disk.

The file lives at `C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt` and
its lines look like the real ones (DOMAIN.md section 4):
`20210701.19:32:03 UTC : UpdateThisScheduledApp() : Performing SCHEDULED UPDATE ...`.
Levels: NONE, DEBUG (the default) and VERBOSE, which adds the full XML exchanged.
The simulated local time is written as the log's "UTC" time (assumed: the
simulator has no time zones). Passwords never reach the file: they are
never given to it: the session masks the password argument by name, as the real
log writes `<MaskedForSecurity>`, never by searching text for it. Each line is one
line: text that came from a web service is escaped (sim.text.one_line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.text import one_line

if TYPE_CHECKING:
    from sim.windows.host import Host

__all__ = ["QwcLog", "LOG_PATH", "LEVELS"]

LOG_PATH = r"C:\ProgramData\Intuit\QBWebConnector\log\QWCLog.txt"
OLD_LOG_PATH = r"C:\ProgramData\Intuit\QBWebConnector\log\QWCLog1.txt"
#: Assumed: the log is rolled over to QWCLog1.txt when it passes this size.
ROLL_OVER_BYTES = 1_000_000
#: Lines are buffered like a file stream and written in chunks of this size, or
#: whenever the log is read through `QwcLog.text` (one disk write per line would
#: make month-long runs slow).
FLUSH_BYTES = 64_000
LEVELS = ("NONE", "DEBUG", "VERBOSE")


class QwcLog:
    """The QWCLog.txt of one host."""

    def __init__(self, host: "Host", level: str = "DEBUG") -> None:
        self.host = host
        self.level = level
        self.lines_written = 0
        self._size = 0
        self._pending: list[str] = []
        self._pending_size = 0

    @property
    def level(self) -> str:
        return self._level

    @level.setter
    def level(self, value: str) -> None:
        if value.upper() not in LEVELS:
            from sim.errors import ConfigurationError

            raise ConfigurationError(f"Web Connector log level must be one of {', '.join(LEVELS)}, not {value!r}")
        self._level = value.upper()

    def write(self, method: str, message: str, verbose: bool = False) -> None:
        if self._level == "NONE" or (verbose and self._level != "VERBOSE"):
            return
        message = one_line(message, 100_000)
        stamp = self.host.world.now
        line = f"{stamp:%Y%m%d.%H:%M:%S} UTC : {method} : {message}\r\n"
        self._pending.append(line)
        self._pending_size += len(line)
        self.lines_written += 1
        if self._pending_size >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the buffered lines to the file."""
        if not self._pending:
            return
        chunk, self._pending, self._pending_size = "".join(self._pending), [], 0
        if self._size + len(chunk) > ROLL_OVER_BYTES and self._size:
            if self.host.fs.exists(OLD_LOG_PATH):
                self.host.fs.remove(OLD_LOG_PATH)
            self.host.fs.rename(LOG_PATH, OLD_LOG_PATH)
            self._size = 0
        self.host.fs.append_text(LOG_PATH, chunk)
        self._size += len(chunk)

    def text(self) -> str:
        self.flush()
        if not self.host.fs.exists(LOG_PATH):
            return ""
        return self.host.fs.read_text(LOG_PATH).replace("\r\n", "\n")
