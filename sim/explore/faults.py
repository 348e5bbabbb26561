"""Faults seeded into the model, one at a time, to measure and test the explorer.

Each fault is a small, plausible mistake in one mechanism (what a developer could write), put in
with a monkeypatch so the model is whole again afterwards. `bench/explore_time_to_find.py` times
how soon the explorer finds each one (FuzzBench and Magma judge fuzzers so: time to bug); the
tests show each is reported by the invariant named here, and that the model without the fault
is not. Where a fault sits says what it takes to reach it: "session" ones only show when
something happens inside an update session's few seconds.
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Fault", "FAULTS", "fault"]


@dataclass(frozen=True)
class Fault:
    name: str
    where: str  # "session", "people and hosts", "STRATAFOLIO", "QuickBooks", "model"
    invariant: str  # the invariant that sees it
    description: str
    apply: Callable[[Any], None]  # (a pytest MonkeyPatch) -> None


def _lookup_removed(mp) -> None:
    # STRATAFOLIO adds a waiting invoice without looking it up by RefNumber first: an add whose
    # answer was lost (the computer slept between QuickBooks adding it and receiveResponseXML)
    # is added again at the next sync.
    mp.setattr("sim.stratafolio.service.FIRST_PUSH_STEP", "add")


def _ticket_reused(mp) -> None:
    # STRATAFOLIO "resumes" a session nobody closed (the computer stopped mid-session): the
    # computer's next authenticate gets that session's ticket again.
    from sim.stratafolio.service import StratafolioService

    authenticate = StratafolioService.authenticate

    def reusing(self, strUserName, strPassword):
        left_open = next(
            (ticket for ticket, job in self.jobs.items() if job.computer.user_name == str(strUserName)), None
        )
        if left_open is None:
            return authenticate(self, strUserName, strPassword)
        new_ticket, self.new_ticket = self.new_ticket, (lambda: left_open)
        try:
            return authenticate(self, strUserName, strPassword)
        finally:
            self.new_ticket = new_ticket

    mp.setattr(StratafolioService, "authenticate", reusing)


def _update_lock_kept(mp) -> None:
    # A session cut short while its process lives on (the computer slept) leaves the registry's
    # UpdateLock set, as if the process had died: every later update waits for it and gives up.
    from sim.webconnector.update_session import UpdateSession

    abandon = UpdateSession._abandon
    mp.setattr(UpdateSession, "_abandon", lambda self, process_ended: abandon(self, True))


def _app_lock_never_taken_over(mp) -> None:
    # An AppLock a session left set in the company file (it died half-way) is never taken over:
    # Web Connector refuses the file to itself from then on.
    from sim.webconnector import company_file_lock

    try_lock = company_file_lock.try_lock

    def never(world, session, host):
        held = company_file_lock.read_lock(session)
        if held.startswith(company_file_lock.LOCKED):
            return False, held
        return try_lock(world, session, host)

    mp.setattr(company_file_lock, "try_lock", never)


def _wake_does_not_resume(mp) -> None:
    # Waking up does not tell the programs waiting for the Windows session: Auto-Run, waiting
    # because the computer was asleep when a run fell due, never runs again.
    from sim.windows.host import Host, PowerState

    def wake(self):
        if self.power is not PowerState.ASLEEP:
            return
        self.power = PowerState.ON
        self.world.record(self.name, "host.awake")

    mp.setattr(Host, "wake", wake)


def _marked_synced_before_answer(mp) -> None:
    # STRATAFOLIO marks an invoice as in QuickBooks when it sends the InvoiceAdd, not when
    # QuickBooks' answer comes: a session cut short before QuickBooks processed it loses it.
    from sim.stratafolio.service import StratafolioService

    send = StratafolioService.sendRequestXML

    def marking(self, ticket, **rest):
        request = send(self, ticket, **rest)
        job = self.jobs.get(ticket)
        if job is not None and job.in_flight is not None and job.in_flight[0] == "add":
            job.in_flight[1].qb_txn_id = f"(sent as {job.in_flight[1].ref_number})"
        return request

    mp.setattr(StratafolioService, "sendRequestXML", marking)


def _learning_removed(mp) -> None:
    # STRATAFOLIO never learns the company file's path (PG ch.10): after the recovery steps it
    # keeps answering the old one.
    mp.setattr("sim.stratafolio.service.StratafolioService._learn_company_file", lambda self, job, path: None)


def _quickbooks_adds_twice(mp) -> None:
    from sim.quickbooks.request_processor import RequestProcessor

    add = RequestProcessor._add

    def twice(self, session, request, name, kind, *rest):
        response = add(self, session, request, name, kind, *rest)
        if response.records:
            session.company.records[kind].append(dict(session.company.records[kind][-1]))
        return response

    mp.setattr(RequestProcessor, "_add", twice)


def _scheduler_does_not_wait_for_a_session(mp) -> None:
    # The spin is caught by the world's livelock guard; a lower limit catches it sooner.
    mp.setattr("sim.world.MAX_EVENTS_AT_ONE_INSTANT", 5_000)

    def already(self, user=None):
        event = self.world.env.event()
        event.succeed()
        return event

    mp.setattr("sim.windows.host.Host.wait_for_session", already)


def _quickbooks_forgets_what_it_added(mp) -> None:
    # QuickBooks answers an add with the new record but does not keep it: STRATAFOLIO holds a
    # record the company file lacks. No copy anywhere ("0 times" is not a duplicate).
    from sim.quickbooks.request_processor import RequestProcessor

    add = RequestProcessor._add

    def forgets(self, session, request, name, kind, *rest):
        response = add(self, session, request, name, kind, *rest)
        if response.records:
            session.company.records[kind].pop()
        return response

    mp.setattr(RequestProcessor, "_add", forgets)


def _failures_lose_their_code(mp) -> None:
    # A session that fails says so, but not why: no QBWC code, no HRESULT.
    from sim.webconnector.update_session import _Stop

    def without_code(self, outcome, code="", message=""):
        Exception.__init__(self, message)
        self.outcome, self.code, self.message = outcome, "", message

    mp.setattr(_Stop, "__init__", without_code)


def _world_random_unseeded(mp) -> None:
    # Something in the model draws from a generator the seed does not decide (the invoices
    # STRATAFOLIO users create, their customers and amounts): one history, two traces. (The
    # process and a counter, not the system's entropy: no two worlds draw alike, in one process
    # or in two, and whether a search sees it does not vary from run to run.)
    from sim.world import World

    init, worlds = World.__init__, itertools.count()

    def unseeded(self, *arguments, **keywords):
        init(self, *arguments, **keywords)
        self.random = random.Random(f"{os.getpid()}:{next(worlds)}")

    mp.setattr(World, "__init__", unseeded)


FAULTS: tuple[Fault, ...] = (
    Fault(
        "lookup-before-add-removed",
        "session",
        "record-duplicated",
        "STRATAFOLIO adds an invoice without looking it up first",
        _lookup_removed,
    ),
    Fault(
        "ticket-reused",
        "session",
        "ticket-reused",
        "STRATAFOLIO hands out again the ticket of a session nobody closed",
        _ticket_reused,
    ),
    Fault(
        "update-lock-kept",
        "session",
        "sync-does-not-resume",
        "the UpdateLock stays set when a session is cut short by sleep",
        _update_lock_kept,
    ),
    Fault(
        "app-lock-left-set",
        "session",
        "sync-does-not-resume",
        "an AppLock left set by a session that died is never taken over",
        _app_lock_never_taken_over,
    ),
    Fault(
        "wake-does-not-resume",
        "people and hosts",
        "sync-does-not-resume",
        "waking up does not resume Auto-Run",
        _wake_does_not_resume,
    ),
    Fault(
        "marked-synced-before-answer",
        "STRATAFOLIO",
        "record-lost",
        "STRATAFOLIO marks an invoice synced when it sends it",
        _marked_synced_before_answer,
    ),
    Fault(
        "learning-removed",
        "STRATAFOLIO",
        "recovery-does-not-restore",
        "STRATAFOLIO never learns the file's path",
        _learning_removed,
    ),
    Fault(
        "quickbooks-adds-twice",
        "QuickBooks",
        "record-duplicated",
        "QuickBooks adds every invoice twice",
        _quickbooks_adds_twice,
    ),
    Fault(
        "scheduler-spins",
        "people and hosts",
        "hang",
        "Auto-Run does not wait for a Windows session",
        _scheduler_does_not_wait_for_a_session,
    ),
    Fault(
        "quickbooks-forgets-adds",
        "QuickBooks",
        "record-lost",
        "QuickBooks answers an add but does not keep the record",
        _quickbooks_forgets_what_it_added,
    ),
    Fault(
        "failures-lose-their-code",
        "session",
        "failure-without-cause",
        "a failed session carries no code",
        _failures_lose_their_code,
    ),
    Fault(
        "world-random-unseeded",
        "model",
        "not-deterministic",
        "the world draws from a generator the seed does not decide",
        _world_random_unseeded,
    ),
)


def fault(name: str) -> Fault:
    for item in FAULTS:
        if item.name == name:
            return item
    raise KeyError(f"no seeded fault {name!r}; known: {', '.join(f.name for f in FAULTS)}")
