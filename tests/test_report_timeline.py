"""Swim-lane timelines: lanes from the trace's mechanisms, bars coloured by outcome, idle time
collapsed, long runs drawn a day at a time, and the same picture for the same run."""

from datetime import datetime
from xml.etree import ElementTree

from sim.report.timeline import IDLE_SECONDS, compact_events, render_svg, timelines
from sim.scenario import find_scenario, load_scenario
from sim.scenario_run import ScenarioRun

START = datetime(2026, 1, 5, 7, 0)


def test_lanes_show_power_people_and_updates():
    rows = [
        [0, "FILESRV", "host.created", {}], [0, "FILESRV", "windows.logged_in", {"user": "Administrator"}],
        [60, "FILESRV", "quickbooks.opened", {"path": "D:\\QBData\\Acme.QBW", "user": "Admin", "mode": "single-user"}],
        [100, "FILESRV", "update.started", {"app": "STRATAFOLIO - Acme", "trigger": "scheduled"}],
        [110, "FILESRV", "update.finished", {"app": "STRATAFOLIO - Acme", "trigger": "scheduled", "outcome": "failed", "code": "0x80040408", "reason": "Could not start QuickBooks."}],
        [3600, "FILESRV", "host.asleep", {}], [7200, "FILESRV", "host.awake", {}],
        [7300, "timeline", "timeline.action", {"action": "rename_file"}],
    ]
    (timeline,) = timelines(rows, START, 8000)
    lanes = {lane.name: lane for lane in timeline.lanes}
    assert [b.css for b in lanes["FILESRV"].bars] == ["state-on", "state-asleep", "state-on"]  # no zero-length "logged out" at 0
    assert lanes["Admin in QuickBooks on FILESRV"].bars[0].css == "mode-single-user"
    update = lanes["STRATAFOLIO - Acme"].bars[0]
    assert update.css == "outcome-failed" and "0x80040408" in update.title and "Could not start QuickBooks." in update.title
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
