"""Remote Desktop: a server holds a Windows session per connected user, each with its own QuickBooks,
and programs in one session cannot see QuickBooks in another."""

import pytest

from sim.errors import FileInUseError, HostUnavailableError
from sim.people.admin import rename_company_file
from sim.people.quickbooks_user import QuickBooksPerson


def _server_with_user(office, user="bookkeeper"):
    office.server.add_windows_user(user)
    return office.server


def test_each_remote_user_has_a_quickbooks_of_their_own(office):
    server = _server_with_user(office)
    server.add_windows_user("clerk")
    theirs = server.connect_remote_desktop("bookkeeper")
    assert theirs is not server.quickbooks
    assert server.connect_remote_desktop("clerk") is not theirs
    theirs.open_company_file(office.files["Acme Properties"], "Admin")
    assert server.quickbooks.opened is None  # the console's QuickBooks does not see the file
    assert server.logged_in == "Administrator"  # the console session is untouched


def test_the_console_user_reconnects_to_the_console_session(office):
    assert office.server.connect_remote_desktop("Administrator") is office.server.quickbooks
    assert office.server.remote_sessions == {}


def test_a_workstation_has_one_session_so_connecting_logs_in(office):
    station = office.workstations[0]
    station.log_out()
    assert station.connect_remote_desktop(station.windows_users[0]) is station.quickbooks
    assert station.logged_in == station.windows_users[0]


def test_a_remote_session_holds_the_file_open_until_it_signs_out(office):
    server = _server_with_user(office)
    server.connect_remote_desktop("bookkeeper").open_company_file(office.files["Acme Properties"], "Admin")
    with pytest.raises(FileInUseError, match="QuickBooks@FILESRV/bookkeeper"):
        rename_company_file(server, office.files["Acme Properties"], "New.QBW")
    server.disconnect_remote_desktop("bookkeeper")
    assert server.fs.holders(office.files["Acme Properties"]) == []


def test_shutting_down_ends_every_remote_session(office):
    server = _server_with_user(office)
    desktop = server.connect_remote_desktop("bookkeeper")
    desktop.open_company_file(office.files["Acme Properties"], "Admin")
    server.shut_down()
    assert server.remote_sessions == {}
    assert desktop.opened is None
    with pytest.raises(HostUnavailableError, match="no Remote Desktop session"):
        desktop.open_company_file(office.files["Acme Properties"], "Admin")


def test_nobody_connects_to_a_server_that_is_off(office):
    server = _server_with_user(office)
    server.shut_down()
    with pytest.raises(HostUnavailableError, match="FILESRV is off"):
        server.connect_remote_desktop("bookkeeper")


def test_a_remote_worker_who_finds_the_server_off_gives_up_for_the_day(office):
    server = _server_with_user(office)
    server.shut_down()
    person = QuickBooksPerson(
        office.world, "Admin", server, office.files["Acme Properties"], windows_user="bookkeeper", remote_desktop=True
    ).start()
    office.world.run(until=12 * 3600)
    assert office.world.trace.select("person.cannot_open", actor=person.actor)
    assert server.is_on is False  # nobody at the desk switches a server on from afar
