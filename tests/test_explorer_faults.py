"""The benchmark's seeded faults (sim.explore.faults): each one, seeded alone, breaks the invariant it
names in a short history written by hand (a sleep at a moment inside a session, a server woken an hour
later), and the same history on the model without it breaks nothing. So each fault is real, and each
invariant (sync-does-not-resume, ticket-reused, record-lost of an invoice marked synced) sees what
only it can see."""

import pytest

from sim.explore.faults import FAULTS, fault
from sim.explore.histories import Step, history_end
from sim.explore.invariants import check_history

ADD_HEARD = "the 1st receiveResponseXML for an InvoiceAdd of a scheduled update"
ADD_SENT = "the 1st ProcessRequest for an InvoiceAdd of a scheduled update"
IN_SESSION = "the 1st sendRequestXML of a scheduled update"

#: fault -> a history that shows it (Step(minute, kind, second, moment, minutes until its condition ends)).
HISTORIES = {
    "lookup-before-add-removed": [Step(193, "sleep", 26, ADD_HEARD, 40)],
    "ticket-reused": [Step(193, "sleep", 26, IN_SESSION, 40)],
    "update-lock-kept": [Step(193, "sleep", 26, IN_SESSION, 40)],
    "app-lock-left-set": [Step(193, "sleep", 26, IN_SESSION, 40)],
    "wake-does-not-resume": [Step(193, "sleep", 0, "", 60)],
    "marked-synced-before-answer": [Step(193, "sleep", 26, ADD_SENT, 40)],
    "learning-removed": [Step(120, "recover")],
    "quickbooks-adds-twice": [],
    "scheduler-spins": [Step(120, "log_out")],
    "quickbooks-forgets-adds": [],
    "failures-lose-their-code": [Step(120, "rename_file")],
    "world-random-unseeded": [],
}


def test_every_seeded_fault_has_a_history_here():
    assert sorted(HISTORIES) == sorted(f.name for f in FAULTS) and len(FAULTS) >= 10


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_a_seeded_fault_breaks_its_invariant_where_the_model_without_it_does_not(name, monkeypatch):
    history, seeded = HISTORIES[name], fault(name)
    end = history_end(history) if history else 8 * 3600
    determinism = seeded.invariant == "not-deterministic"
    assert seeded.invariant not in {v.invariant for v in check_history(history, determinism=determinism, end=end)}
    seeded.apply(monkeypatch)
    assert seeded.invariant in {v.invariant for v in check_history(history, determinism=determinism, end=end)}


def test_sync_resuming_is_judged_only_when_every_condition_has_ended(monkeypatch):
    fault("wake-does-not-resume").apply(monkeypatch)
    asleep = [Step(193, "sleep", 0, "", 0)]  # never woken: syncs may well stop
    assert check_history(asleep, end=history_end(asleep)) == []
    # A restart and a boot at once: the boot finds the server on and logs nobody in, so nobody is
    # logged in at the end and syncs may stop; a state-blind reading would call it healthy.
    restarted = [Step(120, "restart"), Step(120, "boot")]
    assert check_history(restarted, end=history_end(restarted)) == []
