"""Swim-lane timelines of a simulated run, drawn as SVG for the reports.

From trace events it builds one lane per computer (on, asleep, off, nobody logged
in), one per person in QuickBooks (which file, in which mode), one per Web Connector
application (each update a bar coloured by its outcome, its code written on it and
shown on hover), and numbered markers for what people did (renames, removals,
authorizations, timeline actions), each named in words in a list under the picture.
Every picture has a time axis: its first moment, a label wherever time resumes after a
collapsed quiet stretch (each stretch labelled with how long it was), and ticks at a
step chosen so labels never collide. A run longer than two days is drawn one day at a
time, so a month stays readable. `LEGEND` names every colour and mark, for the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = ["Bar", "Lane", "Marker", "Timeline", "compact_events", "timelines", "render_svg", "marker_list", "LEGEND"]

#: Trace kinds a timeline draws (everything else is left out of the picture).
DRAWN = (
    "host.",
    "windows.",
    "quickbooks.opened",
    "quickbooks.closed",
    "update.started",
    "update.finished",
    "timeline.action",
    "admin.",
    "qbwc.app_",
    "qbwc.remove_failed",
    "qbwc.stopped",
    "qbwc.started",
    "stratafolio.computer_",
    "person.",
)
#: A stretch with nothing happening longer than this is collapsed.
IDLE_SECONDS = 2 * 3600
WIDTH, LABEL_WIDTH, GAP_WIDTH, LANE_HEIGHT, AXIS_HEIGHT = 960, 190, 26, 24, 40
#: Steps between two ticks (seconds), the smallest that leaves MIN_TICK_PIXELS between labels is used.
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
MIN_TICK_PIXELS = 70
#: Two markers' numbered circles closer than this go on separate rows.
MARKER_PIXELS = 20

#: What each colour and mark of a timeline means: (css class, kind of swatch, words), for the pages' legend.
LEGEND: tuple[tuple[str, str, str], ...] = (
    ("state-on", "bar", "computer on, someone logged in"),
    ("state-logged-out", "bar", "computer on, nobody logged in"),
    ("state-asleep", "bar", "computer asleep"),
    ("state-off", "bar", "computer off"),
    ("mode-multi-user", "bar", "company file open in multi-user mode"),
    ("mode-single-user", "bar", "company file open in single-user mode"),
    ("outcome-succeeded", "bar", "update succeeded"),
    ("outcome-failed", "bar", "update failed (its code written on it)"),
    ("outcome-interrupted", "bar", "update interrupted, busy or not started"),
    ("outcome-no-work", "bar", "update with nothing to do, or postponed"),
    ("marker", "marker", "something someone did: numbered, named in the list under the picture"),
    ("gap", "gap", "a quiet stretch over two hours, collapsed: its length is written above it"),
)

_HOST_STATE = {
    "host.asleep": "asleep",
    "host.off": "off",
    "host.on": "logged-out",
    "windows.logged_out": "logged-out",
    "windows.logged_in": "on",
}


@dataclass(frozen=True)
class Bar:
    start: float
    end: float
    label: str
    css: str
    title: str


@dataclass
class Lane:
    name: str
    kind: str  # computer, person or app
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class Marker:
    at: float
    label: str


@dataclass
class Timeline:
    title: str
    start: datetime  # the simulated time of second 0
    begin: float
    end: float
    lanes: list[Lane]
    markers: list[Marker]


def compact_events(trace: Iterable[Any]) -> list[list[Any]]:
    """The events a timeline needs, as small JSON-ready rows: [seconds, actor, kind, details]."""
    return [[round(e.seconds, 1), e.actor, e.kind, dict(e.details)] for e in trace if e.kind.startswith(DRAWN)]


def _build(rows: list[list[Any]], end: float) -> tuple[list[Lane], list[Marker]]:
    computers: dict[str, tuple[Lane, str, float]] = {}
    open_files: dict[tuple[str, str], tuple[float, dict]] = {}
    updates: dict[str, tuple[float, dict]] = {}
    lanes: dict[str, Lane] = {}
    markers: list[Marker] = []

    def lane(name: str, kind: str) -> Lane:
        if name not in lanes:
            lanes[name] = Lane(name, kind)
        return lanes[name]

    def computer_state(actor: str, at: float, state: str) -> None:
        current = computers.get(actor)
        if current is None:
            computers[actor] = (lane(actor, "computer"), state, at)
            return
        computer_lane, previous, since = current
        if previous == state:
            return
        if at > since:
            computer_lane.bars.append(
                Bar(
                    since, at, previous.replace("-", " "), f"state-{previous}", f"{actor}: {previous.replace('-', ' ')}"
                )
            )
        computers[actor] = (computer_lane, state, at)

    for seconds, actor, kind, details in rows:
        if kind == "host.created":
            computer_state(actor, seconds, "logged-out")
        elif kind == "host.awake":
            computer_state(actor, seconds, "on")
        elif kind in _HOST_STATE:
            computer_state(actor, seconds, _HOST_STATE[kind])
        elif kind == "quickbooks.opened":
            open_files[(actor, str(details.get("user", "")))] = (seconds, details)
        elif kind == "quickbooks.closed":
            key = (actor, str(details.get("user", "")))
            if key in open_files:
                began, opened = open_files.pop(key)
                _file_bar(lane(f"{key[1]} in QuickBooks on {actor}", "person"), began, seconds, opened)
        elif kind == "update.started":
            updates[str(details.get("app", ""))] = (seconds, details)
        elif kind == "update.finished":
            app = str(details.get("app", ""))
            began, started = updates.pop(app, (seconds, details))
            outcome, code = str(details.get("outcome", "")), str(details.get("code", "") or "")
            reason = str(details.get("reason", "") or "")
            title = (
                f"{details.get('trigger', started.get('trigger', ''))} update: {outcome}"
                + (f" {code}" if code and code != "-" else "")
                + (f": {reason}" if reason else "")
            )
            lane(app, "app").bars.append(
                Bar(
                    began,
                    max(seconds, began + 1),
                    code if code and code != "-" else "",
                    f"outcome-{outcome.replace(' ', '-')}",
                    title,
                )
            )
        elif kind in ("person.slowed_down", "person.cannot_open", "person.blocked"):
            label = {
                "person.slowed_down": f"slowed {details.get('percent')}%",
                "person.blocked": "cannot use QuickBooks",
            }.get(kind, "cannot open the file")
            markers.append(Marker(seconds, f"{actor}: {label}"))
        elif kind.startswith(
            ("admin.", "timeline.action", "qbwc.app_", "qbwc.remove_failed", "qbwc.stopped", "stratafolio.computer_")
        ):
            markers.append(Marker(seconds, _marker_words(actor, kind, details)))
    for actor, (computer_lane, state, since) in computers.items():
        if end > since:
            computer_lane.bars.append(
                Bar(since, end, state.replace("-", " "), f"state-{state}", f"{actor}: {state.replace('-', ' ')}")
            )
    for (actor, user), (began, opened) in open_files.items():
        _file_bar(lane(f"{user} in QuickBooks on {actor}", "person"), began, end, opened)
    order = {"computer": 0, "person": 1, "app": 2}
    return sorted(lanes.values(), key=lambda lane: (order[lane.kind], lane.name)), markers


def _marker_words(actor: str, kind: str, details: dict) -> str:
    """What a marker stands for, in words (the plain-language account's sentence where it has one)."""
    from sim.report.plain import told

    if kind == "timeline.action":
        extra = ", ".join(f"{k} {v}" for k, v in details.items() if k != "action")
        return f"{actor}: {details.get('action', '')}" + (f" ({extra})" if extra else "")
    return told(actor, kind, details)


def _file_bar(lane: Lane, began: float, ended: float, opened: dict) -> None:
    path = str(opened.get("path", ""))
    name = path.rsplit("\\", 1)[-1]
    mode = str(opened.get("mode", ""))
    lane.bars.append(
        Bar(
            began,
            max(ended, began + 1),
            f"{name} ({mode})",
            f"mode-{mode}",
            f"{opened.get('user', '')} has {path} open in {mode} mode",
        )
    )


def timelines(rows: list[list[Any]], start: datetime, end: float, title: str = "") -> list[Timeline]:
    """One timeline for a run of up to two days; one per day beyond that."""
    lanes, markers = _build(rows, end)
    if end <= 2 * 86400:
        return [Timeline(title, start, 0.0, end, lanes, markers)]
    days = []
    first_midnight = (datetime.combine(start.date(), datetime.min.time()) + timedelta(days=1) - start).total_seconds()
    edges = (
        [0.0]
        + [
            first_midnight + 86400 * n
            for n in range(int((end - first_midnight) // 86400) + 1)
            if first_midnight + 86400 * n < end
        ]
        + [end]
    )
    for begin, finish in zip(edges, edges[1:], strict=False):
        if finish - begin < 60:
            continue
        day_lanes = [
            Lane(
                one.name,
                one.kind,
                [
                    Bar(max(b.start, begin), min(b.end, finish), b.label, b.css, b.title)
                    for b in one.bars
                    if b.end > begin and b.start < finish
                ],
            )
            for one in lanes
        ]
        day_markers = [m for m in markers if begin <= m.at < finish]
        days.append(
            Timeline(f"{start + timedelta(seconds=begin):%a %Y-%m-%d}", start, begin, finish, day_lanes, day_markers)
        )
    return days


# --- geometry --------------------------------------------------------------------------------------
def _scale(timeline: Timeline) -> tuple[Any, list[tuple[float, float, float]]]:
    """x(t) for the drawing, each long quiet stretch squeezed into a narrow column; and those
    stretches as (x of the column, seconds skipped, t where the stretch starts)."""
    moments = sorted(
        {timeline.begin, timeline.end}
        | {t for lane in timeline.lanes for b in lane.bars for t in (b.start, b.end)}
        | {m.at for m in timeline.markers}
    )
    moments = [t for t in moments if timeline.begin <= t <= timeline.end]
    gaps = [(a, b) for a, b in zip(moments, moments[1:], strict=False) if b - a > IDLE_SECONDS]
    active = (timeline.end - timeline.begin) - sum(b - a for a, b in gaps)
    per_second = (WIDTH - LABEL_WIDTH - 10 - GAP_WIDTH * len(gaps)) / max(active, 1.0)

    def x(t: float) -> float:
        position: float
        position, last = LABEL_WIDTH, timeline.begin
        for a, b in gaps:
            if t <= a:
                break
            position += (a - last) * per_second
            if t < b:
                return position + GAP_WIDTH * (t - a) / (b - a)
            position, last = position + GAP_WIDTH, b
        return position + (t - last) * per_second

    return x, [(x(a), b - a, a) for a, b in gaps]


def _ticks(timeline: Timeline, x, collapsed) -> list[dict]:
    """The axis: a label where the picture starts and wherever time resumes after a collapsed stretch,
    and ticks between at a step that keeps labels MIN_TICK_PIXELS apart."""
    stretches, begin = [], timeline.begin
    for _, skipped, a in collapsed:
        stretches.append((begin, a))
        begin = a + skipped
    stretches.append((begin, timeline.end))
    drawn = sum(x(b) - x(a) for a, b in stretches)
    per_second = drawn / max(sum(b - a for a, b in stretches), 1e-9)
    step = next((s for s in TICK_STEPS if s * per_second >= MIN_TICK_PIXELS), TICK_STEPS[-1])
    midnight = datetime.combine(timeline.start.date(), datetime.min.time())
    offset = (timeline.start - midnight).total_seconds()  # seconds of the day at second 0
    ticks: list[dict] = []

    def add(t: float, edge: bool, end: bool = False) -> None:
        # An edge too close to the label before it replaces that label: where time resumes says more.
        while ticks and x(t) - ticks[-1]["x"] < MIN_TICK_PIXELS:
            ticks.pop()
        moment = timeline.start + timedelta(seconds=t)
        clock = f"{moment:%H:%M:%S}" if step < 60 or (edge and moment.second) else f"{moment:%H:%M}"
        same_day = ticks and ticks[-1]["day"] == moment.date()
        ticks.append(
            {
                "x": x(t),
                "label": clock if same_day else f"{moment:%a} {clock}",
                "edge": edge,
                "end": end,
                "day": moment.date(),
            }
        )

    for a, b in stretches:
        add(a, True)
        t = (int((a + offset) // step) + 1) * step - offset
        while t < b:
            if x(t) - ticks[-1]["x"] >= MIN_TICK_PIXELS and x(b) - x(t) >= MIN_TICK_PIXELS / 2:
                add(t, False)
            t += step
    if x(timeline.end) - ticks[-1]["x"] >= MIN_TICK_PIXELS:
        add(timeline.end, True, end=True)  # where the picture ends
    return ticks


def render_svg(timeline: Timeline) -> str:
    from sim.report.templating import environment

    x, collapsed = _scale(timeline)
    # Markers close together are stacked in rows, so each number stays readable.
    rows: list[float] = []
    placed = []
    for number, marker in enumerate(timeline.markers, 1):
        at = x(marker.at)
        row = next((r for r, last in enumerate(rows) if at - last >= MARKER_PIXELS), len(rows))
        if row == len(rows):
            rows.append(at)
        rows[row] = at
        placed.append((number, marker, at, row))
    height = AXIS_HEIGHT + LANE_HEIGHT * len(timeline.lanes) + 20 * len(rows) + 8
    lanes = []
    for index, lane in enumerate(timeline.lanes):
        top = AXIS_HEIGHT + index * LANE_HEIGHT
        bars = [
            {
                "x": x(b.start),
                "width": max(x(b.end) - x(b.start), 2.0),
                "label": b.label,
                "css": b.css,
                "title": b.title,
            }
            for b in lane.bars
        ]
        lanes.append({"name": lane.name, "kind": lane.kind, "top": top, "bars": bars})
    markers = [
        {
            "x": at,
            "number": number,
            "row": row,
            "label": m.label,
            "time": f"{timeline.start + timedelta(seconds=m.at):%a %H:%M:%S}",
        }
        for number, m, at, row in placed
    ]
    gaps = [{"x": gx, "label": _duration(skipped)} for gx, skipped, _ in collapsed]
    return (
        environment()
        .get_template("timeline.svg.j2")
        .render(
            width=WIDTH,
            height=height,
            label_width=LABEL_WIDTH,
            lane_height=LANE_HEIGHT,
            axis=AXIS_HEIGHT,
            lanes=lanes,
            ticks=_ticks(timeline, x, collapsed),
            markers=markers,
            gaps=gaps,
            marker_y=AXIS_HEIGHT + LANE_HEIGHT * len(timeline.lanes) + 4,
            title=timeline.title,
        )
    )


def marker_list(timeline: Timeline) -> list[tuple[int, str, str]]:
    """The picture's markers as the list under it: (number, time, what happened)."""
    return [
        (number, f"{timeline.start + timedelta(seconds=m.at):%a %H:%M:%S}", m.label)
        for number, m in enumerate(timeline.markers, 1)
    ]


def _duration(seconds: float) -> str:
    hours = seconds / 3600
    if hours >= 1:
        return f"{hours:.0f} h" if hours >= 10 or abs(hours - round(hours)) < 0.05 else f"{hours:.1f} h"
    return f"{seconds / 60:.0f} min"
