"""`wcsim steps`: readable patterns grouped by kind and topic, and the closest steps to a line that matches none."""

import re

from sim.bdd.catalogue import readable
from sim.bdd.library import catalogue, catalogue_text, closest_steps


def test_no_pattern_shows_regular_expression_syntax():
    syntax = re.compile(r"\(\?|\[\^|\\d|\\w|\^|\$|\)\?|\+\)")
    assert [step.pattern for step in catalogue() if syntax.search(step.pattern)] == []


def test_a_regular_expression_reads_as_choices_and_optional_parts():
    pattern = (
        r'^(?P<names>(?:"[^"]+"(?:, | and )?)+) (?:is|are) linked to '
        r"STRATAFOLIO(?P<synced> and (?:has|have) synced once)?$"
    )
    assert (
        readable(pattern)
        == '"{company}"[, "{company}" and "{company}"] is/are linked to STRATAFOLIO[ and has/have synced once]'
    )
    assert (
        readable(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$')
        == 'STRATAFOLIO has {count:d} new invoice(s) for (each integration | "{which}")'
    )


def test_every_step_has_a_topic_and_the_text_groups_them():
    steps = catalogue()
    assert [step.pattern for step in steps if step.topic == "Other"] == []
    text = catalogue_text()
    assert text.index("GIVEN") < text.index("WHEN") < text.index("THEN")
    assert "  Computers and Windows\n" in text
    # A data-table step shows its table.
    assert "Given these company files are linked to STRATAFOLIO:\n             | company file" in text


def test_the_closest_steps_to_a_line_come_with_their_own_keyword():
    found = closest_steps("the server hibernates")
    assert found and found[0] == "When the server goes to sleep"
    assert closest_steps("zzzz qqqq") == []


def test_every_scenario_file_action_has_a_gherkin_step_that_does_it():
    """Parity: the actions of scenario files at the time of writing (sim.scenario_run.ACTIONS) and
    the Gherkin line for each; each line is matched by exactly one step of its kind."""
    from pytest_bdd.steps import step_function_context_registry

    from sim.bdd.catalogue import SCENARIO_ACTIONS
    from sim.scenario_run import ACTIONS

    assert sorted(SCENARIO_ACTIONS) == sorted(ACTIONS)
    catalogue()  # registers the steps
    for action, line in SCENARIO_ACTIONS.items():
        keyword, text = line.split(" ", 1)
        matching = [
            c
            for c in step_function_context_registry.values()
            if c.type == keyword.lower() and c.parser.is_matching(text)
        ]
        assert len(matching) == 1, (action, line, matching)


def test_every_action_step_has_a_timed_form_that_only_the_timed_given_matches():
    from pytest_bdd.steps import step_function_context_registry

    from sim.bdd.steps_given import action_step, timed

    steps = [s for s in catalogue() if s.kind in ("given", "when") and not s.table and not s.example.startswith("(")]
    assert len(steps) > 40
    for step in steps:
        if step.pattern.startswith("{a When- or Given-step}"):
            continue
        found = action_step(step.example)
        assert found is not None and found.parser.is_matching(step.example), step
        later = f'{step.example} at "10:00"'
        givens = [
            c.step_func
            for c in step_function_context_registry.values()
            if c.type == "given" and c.parser.is_matching(later)
        ]
        assert givens == [timed], (later, givens)


def test_every_step_has_an_example_its_pattern_matches():
    from pytest_bdd.steps import step_function_context_registry

    catalogue()
    unused = [s.pattern for s in catalogue() if s.example.startswith("(")]
    assert unused == []
    readable_of = {
        readable(c.parser.name): c
        for c in step_function_context_registry.values()
        if c.step_func.__module__.startswith("sim.bdd.")
    }
    assert [s.pattern for s in catalogue() if not readable_of[s.pattern].parser.is_matching(s.example)] == []


def test_wcsim_steps_shows_the_time_formats_the_windows_and_the_default_window():
    text = catalogue_text()
    times = text.split("GIVEN")[0]
    for shown in (
        '"HH:MM"',
        '"Mon HH:MM"',
        '"YYYY-MM-DD HH:MM"',
        'after "12:00"',
        'between "19:00" and "07:00"',
        "since the <moment>",
        "during the run",
        "the default: from the first When step",
        'Given <a When- or Given-step> at "<time>"',
        "is Monday 19:00, then Tuesday 07:00",
    ):
        assert shown in times, shown
    from sim.bdd.context import NAMED_MOMENTS

    assert all(name in " ".join(times.split()) for name in NAMED_MOMENTS)
