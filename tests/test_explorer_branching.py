"""Branching worlds (sim.explore.branching): a history runs in a copy of the healthy office forked at the
latest hour before its first step, and that run is the run of its scenario file replayed from scratch,
byte for byte; a search checks so, and confirms every finding by replaying it."""

import pytest

from sim.explore.branching import SNAPSHOT_SECONDS, Branches, descendant_cpu_seconds
from sim.explore.explorer import Finding, Report, _confirm_by_replay, search
from sim.explore.faults import fault
from sim.explore.histories import Step, history_end, scenario_text
from sim.explore.invariants import Violation, check_history, replayed_fingerprint

HISTORIES = [
    [
        Step(605, "sleep", 26, "the 1st receiveResponseXML for an InvoiceAdd of a scheduled update", 40),
        Step(700, "invoices", 3),
    ],
    [
        Step(1500, "exit_qbwc", 0, "", 35),
        Step(1530, "colleague_opens", 59, "the 3rd sendRequestXML of a scheduled update", 20),
    ],
    [Step(61, "rename_file", 1, "the 1st BeginSession of a scheduled update"), Step(140, "recover")],
]


def test_a_branch_is_the_replay_of_its_scenario_file_byte_for_byte():
    with Branches(scenario_text([])) as branches:
        for history in HISTORIES:
            end = history_end(history)
            result = branches.run(history, end, fingerprint=True)
            # Forked at the latest hour before its first step: the office before it was simulated once.
            assert result.branched_at == (history[0].seconds - 1) // SNAPSHOT_SECONDS * SNAPSHOT_SECONDS
            assert result.fingerprint == replayed_fingerprint(history, end)
            assert [v.invariant for v in result.violations] == [v.invariant for v in check_history(history, end=end)]


def test_the_trunk_is_extended_once_for_every_history_that_starts_later():
    with Branches(scenario_text([])) as branches:
        before = descendant_cpu_seconds()
        first = branches.run([Step(1800, "invoices", 30)], 1800 * 60 + 3600)
        later = [branches.run([Step(1800, "invoices", 30 + n)], 1800 * 60 + 3600) for n in range(1, 4)]
    # Reaching 30 hours is paid once; each later branch simulates an hour or so.
    assert first.branched_at == later[0].branched_at == 108000.0
    assert max(r.cpu for r in later) < first.cpu / 3
    assert descendant_cpu_seconds() - before == pytest.approx(first.cpu + sum(r.cpu for r in later))


def test_an_office_that_cannot_be_built_is_a_crash_of_every_history(monkeypatch):
    def cannot(*arguments, **keywords):
        raise RuntimeError("no office today")

    monkeypatch.setattr("sim.scenario_run.ScenarioRun._build", cannot)
    with Branches(scenario_text([])) as branches:
        result = branches.run([Step(100, "sleep")], 100 * 60 + 3600)
    assert [(v.invariant, v.evidence) for v in result.violations] == [("crash", "RuntimeError: no office today")]


def test_a_branch_whose_process_dies_is_reported_as_a_crash(monkeypatch):
    import os

    monkeypatch.setattr("sim.explore.branching.check_run", lambda run, history: os._exit(3))
    with Branches(scenario_text([])) as branches:
        result = branches.run([Step(100, "sleep")], 100 * 60 + 3600)
    assert result.violations[0].invariant == "crash" and "died" in result.violations[0].evidence


def test_a_search_compares_its_first_history_with_the_replay(monkeypatch):
    # Something only the replay sees differently (the world's generator drawn anew in each World):
    # the first history already shows it, not the 25th.
    fault("world-random-unseeded").apply(monkeypatch)
    report = search(seed=2, budget=1, max_rounds=1)
    assert [f.invariant for f in report.findings.values()] == ["not-deterministic"]


def test_a_finding_the_replay_does_not_show_becomes_a_finding_of_its_own(monkeypatch):
    history = [Step(120, "invoices")]
    report = Report(
        1, {"record-lost": Finding("record-lost", history, "STRATAFOLIO holds ...", end=history_end(history))}
    )
    _confirm_by_replay(report)  # the model as it is loses nothing: the replay does not confirm it
    assert (
        list(report.findings) == ["not-deterministic"]
        and "the replay of its scenario file did not" in report.findings["not-deterministic"].evidence
    )
    confirmed = Report(1, {"record-lost": Finding("record-lost", history, "...", end=history_end(history))})
    monkeypatch.setattr(
        "sim.explore.invariants.check_history", lambda history, end: [Violation("record-lost", "replayed")]
    )
    _confirm_by_replay(confirmed)
    assert list(confirmed.findings) == ["record-lost"]


def test_what_a_known_cause_explains_is_recorded_without_ending_the_search(monkeypatch):
    # A dropped connection that the recovery cannot mend is explained (FIELD): the search records it as
    # it came and goes on with its budget, instead of stopping to shrink it to two steps.
    failing = []
    monkeypatch.setattr(
        "sim.explore.explorer.OBSERVERS", [lambda history, violations, end: violations and failing.append(history)]
    )
    report = search(seed=6, budget=12, kinds=("connection_dropped", "recover"), max_rounds=1)
    assert report.histories == 12 and report.findings
    assert all(f.explained_by for f in report.findings.values())
    assert [f.history for f in report.findings.values()] == [min(failing, key=len)] and len(failing[0]) > 2
