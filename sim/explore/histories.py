"""Random office histories: what people do to an office over two days, as scenario files.

A history is a list of steps, each one kind of thing people do (rename the file, put the server to
sleep, close Web Connector, follow the article's recovery steps, ...) at a second of a two-day window,
or at a moment inside an update session from that second on ("the 6th receiveResponseXML of a
scheduled update": sim.webconnector.session_moments), where a sleep or a power cut falls between
QuickBooks adding a record and the service hearing of it. Hypothesis draws them with swarm testing:
each history first picks which kinds it may use, so rare combinations of a few kinds come up as often
as common ones; a step that puts the office in a condition (asleep, Web Connector closed, a colleague
in the file) may end, some minutes to hours after it happened ("lasts"). A history becomes a
scenario file of the scenario language, so a finding replays with `wcsim run`. It ends `TAIL_SECONDS`
after its last step (long enough to see whether syncs resume), or after two days.

`precise=False` draws the histories of the explorer before issue 26 (whole minutes, no moments, no
ending steps, always two days), kept for the side-by-side benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from sim.scenario import toml_table
from sim.webconnector.session_moments import Moment

__all__ = ["Step", "KINDS", "ENDS", "histories", "scenario_text", "history_end", "START", "DAYS", "TAIL_SECONDS"]

START = datetime(2026, 1, 5, 7, 0)  # a Monday
DAYS = 2
COMPANY = "Acme Properties"
FOLDER = "D:\\QBData\\Company Files"  # the office of the Gherkin steps (sim.office.build_office)
PATH = FOLDER + "\\Acme Properties.QBW"


#: A history ends this long after its last step: the next syncs show whether anything broke (a step
#: tied to a moment may wait half an hour for a session; then sync-does-not-resume's hour, and the
#: two hours it judges by).
TAIL_SECONDS = 5 * 3600
FIRST_SECOND, LAST_SECOND = 10 * 60, (DAYS * 24 * 60 - 240) * 60


@dataclass(frozen=True)
class Step:
    minute: int  # minutes after the start
    kind: str
    second: int = 0  # and seconds
    during: str = ""  # from then on, wait for this moment inside an update session ("" for none)
    lasts: int = 0  # minutes after it happened that its condition is ended (ENDS), 0 for never

    @property
    def seconds(self) -> int:
        return self.minute * 60 + self.second

    def actions(self) -> list[dict[str, Any]]:
        items = [dict(item) for item in KINDS[self.kind]]
        if self.during:
            items[0]["during"] = self.during
        if self.lasts:
            items += [{**item, "after": f"{self.lasts}m"} for item in KINDS[ENDS[self.kind]]]
        return items

    def __str__(self) -> str:
        at = f"{self.minute}m{self.second:02d}s" if self.second else f"{self.minute}m"
        return (
            f"{self.kind}@{at}"
            + (f" ({self.during})" if self.during else "")
            + (f" for {self.lasts}m, then {ENDS[self.kind]}" if self.lasts else "")
        )


def _one(action: str, **fields: Any) -> tuple[dict[str, Any], ...]:
    return ({"action": action, **fields},)


#: kind -> the timeline actions it stands for (several for the article's recovery steps).
KINDS: dict[str, tuple[dict[str, Any], ...]] = {
    "rename_file": _one("rename_file", company_file=COMPANY, to="Acme Properties 2026.QBW"),
    "rename_folder": _one("rename_folder", host="FILESRV", folder=FOLDER, to="Files 2026"),
    "move_file": _one("move_file", company_file=COMPANY, to="D:\\Archive\\Acme Properties.QBW"),
    "sleep": _one("sleep", host="FILESRV"),
    "wake": _one("wake", host="FILESRV"),
    "shut_down": _one("shut_down", host="FILESRV"),
    "boot": _one("boot", host="FILESRV", user="Administrator"),
    "restart": _one("restart", host="FILESRV"),
    "log_out": _one("log_out", host="FILESRV"),
    "log_in": _one("log_in", host="FILESRV", user="Administrator"),
    "colleague_opens": _one(
        "open", host="WS01", company_file=COMPANY, path="Q:\\Company Files\\Acme Properties.QBW", user="maria"
    ),
    "colleague_closes": _one("close_quickbooks", host="WS01"),
    "admin_single_user": _one("open_single_user", company_file=COMPANY),
    "admin_closes": _one("close_quickbooks", host="FILESRV"),
    "popup_left": _one("leave_popup", company_file=COMPANY, text="Update your company file"),
    "popups_dismissed": _one("dismiss_popups", host="FILESRV"),
    "exit_qbwc": _one("exit_qbwc", host="FILESRV"),
    "start_qbwc": _one("start_qbwc", host="FILESRV"),
    "qb_password_changed": _one("change_qb_password", company_file=COMPANY, user="Admin", password="n3w"),
    "qbwc_password_lost": _one("forget_password", company_file=COMPANY),
    "qbwc_password_entered": _one("set_password", company_file=COMPANY),
    "connection_dropped": _one("service_drops_connection", callback="receiveResponseXML"),
    "connection_restored": _one("service_drops_connection", callback="none"),
    "invoices": _one("create_invoices", company_file=COMPANY, count=3),
    # The article's recovery steps, in order (the change itself is whatever came before).
    "recover": (
        {"action": "remove", "company_file": COMPANY},
        {"action": "delete_authorized_computer", "company_file": COMPANY},
        {"action": "open_single_user", "company_file": COMPANY},
        {"action": "dismiss_popups", "host": "FILESRV"},
        {"action": "authorize_computer", "company_file": COMPANY},
        {"action": "download_qwc", "company_file": COMPANY},
        {"action": "add_qwc", "company_file": COMPANY},
        {"action": "set_password", "company_file": COMPANY},
        # The first sync while the file is still open: STRATAFOLIO learns its path from it
        # (what claim-normal-link found; closed before it, every sync fails with 0x80040416).
        {"action": "update_selected", "host": "FILESRV"},
        {"action": "close_quickbooks", "host": "FILESRV"},
        {"action": "set_auto_run", "company_file": COMPANY, "minutes": 30},
    ),
}


#: The step that ends the condition a step puts the office in.
ENDS = {
    "sleep": "wake",
    "shut_down": "boot",
    "restart": "log_in",
    "log_out": "log_in",
    "exit_qbwc": "start_qbwc",
    "colleague_opens": "colleague_closes",
    "admin_single_user": "admin_closes",
    "qbwc_password_lost": "qbwc_password_entered",
    "connection_dropped": "connection_restored",
}
#: Steps of one action may wait for a moment inside a session: one of these states (receiveResponseXML,
#: ProcessRequest, sendRequestXML, getLock, BeginSession, authenticate, closeConnection in Intuit's
#: words) of a scheduled update; the first time, an exchange's state the 1st to 8th time, or the first
#: time it carries one kind of request. First what Hypothesis tries first (and shrinks towards): the
#: moments inside an exchange, and the requests that write.
MOMENT_STATES = (
    "receive_response",
    "process_request",
    "send_request",
    "take_app_lock",
    "connect_to_quickbooks",
    "authenticate",
    "close",
)
REPEATED_STATES = ("send_request", "process_request", "receive_response")
#: The qbXML requests STRATAFOLIO sends (sim.stratafolio.service), which those states may be tied to.
REQUESTS = ("InvoiceAdd", "InvoiceMod", "InvoiceQuery", "CustomerQuery", "AccountQuery", "ReceivePaymentQuery")
MAX_MOMENT = 8


@st.composite
def histories(draw, kinds: tuple[str, ...] = tuple(KINDS), max_steps: int = 6, precise: bool = True) -> list[Step]:
    """A history; swarm testing: first the few kinds this history may use, then its steps."""
    enabled = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True))
    if not precise:
        minutes = draw(st.lists(st.integers(10, DAYS * 24 * 60 - 240), max_size=max_steps))
        steps = [Step(minute, draw(st.sampled_from(enabled))) for minute in sorted(minutes)]
    else:
        # An episode: from a moment of the two days, steps minutes to hours apart (trouble in an
        # office comes in episodes, and a branch then simulates only the episode and its tail).
        moment, steps = draw(st.integers(FIRST_SECOND, LAST_SECOND)), []
        for gap in draw(st.lists(st.integers(0, 6 * 3600), max_size=max_steps)):
            moment += gap
            if moment > LAST_SECOND:
                break
            kind = draw(st.sampled_from(enabled))
            during = draw(_moments()) if len(KINDS[kind]) == 1 else ""
            lasts = draw(st.integers(5, 5 * 60)) if ENDS.get(kind) in kinds and draw(st.booleans()) else 0
            steps.append(Step(moment // 60, kind, moment % 60, during, lasts))
    if "recover" in kinds and draw(st.booleans()):
        # Half the histories end with the article's recovery steps, so "after the recovery, sync
        # works again" is checked after every kind of trouble, not only when swarm picks it.
        steps.append(Step(draw(st.integers(steps[-1].minute + 15 if steps else 10, DAYS * 24 * 60 - 180)), "recover"))
    return steps


@st.composite
def _moments(draw) -> str:
    """No moment (a clock time), or a moment of a scheduled update: a state the first time, an
    exchange's state the 1st to 8th time, or the first time it carries one kind of request."""
    if not draw(st.booleans()):
        return ""
    state = draw(st.sampled_from(MOMENT_STATES))
    if state not in REPEATED_STATES:
        return Moment(1, state, "scheduled").text()
    request = draw(st.sampled_from(REQUESTS + ("",))) if state in ("process_request", "receive_response") else ""
    return Moment(1 if request else draw(st.integers(1, MAX_MOMENT)), state, "scheduled", request=request).text()


def history_end(history: list[Step]) -> int:
    """Seconds after the start at which a (precise) history ends: `TAIL_SECONDS` after its last action
    (its condition's end included)."""
    last = max((step.seconds + 60 * (len(step.actions()) + step.lasts) for step in history), default=0)
    return min(DAYS * 86400, -(-(last + TAIL_SECONDS) // 60) * 60)


def scenario_text(history: list[Step], title: str = "A history found by the explorer", end: int = DAYS * 86400) -> str:
    """The history as a scenario file: the explorer's office, then each step's actions (a step of
    several actions spreads them a minute apart), until `end` seconds after the start."""
    hours, minutes = divmod(end // 60, 60)
    parts = [
        "# Reproduces: a history found by `wcsim explore` (see its summary). Source: assumed: a generated history.\n",
        toml_table(
            "scenario",
            {
                "name": title,
                "reproduces": "an invariant of the office broken by this history",
                "source": "assumed (wcsim explore)",
                "seed": 0,
                "start": f"{START:%Y-%m-%d %H:%M}",
                "duration": f"{hours}h{minutes}m" if minutes else f"{hours}h",
            },
            array=False,
        ),
        toml_table("hosts", {"name": "FILESRV", "role": "server", "drives": ["C", "D"], "logged_in": "Administrator"}),
        toml_table("hosts", {"name": "WS01", "role": "workstation", "windows_users": ["maria"], "logged_in": "maria"}),
        toml_table("shares", {"host": "FILESRV", "name": "QBData", "folder": "D:\\QBData"}),
        toml_table("mapped_drives", {"host": "WS01", "letter": "Q", "share": "\\\\FILESRV\\QBData"}),
        toml_table(
            "company_files", {"name": COMPANY, "host": "FILESRV", "path": PATH, "users": {"Admin": "", "maria": ""}}
        ),
        toml_table(
            "integrations",
            {"company_file": COMPANY, "linked_from": "FILESRV", "auto_run_minutes": 30, "invoices_every_minutes": 90},
        ),
    ]
    for step in history:
        parts.append(f"# step: {step.kind}")
        for item in timeline_items(step):
            parts.append(toml_table("timeline", item))
    return "\n".join(parts)


def timeline_items(step: Step) -> list[dict[str, Any]]:
    """The step's timeline items, as the scenario file has them (the explorer's branches add these)."""
    items = []
    for offset, action in enumerate(step.actions()):
        at = START + timedelta(seconds=step.seconds + 60 * (0 if "after" in action else offset))
        items.append({"at": f"{at:%Y-%m-%d %H:%M:%S}" if step.second else f"{at:%Y-%m-%d %H:%M}", **action})
    return items
