Feature: The do's: the proper way to sync

  @claim-full-sync-nobody-working
  Scenario: With nobody in QuickBooks, syncing all integrations succeeds for every one
    Given these company files are linked to STRATAFOLIO:
      | company file       |
      | Acme Properties    |
      | Birch Lane Rentals |
      | Cedar Storage      |
    And STRATAFOLIO has 3 new invoices for each integration
    And the server stays on and awake and nobody uses QuickBooks
    When all integrations are synced in Web Connector
    Then every integration's sync succeeds
    And every record of every company file is present exactly once on both sides

  @claim-single-user-sync
  Scenario: Logged in to one file as a single user, syncing only that file succeeds
    Given "Acme Properties", "Birch Lane Rentals" and "Cedar Storage" are linked to STRATAFOLIO
    And STRATAFOLIO has 3 new invoices for each integration
    When the QuickBooks Admin opens "Birch Lane Rentals" in single-user mode and closes every pop-up
    And "Birch Lane Rentals" is synced in Web Connector
    Then the sync of "Birch Lane Rentals" succeeds
    And every record of "Birch Lane Rentals" is present exactly once on both sides
    And "maria" cannot open "Birch Lane Rentals" while it is open in single-user mode

  @claim-single-user-sync
  Scenario: Logged in to one file, syncing another file instead fails
    Given "Acme Properties" and "Birch Lane Rentals" are linked to STRATAFOLIO
    When the QuickBooks Admin opens "Birch Lane Rentals" in single-user mode and closes every pop-up
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x8004040A"
