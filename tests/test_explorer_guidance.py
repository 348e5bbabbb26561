"""Coverage and guidance: a branch reports the (session state, office condition) pairs it reached (a
session entering a state while the office is in a condition, an action landing in a state); a search
counts them, and with guidance on tells Hypothesis how many no history reached before, so it spends
part of its budget near histories that reach new ones (off by default: on the time-to-find benchmark
it found the seeded faults later)."""

from sim.cli import main
from sim.explore.branching import Branches
from sim.explore.explorer import GUIDANCE_LABEL, novelty, search
from sim.explore.histories import Step, history_end, scenario_text


def test_a_branch_reports_the_session_states_its_conditions_met():
    history = [
        Step(605, "sleep", 26, "the 1st receiveResponseXML for an InvoiceAdd of a scheduled update", 40),
        Step(800, "colleague_opens", 0, "", 60),
    ]
    with Branches(scenario_text([])) as branches:
        pairs = branches.run(history, history_end(history)).pairs
    assert ("receiveResponseXML (InvoiceAdd)", "sleep happens") in pairs  # where the sleep landed
    assert ("between updates", "wake happens") in pairs
    assert ("ProcessRequest (InvoiceQuery)", "colleague in the file") in pairs  # a session while maria works
    assert ("closeConnection", "healthy") in pairs


def test_a_history_is_worth_the_pairs_no_history_reached_before():
    reached = {("closeConnection", "healthy"): 99}
    assert novelty({("getLock", "server asleep")}, reached) == 1.0
    assert novelty({("closeConnection", "healthy")}, reached) == 0.0
    assert (
        novelty({("getLock", "server asleep"), ("closeConnection", "healthy"), ("sendRequestXML", "healthy")}, reached)
        == 2.0
    )


def test_guidance_tells_hypothesis_how_many_new_pairs_each_history_reached(monkeypatch):
    scores = []
    monkeypatch.setattr("hypothesis.target", lambda score, label: scores.append((label, score)))
    report = search(seed=4, budget=6, max_rounds=1, guided=True)
    assert len(scores) == report.histories and {label for label, _ in scores} == {GUIDANCE_LABEL}
    assert scores[0][1] >= 10  # the first history: every pair it reached is new
    assert sum(score for _, score in scores) == len(report.pairs)  # each pair counted once, by the first to reach it
    scores.clear()
    assert search(seed=4, budget=6, max_rounds=1).pairs  # off by default: the pairs are still counted
    assert scores == []


def test_the_command_says_how_many_pairs_it_covered(capsys):
    assert main(["explore", "--budget", "4", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert "(session state, office condition) pairs covered" in printed
    covered = int(printed.split(" (session state")[0].split()[-1].replace(",", ""))
    assert covered >= 10
