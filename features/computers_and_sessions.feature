Feature: Computers, Windows sessions and the Web Connector that runs in them
  Web Connector runs only in a logged-in Windows session of a computer that is on and awake (PG), on
  the computer the integration was linked from. These scenarios show each condition with its steps.

  Scenario: Auto-Run on a workstation's Web Connector syncs from that workstation
    Given "Acme Properties" is linked to STRATAFOLIO from WS01 through drive Q:
    And Auto-Run on WS01 syncs every integration every 15 minutes
    When the simulation runs until "10:00"
    Then at least 4 scheduled syncs were attempted
    And every scheduled sync succeeds

  Scenario: Auto-Run for every integration reaches the workstation it was linked from
    Given "Acme Properties" is linked to STRATAFOLIO from WS01 through drive Q:
    And Auto-Run syncs every integration every 15 minutes
    When the simulation runs until "10:00"
    Then at least 4 scheduled syncs were attempted

  Scenario: Nobody can sync on a sleeping server until it wakes up
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And STRATAFOLIO has 2 new invoices for "Acme Properties"
    When the server goes to sleep
    And "Acme Properties" is synced in Web Connector
    Then the sync cannot start because the server is asleep
    And 2 invoices of "Acme Properties" have not reached QuickBooks
    When the server wakes up
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And 0 invoices of "Acme Properties" have not reached QuickBooks

  Scenario: After a Windows Update restart nothing runs until someone logs in
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the server restarts for a Windows Update
    And the simulation runs until "10:00"
    Then no scheduled sync is attempted
    When "Administrator" logs in to Windows on the server
    And the simulation runs until "11:00"
    Then at least 3 scheduled syncs were attempted
    And every scheduled sync succeeds

  Scenario: Logging out of Windows ends Web Connector with the session
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the Windows user logs out of the server
    And "Acme Properties" is synced in Web Connector
    Then the sync cannot start because the server is logged out

  Scenario: A workstation's Web Connector exited and started again
    Given "Acme Properties" is linked to STRATAFOLIO from WS01 through drive Q:
    And Auto-Run on WS01 syncs every integration every 15 minutes
    When Web Connector is exited on WS01
    And the simulation runs until "10:00"
    Then no scheduled sync is attempted
    When Web Connector is started on WS01
    And the simulation runs until "11:00"
    Then every scheduled sync succeeds

  Scenario: A switched-off server syncs again once it is switched on and someone logs in
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the server is switched off
    And "Acme Properties" is synced in Web Connector
    Then the sync cannot start because the server is off
    When the server is switched on
    And "Administrator" logs in to Windows on the server
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: A copy of the company file and a removed QuickBooks user leave the integration syncing
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is copied to "D:\Backup"
    And the QuickBooks Admin removes the user "li" from "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: Reconnecting by authorizing the Web Connector's computer by its name
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And an Administrator authorizes the computer "FILESRV" in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: A company file on a second server syncs through the first server's Web Connector by its network path
    Given a second server "NEWSRV" holds the company file "Birch Lane Rentals"
    And "Birch Lane Rentals" is linked to STRATAFOLIO and has synced once
    And STRATAFOLIO has 2 new invoices for "Birch Lane Rentals"
    When "Birch Lane Rentals" is synced in Web Connector
    Then the sync of "Birch Lane Rentals" succeeds
    And the Web Connector log shows "\\NEWSRV\QBData\Birch Lane Rentals.QBW"
    And 0 invoices of "Birch Lane Rentals" have not reached QuickBooks

  Scenario: A second workstation runs its own Web Connector for its own file
    Given "Acme Properties" is linked to STRATAFOLIO
    And the office has a workstation WS02
    And "Birch Lane Rentals" is linked to STRATAFOLIO from WS02 through drive Q:
    And Auto-Run on WS02 syncs every integration every 15 minutes
    When the simulation runs until "09:00"
    Then at least 7 scheduled syncs of "Birch Lane Rentals" were attempted
    And no scheduled sync of "Acme Properties" is attempted

  Scenario: A server that sleeps every night syncs only by day
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And the server sleeps every night from "19:00" to "07:00"
    And Auto-Run syncs every integration every 30 minutes
    When the simulation runs until "Wed 09:00"
    Then no scheduled sync is attempted between "19:00" and "07:00"
    And no scheduled sync is attempted between "Tue 19:00" and "Wed 07:00"
    And at least 3 scheduled syncs were attempted between "Wed 07:00" and "Wed 09:00"
    And every scheduled sync succeeds during the run
