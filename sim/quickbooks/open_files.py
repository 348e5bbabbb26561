"""Who has which company file open, in which mode, and which data each holds locked.

QuickBooks coordinates the users of one company file across computers: a file
opened in single-user mode admits nobody else, multi-user mode admits many, and
while a person edits a transaction QuickBooks locks what it touches, so an
integrated application cannot write there until the edit is saved (the SDK's
"cannot lock" and "in use" failures). pyfakefs knows none of this, so the world
keeps it here, keyed by where the file really is (host and local path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from sim.errors import CompanyFileError

if TYPE_CHECKING:
    from sim.quickbooks.company_file import CompanyFile
    from sim.windows.network import Location

__all__ = ["OpenCompanyFiles", "FileUse", "SINGLE_USER", "MULTI_USER", "check_mode_allows"]

SINGLE_USER = "single-user"
MULTI_USER = "multi-user"


@dataclass(frozen=True)
class FileUse:
    """One program using a company file: a person in QuickBooks, or an integrated application."""

    host: str
    user: str
    mode: str
    by_person: bool

    def describe(self) -> str:
        who = self.user if self.by_person else f"integrated application ({self.user})"
        return f"{who} on {self.host} in {self.mode} mode"


def file_key(location: Location) -> tuple[str, str]:
    return (location.host.name.upper(), location.path.casefold())


class OpenCompanyFiles:
    """The world's table of open company files and data locks."""

    def __init__(self, env: simpy.Environment) -> None:
        self._env = env
        self._uses: dict[tuple[str, str], list[FileUse]] = {}
        self._locks: dict[tuple[str, str], dict[str, str]] = {}
        self._content: dict[tuple[str, str], CompanyFile] = {}
        self._parsed: dict[tuple[str, str], tuple[bytes, CompanyFile]] = {}
        self.changed = env.event()

    def _notify(self) -> None:
        # People working in QuickBooks wait on this to notice a sync starting or ending.
        event, self.changed = self.changed, self._env.event()
        event.succeed()

    def uses(self, location: Location) -> list[FileUse]:
        return list(self._uses.get(file_key(location), []))

    def content(self, location: Location, where: str) -> CompanyFile:
        """What QuickBooks works on when it opens the file: the copy its users share,
        or else the file read from disk.

        Reading is cached on the identity of the bytes on disk (every change to a
        company file is saved at once, so unchanged bytes mean unchanged content):
        a month of Auto-Run opens the same unchanged file thousands of times."""
        from sim.quickbooks.company_file import CompanyFile

        key = file_key(location)
        shared = self._content.get(key)
        if shared is not None:
            return shared
        # Saved last by QuickBooks and not yet written out: the bytes would be this content's
        # own serialization, so it is the content (without making and parsing megabytes).
        producer = location.host.fs.written_later_by(location.path)
        owner = getattr(producer, "__self__", None)
        if isinstance(owner, CompanyFile):
            return owner
        data = location.host.fs.read_bytes(location.path)
        cached = self._parsed.get(key)
        if cached is not None and cached[0] is data:
            return cached[1]
        company = CompanyFile.from_bytes(data, where=where)
        self._parsed[key] = (data, company)
        return company

    def shared_content(self, location: Location) -> CompanyFile | None:
        """The content every user of an open file works on (None if nobody has it open).

        Like QuickBooks' database server, all users of an open file see one copy,
        so one user's new invoice is at once visible to the others."""
        return self._content.get(file_key(location))

    def add(self, location: Location, use: FileUse, company: CompanyFile) -> CompanyFile:
        """Register a user of the file; returns the shared content they must work on."""
        key = file_key(location)
        self._uses.setdefault(key, []).append(use)
        shared = self._content.setdefault(key, company)
        self._notify()
        return shared

    def remove(self, location: Location, use: FileUse) -> None:
        key = file_key(location)
        uses = self._uses.get(key, [])
        if use in uses:
            uses.remove(use)
        if not uses:
            self._uses.pop(key, None)
            self._locks.pop(key, None)
            self._content.pop(key, None)
        self._notify()

    # --- data locks ------------------------------------------------------------------
    def lock(self, location: Location, area: str, holder: str) -> bool:
        """Take the lock on `area` (e.g. "Accounts Receivable"); False if someone else holds it."""
        locks = self._locks.setdefault(file_key(location), {})
        current = locks.get(area)
        if current is not None and current != holder:
            return False
        locks[area] = holder
        return True

    def unlock(self, location: Location, area: str, holder: str) -> None:
        locks = self._locks.get(file_key(location), {})
        if locks.get(area) == holder:
            del locks[area]

    def lock_holder(self, location: Location, area: str) -> str | None:
        return self._locks.get(file_key(location), {}).get(area)


def check_mode_allows(uses: list[FileUse], mode: str, path: str) -> None:
    """QuickBooks' rule for sharing a file: single-user admits nobody else."""
    single = [u for u in uses if u.mode == SINGLE_USER]
    if single:
        raise CompanyFileError(f"{path!r} is open in single-user mode by {single[0].describe()}")
    if mode == SINGLE_USER and uses:
        raise CompanyFileError(f"{path!r} cannot be opened in single-user mode: it is in use by {uses[0].describe()}")
