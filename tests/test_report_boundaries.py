"""Claim boundaries: the office varied around each claim where a situation can matter, each variant simulated,
with the provenance of the events that decided it."""

import pytest

from sim.report.boundaries import boundaries


@pytest.fixture(scope="module")
def found():
    return {b.id: b for b in boundaries(seed=0)}


def variant(boundary, *values):
    return next(v for v in boundary.variants if tuple(value for _, value in v.conditions) == values)


def test_a_full_sync_fails_for_all_only_on_the_web_connectors_computer_with_records_waiting(found):
    full = found["working-full-sync"]
    assert (
        len(full.variants) == 8
        and full.columns == ("works at", "mode", "records waiting")
        and full.claim == "claim-full-sync-while-working"
    )
    assert variant(full, "the Web Connector's computer", "multi-user", "yes").holds
    assert not variant(
        full, "the Web Connector's computer", "multi-user", "no"
    ).holds  # Acme itself syncs: nothing to write
    from_workstation = variant(full, "a workstation", "multi-user", "yes")
    assert not from_workstation.holds and from_workstation.observed.startswith("1 of 3 failed (Acme Properties)")
    assert ("FIELD", "sdk.record_in_use") in variant(
        full, "the Web Connector's computer", "multi-user", "yes"
    ).sources  # 3170, InterWeave


def test_the_scheduler_claim_reaches_as_far_as_the_simulation_shows(found):
    scheduler = found["working-scheduler"]
    assert variant(scheduler, "the Web Connector's computer", "multi-user", "yes").holds
    assert not variant(scheduler, "a workstation", "multi-user", "no").holds
    for where in ("the server", "a workstation"):
        for power in ("asleep", "off"):
            asleep = variant(found["off-or-asleep"], where, power)
            assert asleep.holds and asleep.observed == "8 scheduled syncs before 09:00, 0 after"


def test_a_situation_rests_on_every_mechanism_its_deciding_events_come_from(found):
    # The power state and the Auto-Run scheduler (PG both) decide whether a computer off or asleep syncs.
    asleep = variant(found["off-or-asleep"], "the server", "asleep")
    assert {kind for _, kind in asleep.sources} == {"host.asleep", "update.started"} and all(
        source for source, _ in asleep.sources
    )


def test_situations_that_break_the_do_s_and_the_recovery(found):
    first = found["first-sync"]
    assert (
        variant(first, "a workstation", "open").holds
        and variant(first, "the server", "closed").observed == "failed 0x80040416"
    )
    single = found["single-user"]
    assert variant(single, "the Web Connector's computer", "a workstation").holds
    assert variant(single, "another computer", "the server").observed == "failed 0x80040410"
    order = found["recovery-order"]
    assert [v.holds for v in order.variants] == [True, False, True, True, True]
    assert variant(order, "the old QWC file reused").observed == "adding the QWC file fails (QBWC1039)"
    assert all(
        v.holds
        for key in ("rename", "rename-folder", "move", "removal", "recovery-change", "full-sync-nobody")
        for v in found[key].variants
    )


def test_a_sleeping_computer_that_keeps_running_breaks_the_off_or_asleep_situations(monkeypatch):
    from sim.report.boundaries import SITUATIONS, _variant
    from sim.windows.host import Host

    monkeypatch.setattr(Host, "sleep", lambda self: self.world.record(self.name, "host.asleep", source="PG"))
    asleep = next(s for s in SITUATIONS if s.id == "off-or-asleep")
    assert not _variant(asleep, 0, ("the server", "asleep")).holds and _variant(asleep, 0, ("the server", "off")).holds


def test_the_report_shows_where_a_claim_holds(found):
    from sim.report.claims_report import render
    from tests.claims_once import bundled_claims

    text = render(bundled_claims(), "md", boundaries=list(found.values()))
    assert "Where it holds: A full sync of all integrations" in text
    assert "| a workstation | multi-user | yes | 1 of 3 failed (Acme Properties)" in text
