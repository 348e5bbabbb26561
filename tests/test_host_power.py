"""Host power states: asleep or off hosts run no programs; sleeping interrupts what runs."""

import pytest

from sim.errors import ConfigurationError, HostUnavailableError
from sim.world import World


def _ticker(world, host, ticks):
    while True:
        yield world.env.timeout(60)
        ticks.append(world.seconds)


def test_sleep_interrupts_running_programs_and_records_it():
    world = World(seed=1)
    host = world.add_workstation("WS1", logged_in="Administrator")
    ticks = []
    process = host.spawn(_ticker(world, host, ticks), "ticker")
    world.run(minutes=3)
    host.sleep()
    world.run(minutes=10)
    assert ticks == [60, 120]  # run(until=t) stops before the events at t
    assert not process.is_alive
    assert world.trace.select("program.interrupted", program="ticker", reason="asleep")


def test_programs_cannot_start_on_a_sleeping_or_logged_out_host():
    world = World(seed=1)
    host = world.add_workstation("WS1", logged_in="Administrator")
    host.sleep()
    with pytest.raises(HostUnavailableError, match="asleep"):
        host.spawn(_ticker(world, host, []), "ticker")
    host.wake()
    host.log_out()
    with pytest.raises(HostUnavailableError, match="nobody is logged in"):
        host.spawn(_ticker(world, host, []), "ticker")


def test_wait_for_session_fires_on_wake_with_a_user():
    world = World(seed=1)
    host = world.add_workstation("WS1", logged_in="Administrator")
    host.sleep()
    woke = []

    def waiter():
        yield host.wait_for_session()
        woke.append(world.seconds)

    world.process(waiter())
    world.run(minutes=5)
    host.wake()
    world.run(minutes=1)
    assert woke == [300]


def test_shut_down_logs_out_and_closes_quickbooks():
    from sim.quickbooks.company_file import create_company_file

    world = World(seed=1)
    host = world.add_workstation("WS1", logged_in="Administrator")
    create_company_file(world, host, r"C:\Data\A.QBW")
    host.quickbooks.open_company_file(r"C:\Data\A.QBW")
    host.shut_down()
    assert host.logged_in is None and host.quickbooks.opened is None
    assert host.fs.holders(r"C:\Data\A.QBW") == []
    host.boot(log_in="Administrator")
    assert host.has_session


def test_sleep_keeps_quickbooks_open():
    from sim.quickbooks.company_file import create_company_file

    world = World(seed=1)
    host = world.add_workstation("WS1", logged_in="Administrator")
    create_company_file(world, host, r"C:\Data\A.QBW")
    host.quickbooks.open_company_file(r"C:\Data\A.QBW")
    host.sleep()
    assert host.quickbooks.opened is not None


def test_sleep_at_night_habit_skips_weekends():
    world = World(seed=1)  # Monday 07:00
    host = world.add_workstation("WS1", logged_in="Administrator")
    host.sleep_at_night("19:00", "07:00")
    world.run(until="Mon 20:00")
    assert host.power.value == "asleep"
    world.run(until="Tue 07:30")
    assert host.is_on
    world.run(until="Sat 08:00")
    assert host.power.value == "asleep"
    world.run(until="Mon 07:30")
    assert host.is_on


def test_unknown_windows_user_is_refused():
    world = World(seed=1)
    host = world.add_workstation("WS1")
    with pytest.raises(ConfigurationError, match="no Windows user 'bob'"):
        host.log_in("bob")


def test_idle_sleep_waits_for_the_person_to_leave():
    from sim.people.quickbooks_user import QuickBooksPerson
    from sim.quickbooks.company_file import create_company_file

    world = World(seed=1)  # Monday 07:00
    host = world.add_workstation("WS1", logged_in="Administrator")
    create_company_file(world, host, r"C:\Data\A.QBW")
    QuickBooksPerson(world, "Admin", host, r"C:\Data\A.QBW", day_starts="07:10", day_ends="12:00").start()
    host.sleep_when_idle(30)
    world.run(until="11:59")
    assert host.is_on  # she was working all morning
    world.run(until="12:29")
    assert host.is_on
    world.run(until="12:40")  # she left a little after 12:00, finishing her last invoice
    assert host.power.value == "asleep"
    world.run(until="Tue 07:20")
    assert host.is_on  # she woke it on arrival
