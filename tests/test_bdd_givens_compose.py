"""Gherkin Givens add to one office: a second file, a second computer, a second application on the same
file, another vendor's QWC; what the Givens before set up stays; a contradiction fails saying what it is."""

from tests.gherkin_runner import first_line, run_feature

FEATURE = """\
Feature: Givens compose

  Scenario: Two linked files stay two
    Given "Acme Properties" is linked to STRATAFOLIO
    And "Birch Lane Rentals" is linked to STRATAFOLIO
    When "Acme Properties" and "Birch Lane Rentals" are synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And the sync of "Birch Lane Rentals" succeeds

  Scenario: A pop-up set before the link is met by the link, which closes it
    Given an office whose server holds the company file "Acme Properties"
    And a QuickBooks upgrade leaves the pop-up "Update your company file" in "Acme Properties"
    And "Acme Properties" is linked to STRATAFOLIO
    When "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: A file linked from the server and a file linked from a second workstation
    Given "Acme Properties" is linked to STRATAFOLIO
    And the office has a workstation WS02
    And "Birch Lane Rentals" is linked to STRATAFOLIO from WS02
    When "Birch Lane Rentals" is synced in Web Connector
    Then the sync of "Birch Lane Rentals" succeeds
    When "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: Another vendor's application on the same file syncs beside STRATAFOLIO's
    Given "Acme Properties" is linked to STRATAFOLIO
    And another vendor's application "Acme Payroll" is linked to "Acme Properties"
    When "Acme Properties" and "Acme Payroll" are synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And the sync of "Acme Payroll" succeeds

  Scenario: A second server with the first one's name
    Given "Acme Properties" is linked to STRATAFOLIO
    And a second server "FILESRV" holds the company file "Birch Lane Rentals"

  Scenario: A file linked twice
    Given "Acme Properties" is linked to STRATAFOLIO
    And "Acme Properties" is linked to STRATAFOLIO from WS01

  Scenario: One file on two servers
    Given an office whose server holds the company file "Acme Properties"
    And a second server "NEWSRV" holds the company file "Acme Properties"
"""


def test_givens_add_to_one_office_and_contradictions_say_what_they_are(tmp_path):
    reports = run_feature(tmp_path, FEATURE)
    assert len(reports) == 7
    for title in (
        "Two linked files stay two",
        "A file linked from the server and a file linked from a second workstation",
        "Another vendor's application on the same file syncs beside STRATAFOLIO's",
    ):
        assert reports[title].passed, str(reports[title].longrepr)[:1500]
    popup = reports["A pop-up set before the link is met by the link, which closes it"]
    assert popup.passed, str(popup.longrepr)[:1500]
    twin = str(reports["A second server with the first one's name"].longrepr)
    assert first_line(reports["A second server with the first one's name"]).endswith(
        'And a second server "FILESRV" holds the company file "Birch Lane Rentals"'
    )
    assert "the office already has a computer named FILESRV (a server): two computers cannot share one name" in twin
    twice = str(reports["A file linked twice"].longrepr)
    assert (
        "'Acme Properties' is already linked to STRATAFOLIO from FILESRV" in twice
        and "another vendor's application" in twice
    )
    moved = str(reports["One file on two servers"].longrepr)
    assert "the office already holds 'Acme Properties' on FILESRV" in moved


def test_the_link_closes_the_pop_up_it_meets_and_the_trace_says_so():
    from sim.bdd.context import ScenarioContext
    from sim.people.admin import leave_popup

    context = ScenarioContext()
    host, path = context.add_company("Acme Properties")
    leave_popup(host, path, "Update your company file")
    context.link("Acme Properties")
    dismissed = context.world.trace.select("quickbooks.dialog_dismissed")
    assert dismissed and "Update your company file" in dismissed[0].line()


def test_another_vendors_application_has_its_own_owner_id_and_service():
    from sim.bdd.context import ScenarioContext

    context = ScenarioContext()
    context.link("Acme Properties")
    other = context.link_other_application("Acme Payroll", "Acme Properties")
    connector = context.office.server.web_connector()
    ours, theirs = connector.application(context.app("Acme Properties")), connector.application(other.name)
    assert ours.owner_id != theirs.owner_id and ours.company_file == theirs.company_file
    assert theirs.app_url != ours.app_url
