"""People at work: workdays, the register lock they hold, and the slowdown a sync causes them."""

from sim.people.quickbooks_user import QuickBooksPerson


def test_a_workday_opens_works_and_closes(office):
    person = QuickBooksPerson(
        office.world, "maria", office.workstations[0], office.mapped_path("Acme Properties")
    ).start()
    office.world.run(until="12:00")
    assert office.workstations[0].quickbooks.opened is not None
    office.world.run(until="18:00")
    assert office.workstations[0].quickbooks.opened is None
    assert person.tasks_done > 10
    opened = office.world.trace.select("quickbooks.opened")[0]
    assert opened.time.strftime("%H:%M") == "08:30"


def test_nobody_works_at_the_weekend(office):
    QuickBooksPerson(office.world, "maria", office.workstations[0], office.mapped_path("Acme Properties")).start()
    office.world.run(until="2026-01-10 07:00")
    before = len(office.world.trace.select("quickbooks.opened"))
    office.world.run(until="2026-01-12 07:00")
    assert before == 5 and len(office.world.trace.select("quickbooks.opened")) == 5


def test_a_sync_in_their_file_slows_them_down(linked_office):
    world = linked_office.world
    person = QuickBooksPerson(
        world, "maria", linked_office.workstations[0], linked_office.mapped_path("Acme Properties")
    ).start()
    world.run(until="09:00")
    assert person.slowed_seconds == 0
    linked_office.web_connector.update_selected("all")
    world.run(until="09:10")
    slowed = world.trace.select("person.slowed_down", actor="maria@WS01")
    assert slowed and slowed[0].get("percent") == 60 and slowed[0].source == "assumed"
    assert world.trace.select("person.slowdown_ended", actor="maria@WS01")
    assert person.slowed_seconds > 0


def test_their_work_blocks_a_push_into_the_register(linked_office):
    from sim.quickbooks.company_file import CompanyFile

    world = linked_office.world
    QuickBooksPerson(
        world,
        "maria",
        linked_office.workstations[0],
        linked_office.mapped_path("Acme Properties"),
        pause_seconds=(1, 2),
    ).start()
    integration = linked_office.integrations["Acme Properties"]
    company = CompanyFile.load(linked_office.server, linked_office.files["Acme Properties"])
    integration.create_invoice(company.records["customers"][0]["Name"], "75.00")
    world.run(until="09:00")
    process = linked_office.web_connector.update_selected("all")
    world.run(until="09:10")
    assert process.value[0].outcome == "failed" and "in use" in process.value[0].message
    assert world.trace.select("sdk.record_in_use", held_by="maria@WS01")
