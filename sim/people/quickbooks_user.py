"""A person who works in QuickBooks Desktop on workdays, as a SimPy process.

On each weekday the person arrives at their computer (waking it or switching it
on and logging in to Windows if needed), opens their company file at the start of
their day, enters invoices and payments until the end of it, and closes
QuickBooks. While entering a transaction they hold QuickBooks' lock on the
Accounts Receivable register, so an integrated application cannot write there
meanwhile. Their work advances at the pace QuickBooks allows: while an
integrated-application session is attached to their own QuickBooks they cannot
work at all until it ends (FIELD: Codat), and while one runs elsewhere in their
file each task takes longer (assumed model, see
`sim.quickbooks.desktop.SLOWDOWN_PER_SYNC`); both are written to the trace. While a
session runs in a QuickBooks started in the background on their computer, they
cannot open the file at all (FIELD: Codat) and try again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from sim.errors import SimError
from sim.quickbooks.open_files import MULTI_USER

if TYPE_CHECKING:
    from sim.windows.host import Host
    from sim.world import World

__all__ = ["QuickBooksPerson", "AR_REGISTER"]

AR_REGISTER = "Accounts Receivable"
#: A person whose company file will not open tries again after this long, this
#: many times a day, and then gives up until tomorrow (assumed: what people do).
RETRY_OPEN_MINUTES = 30
OPEN_TRIES_PER_DAY = 3
#: How much extra time a person's work must take before they "notice their computer slowing down"
#: (the article's words). Assumed, after Nielsen's response-time limits: a delay past 1 s interrupts
#: a person's flow of thought (0.1 s passes unnoticed); past 10 s it takes their attention away.
NOTICEABLE_SLOWDOWN_SECONDS = 1.0


@dataclass
class QuickBooksPerson:
    """A QuickBooks user with workday habits."""

    world: World
    name: str
    host: Host
    company_file: str  # the path they open, as they open it (mapped letter, UNC or local)
    windows_user: str | None = None
    password: str = ""
    mode: str = MULTI_USER
    day_starts: str = "08:30"
    day_ends: str = "17:00"
    task_minutes: tuple[float, float] = (4.0, 12.0)  # entering one invoice or payment
    pause_seconds: tuple[float, float] = (5.0, 40.0)  # between two of them
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    #: Works over Remote Desktop in a session of their own on `host` (a server), as on a
    #: terminal server, and signs out at the end of the day.
    remote_desktop: bool = False

    def __post_init__(self) -> None:
        self.actor = f"{self.name}@{self.host.name}"
        self.slowed_seconds = 0.0  # extra time their work took because of syncs
        self.tasks_done = 0
        self.process: simpy.Process | None = None

    def start(self) -> QuickBooksPerson:
        self.process = self.world.process(self._life())
        return self

    # --- a day ------------------------------------------------------------------------------
    def _life(self):
        world = self.world
        while True:
            yield world.wait_until(self.day_starts)
            day_started = world.seconds
            if world.now.weekday() in self.workdays:
                yield from self.workday()
            # Whatever the day brought, the next one starts tomorrow: a day that ended at
            # the instant it began must not begin again at that same instant.
            if world.seconds < day_started + 60:
                yield world.env.timeout(day_started + 60 - world.seconds)

    def workday(self):
        """One day at the desk, from arrival to going home."""
        world, host = self.world, self.host
        end = world.at(self.day_ends)
        if not host.is_on and not self.remote_desktop:
            host.boot() if host.power.value == "off" else host.wake()
        try:
            desktop = self._sign_in()
        except SimError as error:  # a server that is off cannot be reached over Remote Desktop
            world.record(
                self.actor,
                "person.cannot_open",
                source="assumed",
                path=self.company_file,
                reason=str(error),
                next="gives up for the day",
            )
            return
        for attempt in range(1, OPEN_TRIES_PER_DAY + 1):
            try:
                desktop.open_company_file(self.company_file, self.name, self.password, self.mode)
                break
            except SimError as error:
                gives_up = attempt == OPEN_TRIES_PER_DAY or world.seconds + RETRY_OPEN_MINUTES * 60 >= end
                world.record(
                    self.actor,
                    "person.cannot_open",
                    source="assumed",
                    path=self.company_file,
                    reason=str(error),
                    next="gives up for the day" if gives_up else f"tries again in {RETRY_OPEN_MINUTES} min",
                )
                if gives_up:
                    return
                yield world.env.timeout(RETRY_OPEN_MINUTES * 60)
                if not self._signed_in():
                    return
        if desktop.dialogs:
            desktop.dismiss_dialogs()
        while world.seconds < end and desktop.opened is not None:
            yield from self._enter_transaction(desktop, end)
            yield world.env.timeout(world.random.uniform(*self.pause_seconds))
        if desktop.opened is not None and desktop.opened.user == self.name:
            desktop.close_company_file()
        if self.remote_desktop:
            host.disconnect_remote_desktop(self._windows_user())

    def _windows_user(self) -> str:
        return self.windows_user or self.host.windows_users[0]

    def _sign_in(self):
        """Log in to Windows (at the console, or over Remote Desktop): the QuickBooks they will use."""
        host = self.host
        if self.remote_desktop:
            return host.connect_remote_desktop(self._windows_user())
        if host.logged_in is None:
            host.log_in(self._windows_user())
        return host.quickbooks

    def _signed_in(self) -> bool:
        if self.remote_desktop:
            return self.host.has_remote_session(self._windows_user())
        return self.host.is_on and self.host.logged_in is not None

    def _enter_transaction(self, desktop, end: float):
        world = self.world
        opened = desktop.opened
        files = world.open_company_files
        if not files.lock(opened.location, AR_REGISTER, self.actor):
            yield world.env.timeout(30)  # someone else is in the register: try again shortly
            return
        try:
            work = world.random.uniform(*self.task_minutes) * 60
            yield from self._work(desktop, work, end)
            if desktop.opened is opened and world.seconds < end:
                self._save_transaction(desktop)
                self.tasks_done += 1
        finally:
            files.unlock(opened.location, AR_REGISTER, self.actor)

    def _save_transaction(self, desktop) -> None:
        world, company = self.world, desktop.opened.company
        customer = world.random.choice(company.records["customers"])["Name"]
        today = world.now.date().isoformat()
        unpaid = company.matching("invoices", "CustomerRef", customer)
        if unpaid and world.random.random() < 0.4:
            invoice = world.random.choice(unpaid)
            desktop.enter_transaction(
                "payments",
                {
                    "CustomerRef": customer,
                    "TotalAmount": invoice["Subtotal"],
                    "AppliedTo": invoice["TxnID"],
                    "TxnDate": today,
                },
            )
        else:
            number = str(5000 + len(company.records["invoices"]))
            desktop.enter_transaction(
                "invoices",
                {
                    "RefNumber": number,
                    "CustomerRef": customer,
                    "TxnDate": today,
                    "Subtotal": f"{world.random.randint(80, 3000)}.00",
                    "Memo": "",
                },
            )

    def _work(self, desktop, seconds: float, end: float):
        """Do `seconds` of work at the pace QuickBooks allows, noting every slowdown. While an integrated
        application's session is attached to this QuickBooks the work does not advance at all: the menus do
        not open (FIELD: Codat's "Pausing QuickBooks Desktop connector"); a session elsewhere in the file
        slows it by the assumed factor (`sim.quickbooks.desktop.SLOWDOWN_PER_SYNC`)."""
        env, world = self.world.env, self.world
        remaining = seconds
        slowed_since, factor = None, 1.0
        while remaining > 1e-6 and env.now < end and self.host.is_on:
            blocked = desktop.busy_with_session()
            factor = 1.0 if blocked else desktop.slowdown_factor()
            if (blocked or factor > 1.0) and slowed_since is None:
                slowed_since = env.now
                if blocked:
                    world.record(
                        self.actor,
                        "person.blocked",
                        source="FIELD",
                        reason="an integrated application's session holds this QuickBooks: menus do not open",
                    )
                else:
                    world.record(self.actor, "person.slowed_down", source="assumed", percent=round((factor - 1) * 100))
            elif not blocked and factor == 1.0 and slowed_since is not None:
                self._slowdown_ended(slowed_since)
                slowed_since = None
            started = env.now
            if blocked:
                yield world.open_company_files.changed | env.timeout(end - env.now)
                self.slowed_seconds += env.now - started
                continue
            yield env.timeout(remaining * factor) | world.open_company_files.changed
            elapsed = env.now - started
            remaining -= elapsed / factor
            self.slowed_seconds += elapsed - elapsed / factor
        if slowed_since is not None:
            self._slowdown_ended(slowed_since)

    def _slowdown_ended(self, since: float) -> None:
        self.world.record(
            self.actor, "person.slowdown_ended", source="assumed", lasted_seconds=round(self.world.seconds - since, 1)
        )
