"""The world's calendar clock: at(), after(), run()."""

from datetime import datetime

import pytest

from sim.errors import ConfigurationError
from sim.world import World


def test_at_clock_time_later_today_and_tomorrow():
    world = World(seed=1, start=datetime(2026, 1, 5, 7, 0))  # a Monday
    assert world.at("09:00") == 2 * 3600
    assert world.at("06:00") == 23 * 3600


def test_at_weekday_moves_to_that_day():
    world = World(seed=1, start=datetime(2026, 1, 5, 7, 0))
    assert world.at("Wed 09:00") == (2 * 24 + 2) * 3600
    assert world.at("Mon 06:00") == 7 * 24 * 3600 - 3600


def test_at_iso_date_time_and_past_is_refused():
    world = World(seed=1, start=datetime(2026, 1, 5, 7, 0))
    assert world.at("2026-01-06 07:00") == 24 * 3600
    world.run(until="12:00")
    with pytest.raises(ConfigurationError, match="simulated past"):
        world.at("2026-01-05 08:00")


def test_run_advances_now():
    world = World(seed=1, start=datetime(2026, 1, 5, 7, 0))
    world.run(minutes=90)
    assert world.now == datetime(2026, 1, 5, 8, 30)
    assert world.after(minutes=5) == 95 * 60


@pytest.mark.parametrize("spec", ["9am", "25:00", "Xyz 09:00", ""])
def test_unreadable_times_raise_a_clear_error(spec):
    with pytest.raises(ConfigurationError, match="cannot read time"):
        World(seed=1).at(spec)


def test_seed_must_be_an_integer():
    with pytest.raises(ConfigurationError, match="seed"):
        World(seed="1")


def test_guids_follow_the_seed():
    assert World(seed=3).new_guid() == World(seed=3).new_guid()
    assert World(seed=3).new_guid() != World(seed=4).new_guid()


def test_the_office_keeps_us_eastern_time_and_the_log_stamps_utc():
    from datetime import datetime

    from sim.world import to_utc

    # Assumed: US Eastern with US daylight saving (second Sunday of March to first Sunday of November, 2:00).
    assert to_utc(datetime(2026, 1, 5, 7, 0)) == datetime(2026, 1, 5, 12, 0)
    assert to_utc(datetime(2026, 7, 1, 9, 30)) == datetime(2026, 7, 1, 13, 30)
    assert to_utc(datetime(2026, 3, 8, 1, 59)) == datetime(2026, 3, 8, 6, 59)
    assert to_utc(datetime(2026, 3, 8, 2, 0)) == datetime(2026, 3, 8, 6, 0)
    assert to_utc(datetime(2026, 11, 1, 1, 59)) == datetime(2026, 11, 1, 5, 59)
    assert to_utc(datetime(2026, 11, 1, 2, 0)) == datetime(2026, 11, 1, 7, 0)


def test_a_postponement_carries_the_local_time_beside_the_utc_stamp(linked_office):
    import re

    from tests.test_pg_session_rules import update
    from tests.test_update_session import ScriptedService

    update(linked_office, ScriptedService(authenticate=["", "NVU", "10", ""]), auto_run=True, minutes=1)
    line = next(line for line in linked_office.server.qwc_log.text().splitlines() if "HandleDelayRequest" in line)
    # FIELD: "20250519.13:33:54 UTC ... postponed at 5/19/2025 9:33:54 AM" (a published log, UTC-4).
    stamp, local = re.match(r"\d{8}\.(\d\d):\d\d:\d\d UTC.* at 1/5/2026 (\d+):\d\d:\d\d AM", line).groups()
    assert int(stamp) - int(local) == 5
