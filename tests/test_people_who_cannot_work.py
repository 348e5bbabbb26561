"""A person whose company file will not open sees the error, tries again later, and gives up for the day."""

import pytest

from sim.bdd.context import ScenarioContext
from sim.bdd.steps_given import linked, person_works
from sim.bdd.steps_then import sync_fails_with
from sim.bdd.steps_when import rename_file, run_until
from sim.people import admin
from sim.people.quickbooks_user import OPEN_TRIES_PER_DAY, QuickBooksPerson


def test_a_person_whose_file_was_renamed_retries_then_gives_up_and_time_moves_on(linked_office):
    office = linked_office
    admin.rename_company_file(office.server, office.files["Acme Properties"], "Acme 2026.QBW")
    maria = QuickBooksPerson(
        office.world, "maria", office.server, office.files["Acme Properties"], day_starts="08:00", day_ends="17:00"
    ).start()
    office.world.run(until="Wed 12:00")
    refusals = office.world.trace.select("person.cannot_open", actor=maria.actor)
    # Three tries on Monday, three on Tuesday, three on Wednesday morning: never a spin at one instant.
    assert len(refusals) == 3 * OPEN_TRIES_PER_DAY
    assert [e.time.strftime("%a %H:%M") for e in refusals[:3]] == ["Mon 08:00", "Mon 08:30", "Mon 09:00"]
    assert refusals[2].get("next") == "gives up for the day" and refusals[0].get("next") == "tries again in 30 min"
    assert maria.tasks_done == 0


def test_a_person_who_is_not_a_user_of_the_file_does_not_hang_the_run(linked_office):
    office = linked_office
    stranger = QuickBooksPerson(
        office.world, "stranger", office.server, office.files["Acme Properties"], day_starts="08:00", day_ends="17:00"
    ).start()
    office.world.run(until="Tue 08:00")
    assert office.world.trace.select("person.cannot_open", actor=stranger.actor)


def test_the_bdd_scenario_with_a_renamed_file_under_a_worker_finishes():
    wcsim = ScenarioContext(seed=0)
    linked(wcsim, '"Acme Properties"', None)
    person_works(wcsim, "maria", "Acme Properties", "the server", "08:30", "17:00")
    rename_file(wcsim, "Acme Properties", "Acme 2026.QBW")
    run_until(wcsim, "12:00")
    assert wcsim.world.now.strftime("%H:%M") == "12:00"
    assert wcsim.world.trace.select("person.cannot_open")


def test_update_selected_on_a_sleeping_server_fails_the_expectation_instead_of_crashing():
    wcsim = ScenarioContext(seed=0)
    linked(wcsim, '"Acme Properties"', None)
    wcsim.require_office().server.sleep()
    wcsim.sync(["Acme Properties"])
    assert [r.outcome for r in wcsim.results] == ["not started"]
    assert wcsim.world.trace.select("update.not_started")
    with pytest.raises(
        AssertionError, match="expected the sync of 'Acme Properties' to fail with 0x80040408; it ended not started"
    ):
        sync_fails_with(wcsim, "Acme Properties", "0x80040408")
