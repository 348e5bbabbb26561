Feature: The don'ts: actions that break the sync
  Most of what breaks the link changes something about the company file after it was linked:
  Web Connector remembers the file by its exact name and path.

  @claim-rename-file
  Scenario: Renaming the company file makes a manual sync fail
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040408"
    And the Web Connector log shows the old path of "Acme Properties"
    And the Web Connector log shows "Could not start QuickBooks"

  @claim-rename-file
  Scenario: Renaming the company file makes every scheduled sync fail
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the simulation runs until "12:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040408"
    And at least 15 scheduled syncs were attempted

  @claim-rename-blocks-removal
  Scenario: After a rename the integration cannot be removed normally
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the integration for "Acme Properties" is removed from Web Connector
    Then the removal fails and the integration for "Acme Properties" is still listed in Web Connector

  @claim-rename-blocks-removal
  Scenario: A Force Removal from the registry removes it
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the integration for "Acme Properties" is force-removed from the registry
    Then the integration for "Acme Properties" is no longer listed in Web Connector

  @claim-rename-blocks-removal
  Scenario: Renaming the file back restores sync, and then a normal removal works
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the company file "Acme Properties" is renamed back to its original name
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    When the integration for "Acme Properties" is removed from Web Connector
    Then the integration for "Acme Properties" is no longer listed in Web Connector

  @claim-rename-folder
  Scenario Outline: Renaming a folder of the file's path breaks the sync (Web Connector on the server)
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the folder "<folder>" is renamed to "<new name>"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040408"

    Examples:
      | folder                  | new name        |
      | D:\QBData\Company Files | Files 2026      |
      | D:\QBData               | QB Data Archive |

  @claim-rename-folder
  Scenario: A renamed folder also blocks the normal removal, like a renamed file
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the folder "D:\QBData\Company Files" is renamed to "Files 2026"
    And the integration for "Acme Properties" is removed from Web Connector
    Then the removal fails and the integration for "Acme Properties" is still listed in Web Connector

  @claim-rename-folder
  Scenario Outline: Renaming a folder on the server share breaks the sync of a workstation's Web Connector
    Given "Acme Properties" is linked to STRATAFOLIO from WS01 through drive Q:
    When the folder "<folder>" is renamed to "<new name>"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040408"

    Examples:
      | folder                  | new name        |
      | D:\QBData\Company Files | Files 2026      |
      | D:\QBData               | QB Data Archive |

  @claim-move-file
  Scenario Outline: Moving the company file breaks the sync
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When <move>
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040408"

    Examples:
      | move                                                                               |
      | the company file "Acme Properties" is moved to "D:\Archive\Acme Properties.QBW"    |
      | the company file "Acme Properties" is moved to "C:\QuickBooks\Acme Properties.QBW" |
      | the company file "Acme Properties" is moved to the new server "NEWSRV"             |

  @claim-scheduler-conditions
  Scenario Outline: The scheduler succeeds only while the server is on and awake and nobody uses QuickBooks
    Given "Acme Properties" and "Birch Lane Rentals" are linked to STRATAFOLIO
    And STRATAFOLIO users create an invoice for each integration every 20 minutes
    And Auto-Run syncs every integration every 30 minutes
    And <situation>
    When the simulation runs until "17:00"
    Then <outcome>

    Examples:
      | situation                                                                   | outcome                                                |
      | the server stays on and awake and nobody uses QuickBooks                    | every scheduled sync succeeds                          |
      | the server goes to sleep at "09:00"                                         | no scheduled sync is attempted after "09:00"           |
      | the server is switched off at "09:00"                                       | no scheduled sync is attempted after "09:00"           |
      | "maria" works in "Acme Properties" on the server from "08:50" to "17:00"    | at least 85% of the scheduled syncs fail after "09:00" |
      | "maria" works in "Birch Lane Rentals" on the server from "08:50" to "17:00" | at least 85% of the scheduled syncs fail after "09:00" |

  @claim-scheduler-conditions
  Scenario: A colleague working in the file from a workstation makes the scheduled syncs fail and is slowed down
    Given "Acme Properties" and "Birch Lane Rentals" are linked to STRATAFOLIO
    And STRATAFOLIO users create an invoice for each integration every 20 minutes
    And "maria" works in "Acme Properties" on WS01 from "08:50" to "17:00"
    And Auto-Run syncs every integration every 30 minutes
    When the simulation runs until "17:00"
    Then at least 85% of the scheduled syncs of "Acme Properties" fail because "currently in use" after "09:00"
    And "maria" notices a slowdown

  @claim-full-sync-while-working
  Scenario: A full sync while someone works in QuickBooks fails for every integration and slows them down
    Given "Acme Properties", "Birch Lane Rentals" and "Cedar Storage" are linked to STRATAFOLIO
    And STRATAFOLIO has 2 new invoices for each integration
    And "maria" works in "Acme Properties" on the server from "08:30" to "17:00"
    When the simulation runs until "10:00"
    And all integrations are synced in Web Connector
    Then every integration's sync fails
    And "maria" notices a slowdown
