"""`wcsim steps`: readable patterns grouped by kind and topic, and the closest steps to a line that matches none."""

import re

from sim.bdd.catalogue import catalogue, catalogue_text, closest_steps, readable


def test_no_pattern_shows_regular_expression_syntax():
    syntax = re.compile(r"\(\?|\[\^|\\d|\\w|\^|\$|\)\?|\+\)")
    assert [step.pattern for step in catalogue() if syntax.search(step.pattern)] == []


def test_a_regular_expression_reads_as_choices_and_optional_parts():
    pattern = r'^(?P<names>(?:"[^"]+"(?:, | and )?)+) (?:is|are) linked to STRATAFOLIO(?P<synced> and (?:has|have) synced once)?$'
    assert readable(pattern) == '"{company}"[, "{company}" and "{company}"] is/are linked to STRATAFOLIO[ and has/have synced once]'
    assert readable(r'^STRATAFOLIO has (?P<count>\d+) new invoices? for (?P<which>each integration|"[^"]+")$') == 'STRATAFOLIO has {count:d} new invoice(s) for (each integration | "{which}")'


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
