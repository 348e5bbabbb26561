"""Trace events told in plain words, for readers who do not know the event names.

"the Web Connector asked QuickBooks for D:\\QBData\\Acme Properties.QBW; QuickBooks could not
open it: Could not start QuickBooks. (0x80040408)" instead of a line of `key=value` pairs.
An event kind without a sentence here is told in its own words, never dropped, and a
sentence never ends on an empty reason: where an event carries none, what it does carry
(an HRESULT, a code) is told instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["account", "told"]


def _update(d: dict) -> str:
    what = f"Web Connector's {d.get('trigger', '')} update of {d.get('app', '')}"
    outcome = d.get("outcome", "")
    if outcome == "succeeded":
        return f"{what} succeeded"
    code = d.get("code") or ""
    reason = d.get("reason") or ""
    return f"{what} {outcome}" + (f": {reason}" if reason else "") + (f" ({code})" if code and code != "-" else "")


def _because(d: dict) -> str:
    """': <reason>' when the event gives one; otherwise its HRESULT or code; otherwise nothing."""
    if d.get("reason"):
        return f": {d['reason']}"
    if d.get("hresult"):
        return f": {_hresult_text(d)} ({d['hresult']})"
    return f" ({d['code']})" if d.get("code") and d.get("code") != "-" else ""


def _hresult_text(d: dict) -> str:
    from sim.quickbooks import hresults

    try:
        return hresults.text_of(int(str(d.get("hresult", "")), 16))
    except ValueError:
        return str(d.get("reason", ""))


SENTENCES: dict[str, Callable[[str, dict], str]] = {
    "update.finished": lambda actor, d: _update(d),
    "update.started": lambda actor, d: (
        f"Web Connector on {actor} started a {d.get('trigger', '')} update of {d.get('app', '')}"
    ),
    "update.not_started": lambda actor, d: f"nobody could start an update on {actor}" + _because(d),
    "sdk.begin_session_failed": lambda actor, d: (
        f"the Web Connector asked QuickBooks on {actor} for {d.get('path', '')}; "
        f"QuickBooks could not open it: {_hresult_text(d)} ({d.get('hresult', '')})"
    ),
    "sdk.session_begun": lambda actor, d: (
        f"QuickBooks on {actor} let {d.get('app', '')} into {d.get('path', '')} ({d.get('mode', '')})"
    ),
    "sdk.record_in_use": lambda actor, d: (
        f"QuickBooks refused a write: someone is editing in {d.get('area', 'the register')}"
    ),
    "qbwc.remove_failed": lambda actor, d: (
        f"removing {d.get('app', '')} from Web Connector failed"
        + (
            f": the company file {d.get('company_file')} could not be opened ({_hresult_text(d)} {d.get('hresult')})"
            if d.get("hresult")
            else _because(d)
        )
    ),
    "qbwc.app_removed": lambda actor, d: f"{d.get('app', '')} was removed from Web Connector",
    "qbwc.app_added": lambda actor, d: f"{d.get('app', '')} was added to Web Connector for {d.get('company_file', '')}",
    "qbwc.add_failed": lambda actor, d: (
        f"adding {d.get('app', '')} to Web Connector failed with {d.get('code', '')}" + _because(d)
    ),
    "host.asleep": lambda actor, d: f"{actor} went to sleep",
    "host.off": lambda actor, d: f"{actor} was switched off",
    "host.awake": lambda actor, d: f"{actor} woke up",
    "admin.renamed_file": lambda actor, d: f"the company file {d.get('old', '')} was renamed to {d.get('new', '')}",
    "admin.renamed_folder": lambda actor, d: f"the folder {d.get('old', '')} was renamed to {d.get('new', '')}",
    "admin.moved_file": lambda actor, d: f"the company file was moved from {d.get('old', '')} to {d.get('new', '')}",
    "person.slowed_down": lambda actor, d: (
        f"{actor.split('@')[0]}'s work in QuickBooks slowed down by {d.get('percent', '')}% while a sync ran"
    ),
    "person.blocked": lambda actor, d: (
        f"{actor.split('@')[0]} could not use QuickBooks (its menus do not open) while an "
        "integrated application's session held it"
    ),
    "quickbooks.left_running": lambda actor, d: (
        f"a QuickBooks the Web Connector started on {actor} for {d.get('app', '')} was "
        f"left running in the background, holding {d.get('path', '')}"
    ),
    "stratafolio.push_rejected": lambda actor, d: (
        f"QuickBooks refused STRATAFOLIO's invoice {d.get('ref', '')} (status "
        f"{d.get('status', '')}); STRATAFOLIO went on and will send it again"
    ),
    "person.slowdown_ended": lambda actor, d: (
        f"{actor.split('@')[0]}'s work went back to normal speed after {d.get('lasted_seconds', '')} s"
    ),
    "quickbooks.opened": lambda actor, d: (
        f"{d.get('user', '')} opened {d.get('path', '')} in QuickBooks on {actor} ({d.get('mode', '')})"
    ),
    "stratafolio.login_refused": lambda actor, d: (
        f"STRATAFOLIO refused the login {d.get('user_name', '')}" + _because(d)
    ),
    "stratafolio.computer_authorized": lambda actor, d: (
        f"an Administrator authorized the computer {d.get('computer', '')} in STRATAFOLIO "
        f"for {d.get('integration', '')}"
    ),
    "stratafolio.computer_deleted": lambda actor, d: (
        f"the authorized computer {d.get('computer', '')} of {d.get('integration', '')} was deleted in STRATAFOLIO"
    ),
    "admin.first_sync": lambda actor, d: (
        f"the first sync of {d.get('app', '')}, run while linking, {d.get('outcome', '')}"
    ),
    "admin.copied_file": lambda actor, d: f"the company file {d.get('old', '')} was copied to {d.get('new', '')}",
    "admin.upgraded_file": lambda actor, d: (
        f"the company file {d.get('old', '')} was upgraded to QuickBooks {d.get('year', '')} as {d.get('new', '')}"
    ),
    "qbwc.stopped": lambda actor, d: (
        f"Web Connector on {actor} stopped" + (f" ({d['reason']})" if d.get("reason") else "")
    ),
    "qbwc.started": lambda actor, d: f"Web Connector on {actor} started",
    "qbwc.app_replaced": lambda actor, d: f"{d.get('app', '')} was replaced in Web Connector",
    "stratafolio.sync_started": lambda actor, d: (
        f"STRATAFOLIO accepted the login and started a sync of {d.get('integration', '')}"
    ),
}


def told(actor: str, kind: str, details: dict[str, Any]) -> str:
    """What an event says, in a sentence without its time."""
    sentence = SENTENCES.get(kind)
    text = (
        sentence(actor, details)
        if sentence
        else f"{actor}: {kind.replace('.', ' ').replace('_', ' ')}"
        + (
            " (" + ", ".join(f"{k} {v}" for k, v in details.items() if v not in ("", None)) + ")"
            if any(v not in ("", None) for v in details.values())
            else ""
        )
    )
    return text.rstrip(": ")


def account(event: dict[str, Any]) -> str:
    """One trace event (as `TraceEvent.as_dict` gives it) in a sentence, with its time."""
    text = told(event.get("actor", ""), event.get("kind", ""), event.get("details", {}))
    when = str(event.get("time", "")).replace("T", " ")[:19]
    return f"{when}: {text}" if when else text
