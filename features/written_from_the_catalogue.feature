Feature: Five failures, written by a QA engineer from `wcsim steps` alone
  Each scenario shows a failure arising from its cause at a time of day, in the window its Then-steps
  name; tests/test_features.py removes each cause's mechanism and sees the scenario fail at the step
  that depends on it.

  Scenario: Two integrations on one file: another vendor's application approved "prompt each time" fails unattended, STRATAFOLIO's keeps syncing
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And another vendor's application "Acme Payroll" is linked to "Acme Properties" with access "prompt each time"
    And Auto-Run syncs every integration every 15 minutes
    When the simulation runs until "10:00"
    Then every scheduled sync of "Acme Properties" succeeds
    And every scheduled sync of "Acme Payroll" fails with "0x8004041D"
    And at least 8 scheduled syncs of "Acme Payroll" were attempted

  Scenario: A pop-up left by a QuickBooks update blocks the night's syncs until the Admin answers it
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 60 minutes
    And a QuickBooks upgrade leaves the pop-up "Update your company file for the new version of QuickBooks" in "Acme Properties" at "Tue 02:00"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up at "Tue 09:10"
    And QuickBooks is closed on the server at "Tue 09:15"
    When the simulation runs until "Tue 19:00"
    Then every scheduled sync of "Acme Properties" succeeds before "Tue 02:00"
    And every scheduled sync of "Acme Properties" fails with "0x80040414" between "Tue 02:00" and "Tue 09:10"
    And every scheduled sync of "Acme Properties" succeeds after "Tue 09:16"

  Scenario: Web Connector exited at noon: no scheduled sync after it, though the server stays on
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    And Web Connector is exited on the server at "12:00"
    When the simulation runs until "17:00"
    Then every scheduled sync succeeds before "12:00"
    And no scheduled sync is attempted after "12:00"
    And Web Connector warns "QBWC1020"

  Scenario: A night's sleep: nothing syncs from 19:00 until the server wakes at 07:00, then it syncs again
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 30 minutes
    And the server goes to sleep at "19:00"
    And the server wakes up at "07:00"
    When the simulation runs until "Tue 09:00"
    Then no scheduled sync is attempted between "19:00" and "07:00"
    And at least 3 scheduled syncs were attempted between "07:00" and "09:00"
    And every scheduled sync succeeds during the run

  Scenario: A rename at 10:00 breaks every scheduled sync until the integration is reconnected
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And STRATAFOLIO has 2 new invoices for "Acme Properties"
    And Auto-Run syncs every integration every 15 minutes
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW" at "10:00"
    When the simulation runs until "12:00"
    Then every scheduled sync of "Acme Properties" succeeds before "10:00"
    And every scheduled sync of "Acme Properties" fails with "0x80040408" since the rename
    When the integration for "Acme Properties" is force-removed from the registry
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    And the QuickBooks Admin closes QuickBooks
    And Auto-Run syncs "Acme Properties" every 15 minutes
    And the simulation runs until "15:00"
    Then every scheduled sync of "Acme Properties" succeeds since the reconnection
    And at least 10 scheduled syncs were attempted since the reconnection
    And every record of "Acme Properties" is present exactly once on both sides
