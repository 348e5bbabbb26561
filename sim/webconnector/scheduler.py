"""The Auto-Run scheduler of one Web Connector.

Every application with Auto-Run ticked is updated again once its interval
(Every_Min, a minimum and not a promise, PG ch.4) has passed since its last
run ended (so runs drift by their own length, as published logs show); the interval is read again after each run, since
authenticate [3]
may have raised it (the session writes it; a postponed update resumes inside
`WebConnector.update`). The scheduler lives in the logged-in Windows session: while the host is
off, asleep or nobody is logged in it does nothing at all, and runs that fell
due meanwhile are not caught up one by one: each overdue application runs once
after the session is back (assumed, DOMAIN.md section 7). Scheduled updates go
through the same queue as Update Selected, one at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from sim.webconnector.app_list import read_app

if TYPE_CHECKING:
    from sim.parts import WebConnector

__all__ = ["AutoRunScheduler"]


class AutoRunScheduler:
    def __init__(self, connector: WebConnector) -> None:
        self.connector = connector
        self.world = connector.world
        self.host = connector.host
        self._next_due: dict[str, float] = {}
        self._poke = self.world.env.event()
        self._process: simpy.Process | None = None

    def start(self) -> None:
        if self._process is None:
            self._process = self.world.process(self._run())

    def poke(self) -> None:
        """The application list or a setting changed: look again."""
        if not self._poke.triggered:
            self._poke.succeed()

    def _due(self) -> list[tuple[float, str]]:
        apps = [a for a in self.connector.applications() if a.auto_run and a.every_seconds > 0]
        names = {a.name for a in apps}
        for name in list(self._next_due):
            if name not in names:
                del self._next_due[name]
        for app in apps:
            # Ticking Auto-Run makes the first run happen right away (assumed).
            self._next_due.setdefault(app.name, self.world.seconds)
        return sorted((self._next_due[a.name], a.name) for a in apps)

    def _run(self):
        env = self.world.env
        while True:
            if self._poke.triggered:
                self._poke = env.event()
            due = self._due()
            if not due:
                yield self._poke
                continue
            when, name = due[0]
            if when > env.now:
                yield env.timeout(when - env.now) | self._poke
                continue
            if not self.host.has_session_of(self.connector.user):
                # Auto-Run lives in its Windows user's session: another user's desktop does not run it.
                yield self.host.wait_for_session(self.connector.user) | self._poke
                continue
            if not self.connector.running:
                # Closed, or not started at logon: no scheduled run at all (PG).
                yield self.connector.wait_until_running() | self._poke
                continue
            app = self.connector.application(name)
            interval = app.every_seconds
            self._next_due[name] = env.now + interval  # (while it runs: not due again)
            process = self.host.spawn(
                self.connector.update(name, "scheduled", person_present=False),
                "Web Connector: Auto-Run",
                self.connector.user,
            )
            yield process
            # The interval counts from the end of the run (PG ch.4: "the first available time after
            # the specified elapsed time"; FIELD: published logs, runs drift by their own length).
            ended = env.now
            after = read_app(self.host, self.connector.user, name)  # authenticate [3] may have raised Every_Min
            self._next_due[name] = ended + max(interval, after.every_seconds if after is not None else 0)
