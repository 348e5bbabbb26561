"""Timeline actions at seconds and at moments inside an update session ("the 6th receiveResponseXML of a
scheduled update"): read from scenario files, refused with the field named when wrong, and landing
exactly there, so a power cut or a sleep can fall between QuickBooks adding a record and the service
hearing of it."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.explore.histories import scenario_text
from sim.quickbooks.company_file import CompanyFile
from sim.scenario import ScenarioError, parse_scenario
from sim.scenario_run import ScenarioRun
from sim.webconnector.session_moments import Moment, parse_moment


def _office(timeline: str) -> ScenarioRun:
    run = ScenarioRun(parse_scenario(scenario_text([]) + timeline, "moments.toml"))
    run.run()
    return run


def _problems(run: ScenarioRun) -> list[str]:
    return run.integrations["Acme Properties"].ledger.problems(CompanyFile.load(*run.files["Acme Properties"]))


# The explorer's office pulls four kinds of record (one exchange each), then looks each waiting
# invoice up (5th exchange) and adds it (6th); STRATAFOLIO creates one every 90 minutes.
SLEEP_BEFORE_THE_ADD_IS_HEARD = """
[[timeline]]
at = "2026-01-05 12:00:30"
during = "the 6th receiveResponseXML of a scheduled update"
action = "sleep"
host = "FILESRV"

[[timeline]]
at = "2026-01-05 15:00"
action = "wake"
host = "FILESRV"
"""


def test_a_moment_reads_as_intuit_names_the_session_states():
    assert parse_moment("the 2nd sendRequestXML of a scheduled update") == Moment(2, "send_request", "scheduled")
    assert parse_moment("The 1st ProcessRequest of an update on FILESRV") == Moment(1, "process_request", "", "FILESRV")
    assert (
        parse_moment("the 11th receiveResponseXML of a manual update").text()
        == "the 11th receiveResponseXML of a manual update"
    )
    with pytest.raises(ValueError, match="did you mean 'sendRequestXML'"):
        parse_moment("the 2nd sendRequest of a scheduled update")
    with pytest.raises(ValueError, match="is not a moment of a session like"):
        parse_moment("at the second sendRequestXML")
    with pytest.raises(ValueError, match="between 1 and 10,000"):
        parse_moment("the 0th authenticate of an update")


def test_a_wrong_moment_in_a_scenario_file_names_the_line_and_field():
    text = scenario_text([]) + SLEEP_BEFORE_THE_ADD_IS_HEARD.replace("receiveResponseXML", "receiveResponse")
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "office.toml")
    line = text.splitlines().index('during = "the 6th receiveResponse of a scheduled update"') + 1
    assert str(error.value).startswith(f"office.toml:{line}: timeline[0].during: 'receiveResponse' is not a state")
    with pytest.raises(ScenarioError, match="unknown host 'WS02'"):
        parse_scenario(
            scenario_text([]) + SLEEP_BEFORE_THE_ADD_IS_HEARD.replace("scheduled update", "scheduled update on WS02"),
            "office.toml",
        )


def test_an_action_at_a_moment_lands_between_quickbooks_adding_and_the_service_hearing_of_it():
    run = _office(SLEEP_BEFORE_THE_ADD_IS_HEARD)
    assert (run.landed[0][0]["action"], run.landed[0][1]) == ("sleep", "receiveResponseXML (InvoiceAdd)")
    slept = run.world.trace.select("timeline.action", action="sleep")[0]
    interrupted = [e for e in run.world.trace.select("update.finished", outcome="interrupted")]
    assert [e.seconds for e in interrupted] == [slept.seconds]
    # QuickBooks kept the invoice; STRATAFOLIO looked it up at the next sync and linked it: once on each side.
    assert _problems(run) == []


def test_without_the_lookup_before_an_add_that_moment_duplicates_the_invoice(monkeypatch):
    monkeypatch.setattr("sim.stratafolio.service.FIRST_PUSH_STEP", "add")
    run = _office(SLEEP_BEFORE_THE_ADD_IS_HEARD.replace("6th", "5th"))  # without the lookup the add is the 5th exchange
    assert (run.landed[0][0]["action"], run.landed[0][1]) == ("sleep", "receiveResponseXML (InvoiceAdd)")
    assert any("is in QuickBooks 2 times" in problem for problem in _problems(run))


def test_an_action_lands_at_its_second():
    run = _office('[[timeline]]\nat = "2026-01-05 09:17:42"\naction = "exit_qbwc"\nhost = "FILESRV"\n')
    assert f"{run.world.trace.select('timeline.action')[0].time:%H:%M:%S}" == "09:17:42"


def test_a_moment_no_session_reaches_leaves_the_action_undone():
    run = _office(
        '[[timeline]]\nat = "2026-01-05 09:00"\nduring = "the 1st getInteractiveURL of an '
        'update"\naction = "sleep"\nhost = "FILESRV"\n'
    )
    assert run.world.trace.select("timeline.action") == [] and run.landed == []
    assert run.world.host("FILESRV").is_on and not run.world.trace.select("host.asleep")


def _something_else_at(run: ScenarioRun, seconds: float) -> None:
    """Something of the office due at that very instant, scheduled long before it."""

    def due():
        yield run.world.env.timeout(seconds - run.world.seconds)
        run.world.record("office", "something.else")

    run.world.process(due())


def test_an_action_added_to_a_running_world_lands_as_if_it_had_been_there_from_the_start():
    # An action comes first at its instant, before anything else due then, whether the timeline
    # was scheduled when the office was built or added at 08:00 to a world already running (as the
    # explorer's branches add theirs): otherwise a branch and the replay of its scenario file differ.
    timeline = '[[timeline]]\nat = "2026-01-05 08:30:00"\naction = "exit_qbwc"\nhost = "FILESRV"\n'
    whole = ScenarioRun(parse_scenario(scenario_text([]) + timeline, "moments.toml"))
    _something_else_at(whole, 5400.0)
    whole.run()
    added = ScenarioRun(parse_scenario(scenario_text([]), "moments.toml"))
    _something_else_at(added, 5400.0)
    added.world.run(until=3600.0)
    added.add_timeline(parse_scenario(scenario_text([]) + timeline, "moments.toml").data["timeline"])
    added.run()
    kinds = [e.kind for e in added.world.trace if e.seconds == 5400.0]
    assert kinds == ["timeline.action", "qbwc.exit_warning", "qbwc.stopped", "something.else"], kinds
    assert added.world.trace.jsonl() == whole.world.trace.jsonl()


def test_a_moment_may_name_the_request_its_state_carries():
    moment = parse_moment("the 1st receiveResponseXML for an InvoiceAdd of a scheduled update")
    assert (
        moment == Moment(1, "receive_response", "scheduled", request="InvoiceAdd")
        and parse_moment(moment.text()) == moment
    )
    with pytest.raises(ValueError, match="sendRequestXML begins before its request is known"):
        parse_moment("the 1st sendRequestXML for an InvoiceAdd of a scheduled update")
    # The 6th receiveResponseXML of a session that pushes an invoice is its InvoiceAdd: the same moment.
    run = _office(
        SLEEP_BEFORE_THE_ADD_IS_HEARD.replace(
            "the 6th receiveResponseXML", "the 1st receiveResponseXML for an InvoiceAdd"
        )
    )
    assert run.landed[0][1] == "receiveResponseXML (InvoiceAdd)" and _problems(run) == []


def test_an_action_after_another_waits_for_it_to_have_happened():
    # The sleep waits for a moment of a session (13:04:35 here); the wake comes 40 minutes after it,
    # whenever that was, not 40 minutes after the sleep's `at`.
    run = _office(
        SLEEP_BEFORE_THE_ADD_IS_HEARD.replace('at = "2026-01-05 15:00"', 'at = "2026-01-05 12:00:30"\nafter = "40m"')
    )
    slept, woke = (run.world.trace.select("timeline.action", action=a)[0] for a in ("sleep", "wake"))
    assert woke.seconds - slept.seconds == 40 * 60 and slept.seconds > 5 * 3600 + 30
    with pytest.raises(ScenarioError, match=r"timeline\[0\].after: 'after' counts from the timeline item before it"):
        parse_scenario(
            scenario_text([]) + '[[timeline]]\nat = "09:00"\nafter = "5m"\naction = "wake"\nhost = "FILESRV"\n',
            "office.toml",
        )
    with pytest.raises(ScenarioError, match=r"timeline\[1\].after: duration '5 minutes' is not like 1d"):
        parse_scenario(scenario_text([]) + SLEEP_BEFORE_THE_ADD_IS_HEARD + 'after = "5 minutes"\n', "office.toml")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list(" \t\nthe1stndrdof anupdate scheduledmanualonsendRequestXMLforInvoiceAdd-.")),
        max_size=220,
    )
)
def test_reading_a_moment_answers_or_refuses_any_text_quickly(text):
    started = time.perf_counter()
    try:
        parse_moment(text)
    except ValueError as error:
        assert str(error)
    assert time.perf_counter() - started < 0.05


def test_reading_the_longest_moment_there_may_be_is_quick():
    for text in ("the 1" + " " * 190 + "st", "the 1st " + "sendRequestXML " * 12 + "x", " " * 200):
        started = time.perf_counter()
        with pytest.raises(ValueError):
            parse_moment(text)
        assert time.perf_counter() - started < 0.05


def test_two_actions_waiting_for_the_same_moment_land_together():
    # Visits of a state with a request are counted once per entry, not once per action waiting for it.
    moment = 'during = "the 1st receiveResponseXML for an InvoiceAdd of a scheduled update"'
    run = _office(
        f'[[timeline]]\nat = "2026-01-05 12:00:30"\n{moment}\naction = "dismiss_popups"\nhost = "FILESRV"\n\n'
        f'[[timeline]]\nat = "2026-01-05 12:00:30"\n{moment}\naction = "dismiss_popups"\nhost = "FILESRV"\n'
    )
    assert len(run.landed) == 2 and run.landed[0][1] == run.landed[1][1] == "receiveResponseXML (InvoiceAdd)"
    first, second = run.world.trace.select("timeline.action", action="dismiss_popups")
    assert first.seconds == second.seconds  # (the same session's push, not one in a later session)
