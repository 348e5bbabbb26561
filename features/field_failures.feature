Feature: The failures customers report, and what fixes them
  Field reports and the Programmer's Guide (DOMAIN.md section 9) name failures the article does not:
  each scenario shows one arising from its mechanism, then the fix restoring sync.

  @field-failure
  Scenario: Web Connector closed while Auto-Run is on: starting it again brings the scheduled syncs back
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector is exited on the server
    And the simulation runs until "11:00"
    Then the Web Connector log shows "QBWC1020"
    And no scheduled sync is attempted
    When Web Connector is started on the server
    And the simulation runs until "12:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: A changed QuickBooks password stops unattended syncs until the Admin approves access again
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the QuickBooks Admin changes the password of "Admin" in "Acme Properties"
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040408"
    When the QuickBooks Admin approves the access of "Acme Properties" again in Integrated Applications
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: A password Web Connector lost fails every run until it is entered again
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector loses the password of "Acme Properties"
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "QBWC1030"
    When the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: After a Web Connector update the Admin approves it again and unattended syncs come back
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector on the server is updated to version "2.3.0.230"
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040418"
    When the QuickBooks Admin approves the access of "Acme Properties" again in Integrated Applications
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: Access approved for the company file that happened to be open; reconnecting with the right one open restores sync
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And the server also holds the company file "Beacon Holdings", not linked to STRATAFOLIO
    And STRATAFOLIO has 2 new invoices for "Acme Properties"
    When the QuickBooks Admin opens "Beacon Holdings" in single-user mode and closes every pop-up
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "receiveResponseXML"
    And the Web Connector log shows "Beacon Holdings.QBW"
    When the QuickBooks Admin closes QuickBooks
    And the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And every record of "Acme Properties" is present exactly once on both sides
