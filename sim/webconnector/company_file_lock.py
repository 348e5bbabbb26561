r"""The AppLock: a value Web Connector keeps in the company file, set while one of its sessions works.

When Web Connector adds an application it creates two private data extensions on the
company file's Company object under the application's OwnerID: `FileID` and `AppLock`
(`registerDataExtInQB()`, `CompanyFileLock.initialize() : Company file has been
initialized with AppLock = UNLOCKED:<HOST> for ownerID = <{GUID}>`). Each session reads
the AppLock after connecting (`Send_CompanyQueryRqXML`), sets it to
`LOCKED:<HOST>:<.NET ticks, UTC>` (`getLock() : Got Lock = ...`, written with
`Send_DataExtModRqXML`) and clears it to `UNLOCKED:<HOST>` at its end (`unsetLock()`).
All of that is FIELD: published QWCLog.txt files show these lines.

The value lives in the file, not on the computer: a second Web Connector (another
computer, another Windows user) finds it set, and a session that dies half-way (power,
a killed process) leaves it set. What Web Connector then does is not public. Assumed,
and labelled so in the trace: a lock set by this same computer is its own (only one
update runs at a time here, the UpdateLock sees to that) and is taken over; a lock set
by another computer less than `STALE_AFTER_SECONDS` ago stops the update before any
request; an older one is taken over.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.parts import World
    from sim.quickbooks.request_processor import SdkSession

__all__ = [
    "LOCKED",
    "UNLOCKED",
    "STALE_AFTER_SECONDS",
    "dotnet_ticks",
    "read_lock",
    "initialize",
    "try_lock",
    "unset_lock",
]

LOCKED, UNLOCKED = "LOCKED", "UNLOCKED"
#: Assumed: how old another computer's lock must be before Web Connector takes it over.
STALE_AFTER_SECONDS = 3600
_TICKS_PER_SECOND = 10_000_000
_EPOCH = datetime(1, 1, 1)


def dotnet_ticks(moment: datetime) -> int:
    """.NET's DateTime.Ticks: 100-nanosecond intervals since 0001-01-01 00:00."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * _TICKS_PER_SECOND + delta.microseconds * 10


def read_lock(session: SdkSession) -> str:
    """The AppLock value of the session's application, as the company file holds it ("" if none)."""
    return session.company.app_locks.get(session.owner_id, "")


def initialize(world: World, session: SdkSession, host: str) -> str:
    """Adding an application: the AppLock is created unlocked for this computer."""
    return _write(world, session, f"{UNLOCKED}:{host}")


def try_lock(world: World, session: SdkSession, host: str) -> tuple[bool, str]:
    """Take the AppLock for a session from `host`: (taken, the value now in the file)."""
    held = read_lock(session)
    parts = held.split(":")
    if parts[0] == LOCKED:
        age = _age_seconds(world, parts[2] if len(parts) > 2 else "")
        another_computer = len(parts) >= 2 and parts[1].casefold() != host.casefold()
        # Only a readable lock another computer set in the last hour holds: one whose time cannot be read,
        # or lies in the future (that computer's clock ahead), would otherwise stop every update for good.
        if another_computer and age is not None and 0 <= age < STALE_AFTER_SECONDS:
            world.record(host, "qbwc.app_lock_held", source="assumed", app=session.app_name, lock=held)
            return False, held
        world.record(
            host,
            "qbwc.app_lock_taken_over",
            source="assumed",
            app=session.app_name,
            lock=held,
            age_seconds=int(age or 0),
        )
    return True, _write(world, session, f"{LOCKED}:{host}:{dotnet_ticks(world.utc_now)}")


def unset_lock(world: World, session: SdkSession, host: str) -> str:
    return _write(world, session, f"{UNLOCKED}:{host}")


def _age_seconds(world: World, ticks: str) -> float | None:
    try:
        return (dotnet_ticks(world.utc_now) - int(ticks)) / _TICKS_PER_SECOND
    except ValueError:
        return None


def _write(world: World, session: SdkSession, value: str) -> str:
    """A DataExtMod request: the value is saved in the company file at once (FIELD)."""
    session.company.app_locks[session.owner_id] = value
    session.company.save(session.location.host, session.location.path, by="QuickBooks")
    return value
