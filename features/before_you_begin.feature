Feature: Before you begin
  The article's guidelines apply once a QuickBooks Desktop file is linked to STRATAFOLIO through
  Web Connector, and its recovery steps need Administrator access in STRATAFOLIO and in the file.

  @claim-normal-link
  Scenario: Linking a company file the normal way makes the first sync succeed
    Given an office whose server holds the company file "Acme Properties"
    When an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    When the QuickBooks Admin closes QuickBooks
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds
    And every record of "Acme Properties" is present exactly once on both sides

  @claim-normal-link
  Scenario: Closing QuickBooks before the first sync leaves STRATAFOLIO without the file's path
    Given an office whose server holds the company file "Acme Properties"
    When an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks Admin opens "Acme Properties" in single-user mode and closes every pop-up
    And the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"
    And the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"
    And the QuickBooks Admin closes QuickBooks
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" fails with "0x80040416"

  @claim-admin-needed
  Scenario Outline: A STRATAFOLIO member without Administrator rights is stopped
    Given "Acme Properties" is linked to STRATAFOLIO
    And "clerk@example.com" is a STRATAFOLIO member without Administrator rights
    When "clerk@example.com" tries to <action> for "Acme Properties"
    Then the step is refused because "clerk@example.com" is not an Administrator

    Examples:
      | action                           |
      | delete the authorized computer   |
      | authorize a new computer         |

  @claim-admin-needed
  Scenario: A QuickBooks user who is not the file admin cannot connect the file
    Given an office whose server holds the company file "Acme Properties"
    When an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"
    And the QWC file for the new authorized computer of "Acme Properties" is downloaded
    And the QuickBooks user "maria" opens "Acme Properties"
    And someone tries to add the QWC file in Web Connector for "Acme Properties"
    Then adding the application fails with "QBWC1022" and QuickBooks' "0x80040418"
