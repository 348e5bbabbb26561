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


def _without_certificate(self, auth_flags=0, read_only=False, unattended_required=False, certificate="", certificate_expired=False, elevated=False):
    _options_init(self, auth_flags, read_only, unattended_required, "", False, elevated)


def _plain_call(self, method, **arguments):
    return getattr(self.service, method)(**arguments)


#: scenario -> [(object path, attribute, replacement)]: the mechanism it rests on, removed.
MUTATIONS = {
    "web-connector-closed": [("sim.webconnector.connector.WebConnector", "exit", lambda self: None)],
    "web-connector-not-started-at-logon": [("sim.webconnector.connector.WebConnector", "on_logged_in", lambda self: self.start())],
    # Windows logs the user in by itself after a restart (auto-logon): the nightly gap closes.
    "windows-update-restart": [("sim.windows.host.Host", "boot", _boot_and_log_in)],
    # A password change leaves the application's unattended access as it was.
    "admin-password-changed": [("sim.quickbooks.company_file.CompanyFile", "change_password", lambda self, name, password: setattr(self.user(name), "password", password) or [])],
    # QuickBooks logs in as anyone, present, busy or restricted.
    "login-as-user-deleted": [("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)],
    "login-as-user-restricted": [("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)],
    "login-as-user-logged-in-elsewhere": [("sim.quickbooks.request_processor.RequestProcessor", "_log_in_as", lambda *args: None)],
    # Windows sessions are not plural: the Remote Desktop user works in the console's QuickBooks,
    # which the Web Connector then joins.
    "remote-desktop-session-busy": [("sim.windows.host.Host", "connect_remote_desktop", lambda self, user: self.quickbooks)],
    # The Web Connector does not look at the password it keeps.
    "password-not-saved": [("sim.webconnector.update_session.UpdateSession", "_stored_password", lambda self: "")],
    "web-connector-key-lost": [("sim.webconnector.update_session.UpdateSession", "_stored_password", lambda self: "")],
    # The transport trusts any certificate and never loses a connection.
    "service-certificate-expired": [("sim.webconnector.contract.InProcessTransport", "call", _plain_call)],
    "connection-closed-during-authenticate": [("sim.webconnector.contract.InProcessTransport", "call", _plain_call)],
    # Any QuickBooks opens any year's file.
    "quickbooks-year-upgrade": [("sim.quickbooks.request_processor.RequestProcessor", "_check_version", lambda *args: None)],
    # The service forgets which file Web Connector opened, and goes on asking for the open one.
    "access-approved-for-the-open-company-file": [("sim.stratafolio.service.StratafolioService", "_learn_company_file", lambda self, job, path: None)],
    # Found by the explorer: STRATAFOLIO accepts any login, a deleted computer's or a wrong password.
    "recovery-run-twice-at-once": [
        ("sim.stratafolio.organization.AuthorizedComputer", "deleted", property(lambda self: False, lambda self, value: None)),
        ("sim.stratafolio.service.secrets", "compare_digest", lambda a, b: True),
    ],
    # The newest installed QuickBooks always starts, whichever a person ran last.
    "older-quickbooks-started-after-upgrade": [("sim.quickbooks.desktop.QuickBooksDesktop", "year", property(lambda self: max(self.installed_years)))],
    # Programs at different elevation talk as if they were at the same.
    "quickbooks-run-as-administrator": [("sim.quickbooks.request_processor.RequestProcessor", "_same_elevation", lambda self, options: True)],
    "web-connector-run-as-administrator": [("sim.quickbooks.request_processor.RequestProcessor", "_same_elevation", lambda self, options: True)],
    # Every Windows user may write everywhere.
    "qwclog-not-writable": [("sim.windows.filesystem.HostFilesystem", "can_write", lambda self, path, user: True)],
    # QuickBooks ignores the certificate the Web Connector presents.
    "web-connector-upgraded-needs-approval": [("sim.quickbooks.request_processor.AppOptions", "__init__", _without_certificate)],
    "web-connector-certificate-expired": [("sim.quickbooks.request_processor.AppOptions", "__init__", _without_certificate)],
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_reproduction_holds(name):
    assert all(verdicts(name))


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_reproduction_turns_red_without_its_mechanism(name, monkeypatch):
    import importlib

    for path, attribute, replacement in MUTATIONS[name]:
        module, _, cls = path.rpartition(".")
        monkeypatch.setattr(getattr(importlib.import_module(module), cls), attribute, replacement)
    assert not all(verdicts(name))
