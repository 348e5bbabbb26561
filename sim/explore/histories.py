"""Random office histories: what people do to an office over two days, as scenario files.

A history is a list of steps at minutes of a two-day window, each step one kind of thing
people do (rename the file, put the server to sleep, close Web Connector, follow the
article's recovery steps, ...). Hypothesis draws them with swarm testing: each history
first picks which kinds it may use, so rare combinations of a few kinds come up as
often as common ones. A history becomes a scenario file of the scenario language, so a
finding replays with `wcsim run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from sim.scenario import toml_table

__all__ = ["Step", "KINDS", "histories", "scenario_text", "START", "DAYS"]

START = datetime(2026, 1, 5, 7, 0)  # a Monday
DAYS = 2
COMPANY = "Acme Properties"
FOLDER = "D:\\QBData\\Company Files"  # the office of the Gherkin steps (sim.office.build_office)
PATH = FOLDER + "\\Acme Properties.QBW"


@dataclass(frozen=True)
class Step:
    minute: int  # minutes after the start
    kind: str

    def actions(self) -> list[dict[str, Any]]:
        return [dict(item) for item in KINDS[self.kind]]


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
    "colleague_opens": _one("open", host="WS01", company_file=COMPANY, path="Q:\\Company Files\\Acme Properties.QBW", user="maria"),
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


@st.composite
def histories(draw, kinds: tuple[str, ...] = tuple(KINDS), max_steps: int = 6) -> list[Step]:
    """A history; swarm testing: first the few kinds this history may use, then its steps."""
    enabled = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True))
    minutes = draw(st.lists(st.integers(10, DAYS * 24 * 60 - 240), max_size=max_steps))
    steps = [Step(minute, draw(st.sampled_from(enabled))) for minute in sorted(minutes)]
    if "recover" in kinds and draw(st.booleans()):
        # Half the histories end with the article's recovery steps, so "after the recovery, sync
        # works again" is checked after every kind of trouble, not only when swarm picks it.
        steps.append(Step(draw(st.integers(steps[-1].minute + 15 if steps else 10, DAYS * 24 * 60 - 180)), "recover"))
    return steps


def scenario_text(history: list[Step], title: str = "A history found by the explorer") -> str:
    """The history as a scenario file: the explorer's office, then each step's actions
    (a step of several actions spreads them a minute apart)."""
    parts = [
        "# Reproduces: a history found by `wcsim explore` (see its summary). Source: assumed: a generated history.\n",
        toml_table("scenario", {"name": title, "reproduces": "an invariant of the office broken by this history", "source": "assumed (wcsim explore)",
                                "seed": 0, "start": f"{START:%Y-%m-%d %H:%M}", "duration": f"{DAYS}d"}, array=False),
        toml_table("hosts", {"name": "FILESRV", "role": "server", "drives": ["C", "D"], "logged_in": "Administrator"}),
        toml_table("hosts", {"name": "WS01", "role": "workstation", "windows_users": ["maria"], "logged_in": "maria"}),
        toml_table("shares", {"host": "FILESRV", "name": "QBData", "folder": "D:\\QBData"}),
        toml_table("mapped_drives", {"host": "WS01", "letter": "Q", "share": "\\\\FILESRV\\QBData"}),
        toml_table("company_files", {"name": COMPANY, "host": "FILESRV", "path": PATH, "users": {"Admin": "", "maria": ""}}),
        toml_table("integrations", {"company_file": COMPANY, "linked_from": "FILESRV", "auto_run_minutes": 30, "invoices_every_minutes": 90}),
    ]
    for step in history:
        parts.append(f"# step: {step.kind}")
        for offset, action in enumerate(step.actions()):
            at = START + timedelta(minutes=step.minute + offset)
            parts.append(toml_table("timeline", {"at": f"{at:%Y-%m-%d %H:%M}", **action}))
    return "\n".join(parts)
