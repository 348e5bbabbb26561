"""Claim boundaries: the office varied around the claims about people working, each variant simulated."""

import pytest

from sim.report.boundaries import boundaries


@pytest.fixture(scope="module")
def found():
    return {b.claim: b for b in boundaries(seed=0)}


def variant(boundary, works_at, mode, waiting):
    wanted = (("works at", works_at), ("mode", mode), ("records waiting", waiting))
    return next(v for v in boundary.variants if v.conditions == wanted)


def test_a_full_sync_fails_for_all_only_on_the_web_connectors_computer_with_records_waiting(found):
    full = found["claim-full-sync-while-working"]
    assert len(full.variants) == 8 and full.columns == ("works at", "mode", "records waiting")
    assert variant(full, "the Web Connector's computer", "multi-user", "yes").holds
    assert not variant(full, "the Web Connector's computer", "multi-user", "no").holds  # Acme itself syncs: nothing to write
    from_workstation = variant(full, "a workstation", "multi-user", "yes")
    assert not from_workstation.holds and from_workstation.observed.startswith("1 of 3 failed (Acme Properties)")


def test_the_scheduler_claim_reaches_as_far_as_the_simulation_shows(found):
    scheduler = found["claim-scheduler-conditions"]
    assert variant(scheduler, "the Web Connector's computer", "multi-user", "yes").holds
    assert not variant(scheduler, "a workstation", "multi-user", "no").holds


def test_the_report_shows_where_a_claim_holds(found):
    from sim.claims import check_claims, render

    text = render(check_claims(), "md", boundaries=list(found.values()))
    assert "Where it holds: A full sync of all integrations" in text
    assert "| a workstation | multi-user | yes | 1 of 3 failed (Acme Properties)" in text
