"""Binds the article's Gherkin features (features/) to the step library of the wcsim plugin, and shows that
the five scenarios written from `wcsim steps` alone fail at the step that depends on their cause when the
simulator's mechanism for that cause is removed."""

from pathlib import Path

from pytest_bdd import scenarios

from tests.gherkin_runner import run_feature

scenarios("../features")

FEATURE = Path(__file__).resolve().parent.parent / "features" / "written_from_the_catalogue.feature"


def run_scenario(tmp_path, title: str):
    (report,) = run_feature(tmp_path, FEATURE, title).values()
    return report


def line_of(text: str) -> int:
    return FEATURE.read_text(encoding="utf-8").splitlines().index(f"    {text}") + 1


def fails_at(report, step: str, *words: str) -> None:
    message = str(report.longrepr)
    assert report.failed, "the scenario still passes without its cause's mechanism"
    assert message.splitlines()[0].endswith(f"{FEATURE.name}:{line_of(step)}: {step}"), message[:600]
    for word in words:
        assert word in message, message[:1500]


def test_two_integrations_fail_apart_only_because_each_application_has_its_own_approval(tmp_path, monkeypatch):
    from sim.quickbooks.company_file import AccessLevel
    from sim.quickbooks.request_processor import RequestProcessor

    granted = RequestProcessor._granted

    def prompt_each_time_ignored(self, company, owner_id, *arguments, **options):
        grant = company.authorization(owner_id)
        if grant is not None and grant.access is AccessLevel.PROMPT_EACH_TIME:
            grant.access = AccessLevel.ALWAYS
        return granted(self, company, owner_id, *arguments, **options)

    monkeypatch.setattr(RequestProcessor, "_granted", prompt_each_time_ignored)
    report = run_scenario(
        tmp_path,
        "Two integrations on one file: another vendor's application approved \"prompt "
        "each time\" fails unattended, STRATAFOLIO's keeps syncing",
    )
    fails_at(
        report,
        'And every scheduled sync of "Acme Payroll" fails with "0x8004041D"',
        "expected every scheduled syncs of 'Acme Payroll'",
        "succeeded",
    )


def test_the_nights_syncs_fail_only_because_a_pending_pop_up_blocks_an_unattended_open(tmp_path, monkeypatch):
    from sim.quickbooks.request_processor import RequestProcessor

    log_in_as = RequestProcessor._log_in_as

    def pop_ups_never_shown(self, company, *arguments):
        company.popups = []
        return log_in_as(self, company, *arguments)

    monkeypatch.setattr(RequestProcessor, "_log_in_as", pop_ups_never_shown)
    report = run_scenario(
        tmp_path, "A pop-up left by a QuickBooks update blocks the night's syncs until the Admin answers it"
    )
    fails_at(
        report,
        'And every scheduled sync of "Acme Properties" fails with "0x80040414" between "Tue 02:00" and "Tue 09:10"',
        'between "Tue 02:00" and "Tue 09:10"',
        "Tue 02:00:00 to Tue 09:10:00",
        "succeeded",
    )


def test_no_sync_after_noon_only_because_exiting_web_connector_stops_its_scheduler(tmp_path, monkeypatch):
    from sim.webconnector.connector import WebConnector

    def exit_that_keeps_running(self):
        self.world.record(self.host.name, "qbwc.exit_warning", source="PG", user=self.user, code="QBWC1020")

    monkeypatch.setattr(WebConnector, "exit", exit_that_keeps_running)
    report = run_scenario(
        tmp_path, "Web Connector exited at noon: no scheduled sync after it, though the server stays on"
    )
    fails_at(
        report,
        'And no scheduled sync is attempted after "12:00"',
        'after "12:00" (Mon 12:00:00 to Mon 17:00:00)',
        "started, first at Mon 12:",
    )


def test_no_sync_at_night_only_because_a_sleeping_computer_runs_nothing(tmp_path, monkeypatch):
    from sim.windows.host import Host, PowerState

    stop_programs = Host._stop_programs
    monkeypatch.setattr(
        Host, "_stop_programs", lambda self, reason: None if reason == "asleep" else stop_programs(self, reason)
    )
    monkeypatch.setattr(Host, "is_on", property(lambda self: self.power is not PowerState.OFF))
    report = run_scenario(
        tmp_path, "A night's sleep: nothing syncs from 19:00 until the server wakes at 07:00, then it syncs again"
    )
    fails_at(
        report,
        'Then no scheduled sync is attempted between "19:00" and "07:00"',
        "Mon 19:00:00 to Tue 07:00:00",
        "started, first at Mon 19:",
    )


def test_syncs_fail_after_the_rename_only_because_the_file_is_no_longer_where_it_was(tmp_path, monkeypatch):
    import sim.bdd.steps_when as steps

    def rename_in_name_only(host, path, new_name):
        host.world.record(host.name, "admin.renamed_file", source="ART", old=path, new=new_name)
        return path

    monkeypatch.setattr(steps, "rename_company_file", rename_in_name_only)
    report = run_scenario(
        tmp_path, "A rename at 10:00 breaks every scheduled sync until the integration is reconnected"
    )
    fails_at(
        report,
        'And every scheduled sync of "Acme Properties" fails with "0x80040408" since the rename',
        "since the rename (Mon 10:00:00 to",
        "succeeded",
    )


def test_restricting_the_login_as_user_in_gherkin_stops_unattended_syncs_as_the_scenario_file_does(tmp_path):
    # The Gherkin step and the scenario file's restrict_qb_user change the user's settings the same way
    # (CompanyFile.restrict_user): automatic login then fails, "Could not start QuickBooks" (FIELD: Acctivate 4079).
    from tests.gherkin_runner import run_feature

    feature = """Feature: restricted
  Scenario: restricted login-as user
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the QuickBooks Admin restricts the user "Admin" in "Acme Properties"
    And the simulation runs until "10:00"
    Then every scheduled sync of "Acme Properties" fails with "0x80040408"
"""
    [report] = run_feature(tmp_path, feature).values()
    assert report.passed, report.longrepr
