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
