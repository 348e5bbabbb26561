"""QWCLog.txt as the Web Connector finds it when it starts: writable, readable, not too large.

Every Windows user who runs the Web Connector must be able to write its log; when it
cannot, the log cannot be initialized and the Web Connector does not run (QBWC1033, the
PG's appendix A). A log it can write but not use, because the file is corrupt (a block of
NUL bytes a power cut left mid-write, bytes that are not text) or has grown too large, is
QBWC1085: the Web Connector goes on without logging, and integrators' fix is to delete
QWCLog.txt and restart it (FIELD: integrators' notes, tests/data/vendor_pages/qbwc1085.md).
QBWC1085's wording, the size limit and what counts as corrupt are assumed: Intuit's own
page is not in the stored copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.webconnector.log import LOG_PATH

if TYPE_CHECKING:
    from sim.windows.host import Host

__all__ = [
    "LogProblem",
    "log_problem",
    "damage_log",
    "delete_log",
    "TOO_LARGE_BYTES",
    "UNUSABLE_MESSAGE",
    "NOT_WRITABLE_MESSAGE",
]

#: Assumed: past this size the Web Connector cannot use QWCLog.txt (it rolls its own log over at 1 MB).
TOO_LARGE_BYTES = 4_000_000
#: Assumed wording (QBWC1085); the PG's for QBWC1033.
UNUSABLE_MESSAGE = (
    "QBWC1085: QuickBooks was unable to write to the log file. QuickBooks Web "
    "Connector will continue to function without logging."
)
NOT_WRITABLE_MESSAGE = "QBWC1033: The QBWebConnector log file could not be initialized. QBWebConnector will not run."
#: Assumed: what a power cut in the middle of a write leaves at the end of the file.
NUL_BLOCK = 4096


@dataclass(frozen=True)
class LogProblem:
    code: str  # "QBWC1033" (the Web Connector does not run) or "QBWC1085" (it runs without a log)
    reason: str
    source: str


def log_problem(host: Host, user: str) -> LogProblem | None:
    """What stops `user`'s Web Connector from using QWCLog.txt on `host`, if anything."""
    fs = host.fs
    if not fs.can_write(LOG_PATH, user):
        return LogProblem("QBWC1033", f"{user} cannot write {LOG_PATH}", "PG")
    if not fs.exists(LOG_PATH):  # (lines not yet written out are the running program's, not the file's)
        return None
    data = fs.read_bytes(LOG_PATH)
    if len(data) > TOO_LARGE_BYTES:
        return LogProblem("QBWC1085", f"{LOG_PATH} is {len(data):,} bytes (over {TOO_LARGE_BYTES:,}, assumed)", "FIELD")
    if b"\x00" in data:
        return LogProblem("QBWC1085", f"{LOG_PATH} is corrupt (NUL bytes)", "FIELD")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return LogProblem("QBWC1085", f"{LOG_PATH} is corrupt (not text)", "FIELD")
    return None


def damage_log(host: Host, how: str = "corrupt") -> None:
    """QWCLog.txt is damaged: "corrupt" (a power cut mid-write leaves a block of NUL bytes, assumed) or
    "too large" (a file past the size the Web Connector can use, e.g. one restored from elsewhere)."""
    log = host.qwc_log
    log.flush()
    if how == "corrupt":
        host.fs.append_text(LOG_PATH, "\x00" * NUL_BLOCK)
    elif how == "too large":
        host.fs.append_text(LOG_PATH, "x" * (TOO_LARGE_BYTES + 1) + "\r\n")
    else:
        from sim.errors import ConfigurationError

        raise ConfigurationError(f"QWCLog.txt damage must be 'corrupt' or 'too large', not {how!r}")
    host.world.record(host.name, "qwclog.damaged", source="assumed", how=how)


def delete_log(host: Host) -> None:
    """Someone deletes QWCLog.txt (integrators' fix for QBWC1085, followed by a restart of the Web Connector)."""
    log = host.qwc_log
    log.flush()
    if host.fs.exists(LOG_PATH):
        host.fs.remove(LOG_PATH)
    log.forget_file()
    host.world.record(host.name, "qwclog.deleted", source="FIELD")
