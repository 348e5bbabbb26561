"""Auto-Run: a minimum interval, nothing while off/asleep/logged out, no pile-up, postpone and minimum."""

from sim.stratafolio.service import SERVICE_URL


def scheduled_starts(office):
    """Seconds from ticking Auto-Run to each scheduled start (linking ran a first sync before)."""
    return [
        round(e.seconds - office.auto_run_at, 3)
        for e in office.world.trace.select("update.started", trigger="scheduled")
    ]


def gaps(office):
    """Seconds from the end of each scheduled run to the start of the next."""
    runs = office.world.trace.select("update.started", trigger="scheduled")
    ends = office.world.trace.select("update.finished", trigger="scheduled")
    return [round(start.seconds - end.seconds) for end, start in zip(ends, runs[1:], strict=False)]


def auto_run(office, minutes=5):
    app = office.apps["Acme Properties"]
    office.auto_run_at = office.world.seconds
    office.web_connector.set_auto_run(app, True, minutes)
    return app


def test_runs_every_interval_while_the_host_is_on(linked_office):
    auto_run(linked_office, 5)
    linked_office.world.run(minutes=31)
    # The interval counts from the end of a run (PG ch.4; FIELD): each run drifts by its own length.
    assert gaps(linked_office) == [300] * 5
    assert 300 < scheduled_starts(linked_office)[1] < 330
    outcomes = {e.get("outcome") for e in linked_office.world.trace.select("update.finished", trigger="scheduled")}
    assert outcomes == {"succeeded"}


def test_no_attempt_while_asleep_and_one_run_after_waking(linked_office):
    auto_run(linked_office, 5)
    linked_office.world.run(minutes=1)
    linked_office.server.sleep()
    linked_office.world.run(minutes=60)
    assert scheduled_starts(linked_office) == [0]
    linked_office.server.wake()
    linked_office.world.run(minutes=2)
    assert scheduled_starts(linked_office) == [0, 61 * 60]  # once, not twelve missed runs


def test_no_attempt_while_off_or_logged_out(linked_office):
    auto_run(linked_office, 5)
    linked_office.world.run(minutes=1)
    linked_office.server.log_out()
    linked_office.world.run(minutes=30)
    linked_office.server.shut_down()
    linked_office.world.run(minutes=30)
    assert scheduled_starts(linked_office) == [0]
    linked_office.server.boot(log_in="Administrator")
    linked_office.world.run(minutes=1)
    assert len(scheduled_starts(linked_office)) == 2


def test_turning_auto_run_off_stops_it(linked_office):
    app = auto_run(linked_office, 5)
    linked_office.world.run(minutes=6)
    linked_office.web_connector.set_auto_run(app, False)
    linked_office.world.run(minutes=30)
    assert len(scheduled_starts(linked_office)) == 2 and gaps(linked_office) == [300]


class Postponing:
    """Wraps the real service, adding authenticate's postpone [2] and minimum [3]."""

    def __init__(self, service, postpone="", minimum=""):
        self.service, self.postpone, self.minimum = service, postpone, minimum

    def __getattr__(self, name):
        return getattr(self.service, name)

    def authenticate(self, strUserName, strPassword):
        return self.service.authenticate(strUserName, strPassword)[:2] + [self.postpone, self.minimum]


def test_authenticate_can_postpone_the_next_run(linked_office):
    linked_office.world.web_services[SERVICE_URL] = Postponing(linked_office.world.stratafolio, postpone="1800")
    auto_run(linked_office, 5)
    linked_office.world.run(minutes=40)
    starts = scheduled_starts(linked_office)
    assert starts[:2] == [0, starts[1]] and 1800 <= starts[1] < 1900


def test_authenticate_can_raise_the_interval(linked_office):
    linked_office.world.web_services[SERVICE_URL] = Postponing(linked_office.world.stratafolio, minimum="900")
    app = auto_run(linked_office, 5)
    linked_office.world.run(minutes=31)
    assert gaps(linked_office) == [900, 900]
    assert linked_office.web_connector.application(app).every_min == 15


def test_scheduled_and_manual_updates_take_turns(linked_office):
    mark = len(linked_office.world.trace)
    auto_run(linked_office, 5)
    linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=2)
    finished = linked_office.world.trace.select("update.finished", since=mark)
    started = linked_office.world.trace.select("update.started", since=mark)
    assert len(started) == 2 and started[1].seconds >= finished[0].seconds


def test_auto_run_belongs_to_the_windows_user_who_set_it_up(linked_office):
    server = linked_office.server
    auto_run(linked_office, 5)
    linked_office.world.run(minutes=1)
    server.add_windows_user("bookkeeper")
    server.log_in("bookkeeper")  # Administrator's session ends, bookkeeper's desktop has no apps
    linked_office.world.run(minutes=30)
    assert scheduled_starts(linked_office) == [0]
    assert server.web_connector("bookkeeper").applications() == []
    server.log_in("Administrator")
    linked_office.world.run(minutes=1)
    assert len(scheduled_starts(linked_office)) == 2
