"""The failures customers report (DOMAIN.md section 9): each reproduction holds by its mechanism, and
turns red when that mechanism is mutated away."""

from pathlib import Path

import pytest

from sim.scenario import load_scenario
from sim.scenario_run import ScenarioRun

ROOT = Path(__file__).resolve().parents[1]


def verdicts(name: str) -> list[bool]:
    run = ScenarioRun(load_scenario(ROOT / "scenarios" / f"{name}.toml"))
    run.run()
    return [verdict.holds for verdict in run.verdicts()]


def _boot_and_log_in(self, log_in=None):
    from sim.windows.host import PowerState

    if self.power is PowerState.OFF:
        self.power = PowerState.ON
        self.log_in(log_in or self.windows_users[0])


_options_init = __import__("sim.quickbooks.request_processor", fromlist=["AppOptions"]).AppOptions.__init__


def _without_certificate(
    self,
    auth_flags=0,
    read_only=False,
    unattended_required=False,
    certificate="",
    certificate_expired=False,
    elevated=False,
):
    _options_init(self, auth_flags, read_only, unattended_required, "", False, elevated)


def _plain_call(self, method, **arguments):
    return getattr(self.service, method)(**arguments)


def _any_admin_approves(self, opened, app_name):
    return opened.company.user(opened.user).is_admin


def _stop_at_first_refusal(self, job, invoice, answer):
    job.last_error = f"QuickBooks status {answer.status_code}: {answer.status_message}"
    return -1


#: scenario -> [(object path, attribute, replacement)]: the mechanism it rests on, removed.
MUTATIONS = {
    "web-connector-closed": [("sim.webconnector.connector.WebConnector", "exit", lambda self: None)],
    "web-connector-not-started-at-logon": [
        ("sim.webconnector.connector.WebConnector", "on_logged_in", lambda self: self.start())
    ],
    # Windows logs the user in by itself after a restart (auto-logon): the nightly gap closes.
    "windows-update-restart": [("sim.windows.host.Host", "boot", _boot_and_log_in)],
    # A password change leaves the application's unattended access as it was.
    "admin-password-changed": [
        (
            "sim.quickbooks.company_file.CompanyFile",
            "change_password",
            lambda self, name, password: setattr(self.user(name), "password", password) or [],
        )
    ],
    # QuickBooks logs in as anyone, present, busy or restricted.
    "login-as-user-deleted": [("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)],
    "login-as-user-restricted": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)
    ],
    "login-as-user-logged-in-elsewhere": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)
    ],
    # Windows sessions are not plural: the Remote Desktop user works in the console's QuickBooks,
    # which the Web Connector then joins.
    "remote-desktop-session-busy": [
        ("sim.windows.host.Host", "connect_remote_desktop", lambda self, user: self.quickbooks)
    ],
    # The Web Connector does not look at the password it keeps.
    "password-not-saved": [("sim.webconnector.update_session.UpdateSession", "_stored_password", lambda self: "")],
    "web-connector-key-lost": [("sim.webconnector.update_session.UpdateSession", "_stored_password", lambda self: "")],
    # The transport trusts any certificate and never loses a connection.
    "service-certificate-expired": [("sim.webconnector.contract.InProcessTransport", "call", _plain_call)],
    "connection-closed-during-authenticate": [("sim.webconnector.contract.InProcessTransport", "call", _plain_call)],
    # Any QuickBooks opens any year's file.
    "quickbooks-year-upgrade": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_check_version", lambda *args: None)
    ],
    # The service forgets which file Web Connector opened, and goes on asking for the open one.
    "access-approved-for-the-open-company-file": [
        ("sim.stratafolio.service.StratafolioService", "_learn_company_file", lambda self, job, path: None)
    ],
    # Found by the explorer: STRATAFOLIO accepts any login, a deleted computer's or a wrong password.
    "recovery-run-twice-at-once": [
        (
            "sim.stratafolio.organization.AuthorizedComputer",
            "deleted",
            property(lambda self: False, lambda self, value: None),
        ),
        ("sim.stratafolio.service.secrets", "compare_digest", lambda a, b: True),
    ],
    # The newest installed QuickBooks always starts, whichever a person ran last.
    "older-quickbooks-started-after-upgrade": [
        ("sim.quickbooks.desktop.QuickBooksDesktop", "year", property(lambda self: max(self.installed_years)))
    ],
    # Programs at different elevation talk as if they were at the same.
    "quickbooks-run-as-administrator": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_same_elevation", lambda self, options: True)
    ],
    "web-connector-run-as-administrator": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_same_elevation", lambda self, options: True)
    ],
    # Every Windows user may write everywhere.
    "qwclog-not-writable": [("sim.windows.filesystem.HostFilesystem", "can_write", lambda self, path, user: True)],
    # QuickBooks ignores the certificate the Web Connector presents.
    "web-connector-upgraded-needs-approval": [
        ("sim.quickbooks.request_processor.AppOptions", "__init__", _without_certificate)
    ],
    "web-connector-certificate-expired": [
        ("sim.quickbooks.request_processor.AppOptions", "__init__", _without_certificate)
    ],
    # --- issue 22: what integration vendors document ---
    # Automatic login survives every QuickBooks update.
    "automatic-login-lost-after-quickbooks-update": [
        (
            "sim.quickbooks.request_processor.RequestProcessor",
            "_check_automatic_login_release",
            lambda self, grant, app: None,
        )
    ],
    # QuickBooks at "No Company Open" answers as if it were not running at all (0x80040416).
    "quickbooks-open-with-no-company-file": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_open_without_file", lambda self, options: False)
    ],
    # The Admin can approve a first access in multi-user mode, with others in the file.
    "first-access-approved-in-multi-user-mode": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_admin_can_approve", _any_admin_approves)
    ],
    # QuickBooks accepts transactions dated before the closing date.
    "invoice-dated-before-closing-date": [
        ("sim.quickbooks.request_processor.RequestProcessor", "_refused_transaction", lambda *args: None)
    ],
    # QuickBooks ignores the EditSequence a Mod carries (every record's is the same).
    "invoice-changed-in-both-places": [("sim.quickbooks.request_processor", "_edit_sequence", lambda record: "1")],
    # QWCLog.txt is always usable.
    "qwclog-corrupt-after-power-cut": [("sim.webconnector.connector", "log_problem", lambda host, user: None)],
    # A session whose Web Connector was ended is ended all the same: no QuickBooks stays behind.
    "quickbooks-left-running-after-interrupted-sync": [
        (
            "sim.quickbooks.request_processor.RequestProcessor",
            "abandon",
            lambda self, session: self.end_session(session),
        )
    ],
    # A person can open a file and work while a session holds QuickBooks on their computer.
    "bookkeeper-cannot-use-quickbooks-during-a-sync": [
        ("sim.quickbooks.desktop.QuickBooksDesktop", "_check_not_held_in_background", lambda self: None),
        ("sim.quickbooks.desktop.QuickBooksDesktop", "busy_with_session", lambda self: False),
    ],
    # Security software never closes a connection.
    "security-software-closes-connections": [
        ("sim.windows.security_software.SecuritySoftware", "closes", lambda self, program: False)
    ],
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_reproduction_holds(name):
    assert all(verdicts(name))


#: Reproductions that rest on a second mechanism too: (scenario, that mechanism removed).
SECOND_MECHANISMS = [
    # The Admin's "Allow Always" in the Expired Certificate window is not kept.
    (
        "web-connector-certificate-expired",
        [("sim.quickbooks.request_processor.RequestProcessor", "_expired_certificate_window", lambda *args: None)],
    ),
    # STRATAFOLIO stops at the first refused push, so the invoices after it never reach QuickBooks.
    (
        "invoice-dated-before-closing-date",
        [("sim.stratafolio.service.StratafolioService", "_on_rejection", _stop_at_first_refusal)],
    ),
]
ALL_MUTATIONS = [(name, MUTATIONS[name]) for name in sorted(MUTATIONS)] + SECOND_MECHANISMS
MUTATION_IDS = sorted(MUTATIONS) + [f"{name}-second-mechanism" for name, _ in SECOND_MECHANISMS]


@pytest.mark.parametrize("name, mutations", ALL_MUTATIONS, ids=MUTATION_IDS)
def test_the_reproduction_turns_red_without_its_mechanism(name, mutations, monkeypatch):
    import importlib

    for path, attribute, replacement in mutations:
        try:
            target = importlib.import_module(path)  # a module's function
        except ModuleNotFoundError:
            module, _, cls = path.rpartition(".")
            target = getattr(importlib.import_module(module), cls)
        monkeypatch.setattr(target, attribute, replacement)
    assert not all(verdicts(name))
