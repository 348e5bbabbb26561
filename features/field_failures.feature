Feature: The failures customers report, and what fixes them
  Field reports and the Programmer's Guide (DOMAIN.md section 9) name failures the article does not:
  each scenario shows one arising from its mechanism, then the fix restoring sync.

  @field-failure
  Scenario: Web Connector closed while Auto-Run is on: starting it again brings the scheduled syncs back
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector is exited on the server
    And the simulation runs until "11:00"
    Then Web Connector warns "QBWC1020"
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

  # --- What integration vendors document (issue 22; tests/data/vendor_pages/) ---

  @field-failure
  Scenario: A QuickBooks update loses the automatic login until the Admin saves the preferences and grants it again
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When QuickBooks on the server installs a maintenance update
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040430"
    When the QuickBooks Admin approves the access of "Acme Properties" again in Integrated Applications
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: An expired Web Connector certificate stops only unattended syncs; the Admin's Allow Always brings them back
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector's certificate on the server expires
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x8004041E"
    When the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    When the QuickBooks Admin closes QuickBooks
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: Updating Web Connector replaces its expired certificate; the Admin approves the new one
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When Web Connector's certificate on the server expires
    And Web Connector on the server is updated to version "2.3.0.230"
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040418"
    When the QuickBooks Admin approves the access of "Acme Properties" again in Integrated Applications
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: QuickBooks left at No Company Open syncs once the file has been open for one sync
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And the QuickBooks Admin closes the company file on the server and leaves QuickBooks open
    And Auto-Run syncs every integration every 15 minutes
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040417"
    When the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    When the QuickBooks Admin closes the company file on the server and leaves QuickBooks open
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: The Admin in multi-user mode cannot approve a first access; alone in single-user mode they can
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And "maria" works in "Acme Properties" on WS01 from "08:00" to "12:00"
    When the simulation runs until "09:00"
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks user "Admin" opens "Acme Properties"
    And someone tries to add the QWC file in Web Connector for "Acme Properties"
    Then adding the application fails with "QBWC1022" and QuickBooks' "0x80040418"
    When the QuickBooks Admin closes QuickBooks
    And the simulation runs until "12:30"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  @field-failure
  Scenario: An invoice dated before the closing date is refused at every sync, the others arrive; removing the closing date lets it in
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the QuickBooks Admin sets the closing date of "Acme Properties" to "2025-12-31"
    And STRATAFOLIO has an invoice for "Acme Properties" dated "2025-12-20"
    And STRATAFOLIO has 2 new invoices for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "receiveResponseXML"
    And QuickBooks refuses invoice "SF-00001" of "Acme Properties" with status 3171
    And 1 invoice of "Acme Properties" has not reached QuickBooks
    When "Acme Properties" is synced in Web Connector
    Then QuickBooks refuses invoice "SF-00001" of "Acme Properties" with status 3171
    When the QuickBooks Admin removes the closing date of "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And every record of "Acme Properties" is present exactly once on both sides

  @field-failure
  Scenario: A change made in STRATAFOLIO on an invoice since edited in QuickBooks is refused until it is made again
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And STRATAFOLIO has 1 new invoice for "Acme Properties"
    When "Acme Properties" is synced in Web Connector
    And a STRATAFOLIO user changes the amount of invoice "SF-00001" of "Acme Properties" to "950.00"
    And the simulation runs until "09:00"
    And the QuickBooks user "maria" edits invoice "SF-00001" of "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "receiveResponseXML"
    And QuickBooks refuses invoice "SF-00001" of "Acme Properties" with status 3200
    When a STRATAFOLIO user changes the amount of invoice "SF-00001" of "Acme Properties" to "950.00"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  @field-failure
  Scenario: QWCLog.txt corrupted by a power cut: Web Connector runs without its log until it is deleted
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When a power cut leaves QWCLog.txt on the server corrupt
    And the server restarts for a Windows Update
    And "Administrator" logs in to Windows on the server
    And the simulation runs until "10:00"
    Then Web Connector reports "QBWC1085"
    And every scheduled sync succeeds
    When QWCLog.txt on the server is deleted and Web Connector restarted
    And the simulation runs until "11:00"
    Then the Web Connector log shows "SCHEDULED UPDATE"

  @field-failure
  Scenario: A QuickBooks left running by a Web Connector ended mid-sync holds the file until it is ended too
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the simulation runs until "08:20"
    And Web Connector on the server is ended in Task Manager during a sync of "Acme Properties" and started again
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040408" after "08:21"
    When the QuickBooks processes running in the background on the server are ended in Task Manager
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds

  @field-failure
  Scenario: Security software closing Web Connector's connections fails every sync at serverVersion until Web Connector is an exception
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the security software on the server starts closing Web Connector's connections
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "QBWC1012"
    And the Web Connector log shows "Actual error received from web service for serverVersion call: <The underlying connection was closed"
    When the security software on the server gets Web Connector added to its exceptions
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds
