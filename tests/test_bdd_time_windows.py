"""Time in Gherkin is explicit: Then-steps name the window they look at, with real times across midnight;
timed Givens happen at their time, in order; a failure names its window and prints only that window's lines."""

import re
from datetime import datetime

from tests.gherkin_runner import first_line, run_feature

FEATURE = """\
Feature: Windows of time

  Scenario: Overnight, 01:00 is the next morning
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 30 minutes
    And the server goes to sleep at "19:00"
    And the server wakes up at "07:00"
    When the simulation runs until "Tue 09:00"
    Then no scheduled sync is attempted between "19:00" and "07:00"
    And at least 1 scheduled syncs were attempted between "01:00" and "06:00"

  Scenario: Syncs before the moment, none after it, and the message says which window
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    And Web Connector is exited on the server at "12:00"
    When the simulation runs until "17:00"
    Then no scheduled sync is attempted after "12:00"
    And no scheduled sync is attempted after "11:00"

  Scenario: Silence after a moment with no sync before it proves nothing
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    When the simulation runs until "12:00"
    Then no scheduled sync is attempted after "09:00"

  Scenario: A timed step in the past
    Given "Acme Properties" is linked to STRATAFOLIO
    And the server goes to sleep at "2026-01-05 06:00"

  Scenario: A timed step the library does not know
    Given "Acme Properties" is linked to STRATAFOLIO
    And the server hibernates at "19:00"

  Scenario: A timed step that cannot happen at its time
    Given "Acme Properties" is linked to STRATAFOLIO
    And the server wakes up at "10:00"
    When the simulation runs until "11:00"

  Scenario: A When after a Then starts a new window
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the simulation runs until "09:00"
    Then at least 7 scheduled syncs were attempted
    When Web Connector is exited on the server
    And the simulation runs until "10:00"
    Then no scheduled sync is attempted
    And at least 7 scheduled syncs were attempted during the run
"""


def stamps(section: str) -> list[datetime]:
    return [
        datetime.strptime(m, "%Y-%m-%d %H:%M:%S")
        for m in re.findall(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", section, re.M)
    ]


def test_windows_timed_givens_and_what_failures_say(tmp_path):
    reports = run_feature(tmp_path, FEATURE)
    assert len(reports) == 7

    overnight = reports["Overnight, 01:00 is the next morning"]
    # 01:00 compared as clock text would come before 19:00; as a time it is Tuesday morning, while asleep.
    assert first_line(overnight).endswith('And at least 1 scheduled syncs were attempted between "01:00" and "06:00"')
    assert 'between "01:00" and "06:00" (Tue 01:00:00 to Tue 06:00:00); 0 started' in str(overnight.longrepr)

    after = reports["Syncs before the moment, none after it, and the message says which window"]
    message = str(after.longrepr)
    assert first_line(after).endswith('And no scheduled sync is attempted after "11:00"')
    assert (
        'expected no scheduled syncs after "11:00" (Mon 11:00:00 to Mon 17:00:00);' in message
        and "first at Mon 11:" in message
    )
    # The lines it prints are those of the window it names: none before 11:00, none after 17:00.
    looked_at = message.split("--- trace lines it looked at")[1].split("--- last trace lines")[0]
    shown = stamps(looked_at)
    assert shown and all(datetime(2026, 1, 5, 11) <= t < datetime(2026, 1, 5, 17) for t in shown)
    assert "update.started" in looked_at and "update.finished" not in looked_at

    silent = str(reports["Silence after a moment with no sync before it proves nothing"].longrepr)
    assert "no scheduled sync started before Mon 09:00:00 either (looked from the start of the run)" in silent

    past = reports["A timed step in the past"]
    assert first_line(past).endswith('And the server goes to sleep at "2026-01-05 06:00"')
    assert "'2026-01-05 06:00' is Mon 06:00:00, already past" in str(past.longrepr)

    unknown = str(reports["A timed step the library does not know"].longrepr)
    assert "no step of the library matches 'the server hibernates', so it cannot happen at '19:00'" in unknown
    assert 'Given the server goes to sleep at "19:00"' in unknown

    cannot = reports["A timed step that cannot happen at its time"]
    text = str(cannot.longrepr)
    assert first_line(cannot).endswith('When the simulation runs until "11:00"')
    line = FEATURE.splitlines().index('    And the server wakes up at "10:00"') + 1
    assert (
        f'written.feature:{line}: And the server wakes up at "10:00"' in text
        and "could not happen at Mon 10:00:00" in text
    )
    assert "FILESRV is on, so it cannot be that it wakes up" in text

    assert reports["A When after a Then starts a new window"].passed, str(
        reports["A When after a Then starts a new window"].longrepr
    )[:2000]
