"""Swim-lane timelines: lanes from the trace's mechanisms, bars coloured by outcome, idle time
collapsed, long runs drawn a day at a time, and the same picture for the same run."""

from datetime import datetime
from xml.etree import ElementTree

import pytest

from sim.report.timeline import IDLE_SECONDS, compact_events, render_svg, timelines
from sim.scenario import find_scenario, load_scenario
from sim.scenario_run import ScenarioRun

START = datetime(2026, 1, 5, 7, 0)


def test_lanes_show_power_people_and_updates():
    rows = [
        [0, "FILESRV", "host.created", {}],
        [0, "FILESRV", "windows.logged_in", {"user": "Administrator"}],
        [60, "FILESRV", "quickbooks.opened", {"path": "D:\\QBData\\Acme.QBW", "user": "Admin", "mode": "single-user"}],
        [100, "FILESRV", "update.started", {"app": "STRATAFOLIO - Acme", "trigger": "scheduled"}],
        [
            110,
            "FILESRV",
            "update.finished",
            {
                "app": "STRATAFOLIO - Acme",
                "trigger": "scheduled",
                "outcome": "failed",
                "code": "0x80040408",
                "reason": "Could not start QuickBooks.",
            },
        ],
        [3600, "FILESRV", "host.asleep", {}],
        [7200, "FILESRV", "host.awake", {}],
        [7300, "timeline", "timeline.action", {"action": "rename_file"}],
    ]
    (timeline,) = timelines(rows, START, 8000)
    lanes = {lane.name: lane for lane in timeline.lanes}
    assert [b.css for b in lanes["FILESRV"].bars] == [
        "state-on",
        "state-asleep",
        "state-on",
    ]  # no zero-length "logged out" at 0
    assert lanes["Admin in QuickBooks on FILESRV"].bars[0].css == "mode-single-user"
    update = lanes["STRATAFOLIO - Acme"].bars[0]
    assert (
        update.css == "outcome-failed"
        and "0x80040408" in update.title
        and "Could not start QuickBooks." in update.title
    )
    assert [m.label for m in timeline.markers] == ["timeline: rename_file"]


def _run(name):
    run = ScenarioRun(load_scenario(find_scenario(name)))
    run.run()
    return run


def test_a_long_run_is_drawn_a_day_at_a_time_with_quiet_hours_collapsed():
    run = _run("scheduler-pc-sleeps-at-night")
    days = timelines(compact_events(run.world.trace), run.world.start, run.end)
    assert len(days) >= 3 and all(d.end - d.begin <= 86400 for d in days)
    svg = render_svg(days[1])
    root = ElementTree.fromstring(svg)  # well-formed SVG
    assert root.tag.endswith("svg") and 'class="gap"' in svg  # a night with nothing happening is collapsed
    assert svg.count("outcome-succeeded") > 3


def test_collapsing_needs_a_quiet_stretch_longer_than_the_limit():
    rows = [[0, "A", "host.created", {}], [IDLE_SECONDS - 60, "timeline", "timeline.action", {"action": "x"}]]
    assert 'class="gap"' not in render_svg(timelines(rows, START, IDLE_SECONDS)[0])
    rows.append([IDLE_SECONDS * 3, "timeline", "timeline.action", {"action": "y"}])
    assert 'class="gap"' in render_svg(timelines(rows, START, IDLE_SECONDS * 3 + 60)[0])


def test_the_same_run_gives_the_same_picture():
    first, second = _run("rename-company-file"), _run("rename-company-file")
    draw = lambda run: [render_svg(t) for t in timelines(compact_events(run.world.trace), run.world.start, run.end)]  # noqa: E731
    assert draw(first) == draw(second)


@pytest.fixture(scope="module")
def claims_pictures():
    """Every scenario of the claims report with its timelines."""
    from tests.claims_once import bundled_claims as check_claims

    return [
        (
            scenario,
            timelines(
                scenario.evidence["timeline"],
                datetime.fromisoformat(scenario.evidence["start"]),
                scenario.evidence["end"],
            ),
        )
        for verdict in check_claims()
        for scenario in verdict.scenarios
    ]


def test_every_picture_of_the_claims_report_has_a_labelled_time_axis_and_named_markers(claims_pictures):
    from sim.report.timeline import marker_list

    count = 0
    for scenario, drawn in claims_pictures:
        for timeline in drawn:
            count += 1
            root = ElementTree.fromstring(render_svg(timeline))
            ticks = [
                t.text
                for t in root.iter("{http://www.w3.org/2000/svg}text")
                if (t.get("class") or "").startswith("tick")
            ]
            assert len(ticks) >= (2 if timeline.end - timeline.begin >= 60 else 1), (scenario.name, ticks)
            assert ticks[0].startswith(("Mon ", "Tue ", "Wed ")), ticks  # the first label says the day
            numbers = [
                t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "marker-number"
            ]
            listed = marker_list(timeline)
            assert numbers == [str(n) for n, _, _ in listed] and all(
                words and not words.endswith(":") for _, _, words in listed
            )
    assert count >= 37


def test_ticks_never_crowd_and_each_stretch_after_a_collapsed_one_is_labelled():
    run = _run("scheduler-pc-sleeps-at-night")
    for timeline in timelines(compact_events(run.world.trace), run.world.start, run.end):
        root = ElementTree.fromstring(render_svg(timeline))
        texts = list(root.iter("{http://www.w3.org/2000/svg}text"))
        xs = [float(t.get("x")) for t in texts if (t.get("class") or "").startswith("tick")]
        assert all(b - a >= 60 for a, b in zip(xs, xs[1:], strict=False)), xs
        gaps = [t for t in texts if t.get("class") == "gap-label"]
        assert gaps and all(t.text.endswith("…") and t.text[0].isdigit() for t in gaps)
        # Time resumes labelled after each collapsed stretch: an edge label just right of every gap column.
        edges = [float(t.get("x")) for t in texts if (t.get("class") or "").startswith("tick edge")]
        assert all(any(0 <= e - (float(g.get("x")) + 13) <= 60 for e in edges) for g in gaps)


def test_no_sentence_of_the_account_ends_on_an_empty_reason(claims_pictures):
    from sim.report.plain import account

    for scenario, _ in claims_pictures:
        for event in scenario.evidence["events"]:
            line = account(event)
            assert not line.rstrip().endswith(":") and ": (" not in line, line
    removal = {
        "time": "2026-01-05T07:01:09",
        "actor": "FILESRV",
        "kind": "qbwc.remove_failed",
        "details": {"app": "A", "company_file": "D:\\A.QBW", "hresult": "0x80040408"},
    }
    assert account(removal).endswith(
        "failed: the company file D:\\A.QBW could not be opened (Could not start QuickBooks. 0x80040408)"
    )


def test_evidence_log_lines_come_in_time_order_per_scenario():
    from sim.report.page import _in_time_order

    lines = ["20260105.11:54:48 UTC\t: b", "20260105.07:01:35 UTC\t: a", "  continued", "20260105.09:00:00 UTC\t: c"]
    assert _in_time_order(lines) == [
        "20260105.07:01:35 UTC\t: a",
        "  continued",
        "20260105.09:00:00 UTC\t: c",
        "20260105.11:54:48 UTC\t: b",
    ]
