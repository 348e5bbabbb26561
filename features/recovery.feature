Feature: Recovery: the proper way to rename or move a company file
  Disconnect everything first, make the change, then reconnect, in this order:
  remove the integration from Web Connector; delete the authorized computer in STRATAFOLIO;
  make the change; open the file as the file admin with no pop-ups; authorize a new computer;
  download its QWC file and reconnect the file with its new name or location.

  @claim-recovery-restores
  Scenario Outline: The six steps restore the sync after <change kind>
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And STRATAFOLIO has 2 new invoices for "Acme Properties"
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And <change>
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    And the QuickBooks Admin closes QuickBooks
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And every record of "Acme Properties" is present exactly once on both sides
    And STRATAFOLIO no longer accepts the old authorized computer's login for "Acme Properties"

    Examples:
      | change kind                 | change                                                                          |
      | a renamed file              | the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"     |
      | a renamed folder            | the folder "D:\QBData\Company Files" is renamed to "Files 2026"                 |
      | a move within the computer  | the company file "Acme Properties" is moved to "D:\Archive\Acme Properties.QBW" |
      | a move to a new server      | the company file "Acme Properties" is moved to the new server "NEWSRV"          |

  @claim-recovery-order
  Scenario: Changing the file before removing the integration leaves it unremovable
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the integration for "Acme Properties" is removed from Web Connector
    Then the removal fails and the integration for "Acme Properties" is still listed in Web Connector

  @claim-recovery-order
  Scenario: Reconnecting with the old QWC file instead of a new one is rejected
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And someone tries to add the old QWC file in Web Connector for "Acme Properties"
    Then adding the application fails with "QBWC1039"

  @claim-recovery-order
  Scenario: A pop-up left open blocks the reconnection
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And a QuickBooks upgrade leaves the pop-up "Update your company file" in "Acme Properties"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and leaves the pop-ups open
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And someone tries to add the QWC file in Web Connector for "Acme Properties"
    Then adding the application fails with "QBWC1053" and QuickBooks' "0x80040414"

  @claim-recovery-order
  Scenario: Skipping the step of opening the file as the admin leaves nothing to connect to
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the authorized computer for "Acme Properties" is deleted in STRATAFOLIO
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And someone tries to add the QWC file in Web Connector for "Acme Properties"
    Then adding the application fails with "QBWC1022" and QuickBooks' "0x80040416"

  @claim-recovery-order
  Scenario: Skipping the deletion of the authorized computer leaves the old computer's login working
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the integration for "Acme Properties" is removed from Web Connector
    And the company file "Acme Properties" is renamed to "Acme Properties 2026.QBW"
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And STRATAFOLIO still accepts the old authorized computer's login for "Acme Properties"
