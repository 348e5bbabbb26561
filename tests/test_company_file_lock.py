"""The AppLock: a value in the company file that each session sets and clears (FIELD: published
QWCLog.txt files), left set by a session that dies, and what another Web Connector then meets (assumed)."""

from sim.quickbooks.company_file import CompanyFile
from sim.webconnector.company_file_lock import STALE_AFTER_SECONDS, dotnet_ticks
from tests.test_pg_session_rules import update
from tests.test_update_session import SERVICE_URL, ScriptedService


def app_lock(office) -> str:
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    app = office.web_connector.application(office.apps["Acme Properties"])
    return company.app_locks[app.owner_id]


def set_lock(office, value: str) -> None:
    path = office.files["Acme Properties"]
    company = CompanyFile.load(office.server, path)
    app = office.web_connector.application(office.apps["Acme Properties"])
    company.app_locks[app.owner_id] = value
    company.save(office.server, path)


def test_adding_the_application_creates_the_lock_unlocked_for_this_computer(linked_office):
    assert app_lock(linked_office) == "UNLOCKED:FILESRV"


def test_a_session_sets_the_lock_while_it_works_and_clears_it_at_its_end(linked_office):
    seen = []
    service = ScriptedService()
    original = service.receiveResponseXML
    service.receiveResponseXML = lambda **kw: seen.append(app_lock(linked_office)) or original(**kw)
    [result] = update(linked_office, service, auto_run=False)
    assert result.outcome == "succeeded"
    assert seen and seen[0].startswith("LOCKED:FILESRV:")
    assert app_lock(linked_office) == "UNLOCKED:FILESRV"
    assert "getLock() : Got Lock = LOCKED:FILESRV:" in linked_office.server.qwc_log.text()


def test_a_session_that_dies_with_its_computer_leaves_the_lock_set(linked_office):
    office = linked_office
    service = office.world.web_services[SERVICE_URL] = ScriptedService()
    mark = len(office.world.trace)
    office.web_connector.update_selected([office.apps["Acme Properties"]])
    for _ in range(120):  # until the session has taken the lock and asked for a request
        office.world.run(seconds=1)
        if "sendRequestXML" in service.calls:
            break
    office.server.shut_down()
    office.world.run(seconds=1)
    assert office.world.trace.select("update.finished", since=mark)[-1].get("outcome") == "interrupted"
    assert app_lock(office).startswith("LOCKED:FILESRV:")


def test_another_computers_recent_lock_stops_the_update_before_any_request(linked_office):
    office = linked_office
    set_lock(office, f"LOCKED:WS01:{dotnet_ticks(office.world.utc_now)}")
    service = ScriptedService()
    [result] = update(office, service, auto_run=False)
    assert (result.outcome, result.code) == ("failed", "AppLock")
    assert "sendRequestXML" not in service.calls and "closeConnection" in service.calls
    assert app_lock(office).startswith("LOCKED:WS01:")


def test_this_computers_own_lock_and_an_old_lock_are_taken_over(linked_office):
    office = linked_office
    set_lock(office, f"LOCKED:FILESRV:{dotnet_ticks(office.world.utc_now)}")
    assert update(office, ScriptedService(), auto_run=False)[0].outcome == "succeeded"
    stale = dotnet_ticks(office.world.utc_now) - (STALE_AFTER_SECONDS + 60) * 10_000_000
    set_lock(office, f"LOCKED:WS01:{stale}")
    assert update(office, ScriptedService(), auto_run=False)[0].outcome == "succeeded"
    assert app_lock(office) == "UNLOCKED:FILESRV"


def test_a_lock_whose_time_cannot_be_read_or_lies_ahead_is_taken_over_not_obeyed_forever(linked_office):
    office = linked_office
    ahead = dotnet_ticks(office.world.utc_now) + 3600 * 10_000_000  # WS01's clock an hour ahead
    for value in ("LOCKED:WS01:garbage", "LOCKED:WS01", f"LOCKED:WS01:{ahead}"):
        set_lock(office, value)
        assert update(office, ScriptedService(), auto_run=False)[0].outcome == "succeeded", value
        assert app_lock(office) == "UNLOCKED:FILESRV"


def test_dotnet_ticks_count_from_year_one():
    from datetime import datetime

    # FIELD: 636948155984807268 is 2019-05-30 12:19:58.4807268 UTC in a published log.
    assert dotnet_ticks(datetime(2019, 5, 30, 12, 19, 58, 480726)) == 636948155984807260
