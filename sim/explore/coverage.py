"""What a history did to the office, as conditions that hold and end, and the explorer's coverage map.

The explorer's timeline actions put the office in a condition (the server asleep, a colleague in the
file, Web Connector closed, the service dropping connections) and take it out again (woken, closed,
started, mended). `Troubles` follows them in the order they happened (a moment inside a session may
come later than a clock time written after it); some leave the office changed for good (a renamed
file, a changed password, a pop-up waiting in the file): then whether syncs must work again is the
recovery steps' question, not this one's.

Coverage: a pair (session state, office condition) is an update session entering a state (in
Intuit's words, with the kind of qbXML request it exchanges) while the office is in a condition, or a
timeline action landing in that state. The explorer counts the pairs its histories reach, and
(with guidance on) tells Hypothesis that histories reaching rare ones are worth more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.webconnector.session_moments import session_label

if TYPE_CHECKING:
    from sim.scenario_run import ScenarioRun

__all__ = ["Troubles", "CoverageRecorder", "HEALTHY"]

HEALTHY = "healthy"
#: (action, host or "") -> (the condition it puts the office in, the conditions it ends). Host ""
#: matches any host; the explorer's office has FILESRV (the server, Web Connector) and WS01 (maria).
#: Any other action (renaming or moving the file, changing a password, leaving a pop-up in the file,
#: the recovery steps) leaves the office changed for good, as far as this is concerned.
_EFFECTS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("sleep", ""): ("server asleep", ()),
    ("wake", ""): ("", ("server asleep",)),
    ("shut_down", ""): ("server off", ("server asleep",)),
    ("boot", ""): ("", ("server off", "nobody logged in")),  # the explorer boots and logs in
    ("restart", ""): ("nobody logged in", ("server asleep",)),
    ("log_out", ""): ("nobody logged in", ()),
    ("log_in", ""): ("", ("nobody logged in",)),
    ("exit_qbwc", ""): ("Web Connector closed", ()),
    ("start_qbwc", ""): ("", ("Web Connector closed",)),
    ("open", "WS01"): ("colleague in the file", ()),
    ("close_quickbooks", "WS01"): ("", ("colleague in the file",)),
    ("open_single_user", ""): ("Admin in the file, single-user", ()),
    ("close_quickbooks", "FILESRV"): ("", ("Admin in the file, single-user",)),
    ("forget_password", ""): ("Web Connector password lost", ()),
    ("set_password", ""): ("", ("Web Connector password lost",)),
    ("dismiss_popups", ""): ("", ()),  # dialogs on screen only: a pop-up waiting in the file stays
    ("create_invoices", ""): ("", ()),
}


class Troubles:
    """The conditions the office is in after the actions so far."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.lasting = False  # something changed for good, or an action of unknown effect
        self.failed = False  # an action the office refused: what holds is not known

    def apply(self, action: str, item: dict[str, Any]) -> None:
        if action == "service_drops_connection":
            if item.get("callback") == "none":
                self.open.discard("service dropping connections")
            else:
                self.open.add("service dropping connections")
            return
        if action == "boot" and "server off" not in self.open:
            return  # a computer already on does not boot again (nor log anyone in)
        effect = _EFFECTS.get((action, item.get("host", ""))) or _EFFECTS.get((action, ""))
        if effect is None:
            self.lasting = True
            return
        opens, ends = effect
        self.open.difference_update(ends)
        if opens:
            self.open.add(opens)

    @property
    def condition(self) -> str:
        if self.failed:
            return "unknown (an action was refused)"
        return (
            ", ".join(sorted(self.open)) + (" (changed for good)" if self.lasting else "")
            if self.open or self.lasting
            else HEALTHY
        )

    @property
    def all_ended(self) -> bool:
        """Every condition the history caused has ended, and nothing was changed for good."""
        return not self.open and not self.lasting and not self.failed


def troubles_of(run: ScenarioRun) -> Troubles:
    """The office's conditions after every timeline action of a finished run, in the order they happened."""
    troubles = Troubles()
    for item, _ in run.landed:
        troubles.apply(item["action"], item)
    troubles.failed = bool(run.world.trace.select("timeline.action_failed"))
    return troubles


class CoverageRecorder:
    """Collects a run's (session state, office condition) pairs. It sits among the world's session
    watchers (sim.webconnector.session_moments) and never fires: sessions run exactly as without it."""

    def __init__(self, run: ScenarioRun) -> None:
        self.run = run
        self.pairs: set[tuple[str, str]] = set()
        self._troubles = Troubles()
        self._seen = 0

    def attach(self) -> CoverageRecorder:
        self.run.world.session_watchers.append((self, None))
        return self

    def _condition(self) -> str:
        landed = self.run.landed
        while self._seen < len(landed):
            item, state = landed[self._seen]
            self.pairs.add((state or "between updates", f"{item['action']} happens"))
            self._troubles.apply(item["action"], item)
            self._seen += 1
        return self._troubles.condition

    def matches(self, session, state: str, visits: int, request: str = "", request_visits: int = 0) -> bool:
        """(A watcher of every session state, as sim.webconnector.session_moments calls it; never fires.)"""
        self.pairs.add((session_label(session), self._condition()))
        return False

    def finish(self) -> set[tuple[str, str]]:
        self._condition()
        return self.pairs
