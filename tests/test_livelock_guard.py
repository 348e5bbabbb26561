"""No simulation can spin for ever: the World stops a run whose clock stops moving and names the spinner."""

import pytest

from sim.errors import LivelockError
from sim.world import MAX_EVENTS_AT_ONE_INSTANT, World


class Spinner:
    actor = "spinner@SRV"

    def spin(self, world):
        while True:
            yield world.env.timeout(0)


def test_a_process_that_never_lets_time_pass_is_stopped_and_named():
    world = World(seed=1)
    world.process(Spinner().spin(world))
    with pytest.raises(LivelockError) as caught:
        world.run(hours=1)
    message = str(caught.value)
    assert f"{MAX_EVENTS_AT_ONE_INSTANT:,} events without the simulated clock moving" in message
    assert "Spinner.spin of spinner@SRV" in message and "2026-01-05 07:00:00" in message


def test_many_events_spread_over_time_are_not_a_livelock():
    world = World(seed=1)

    def busy():
        for _ in range(3 * MAX_EVENTS_AT_ONE_INSTANT):
            yield world.env.timeout(0.001)

    world.process(busy())
    world.run(hours=1)
    assert world.seconds == 3600


def test_a_burst_at_one_instant_below_the_bound_runs():
    world = World(seed=1)
    done = []

    def burst():
        for _ in range(MAX_EVENTS_AT_ONE_INSTANT // 2):
            yield world.env.timeout(0)
        done.append(world.seconds)

    world.process(burst())
    world.run(minutes=1)
    assert done == [0]
