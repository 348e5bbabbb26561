"""Candidate causes of a customer's failure, each checked by simulating it.

A candidate is one mechanism of the simulated office (a renamed file, a deleted
authorized computer, a pop-up left open, ...) with the advice that fixes it and
its source. For a customer's log it writes the smallest office that matches what
the log shows (the company file's path, the trigger, the time of day, the Auto-Run
interval), introduces the cause in it as a scenario file, and runs it: the
simulated QWCLog.txt is read back with the same reader as the customer's, and the
cause ranks by how closely its failing sessions' signatures match the customer's.
Nothing here maps a code to a cause; a cause earns its rank by what its
simulation writes.
"""

from __future__ import annotations

import ntpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sim.scenario import toml_table as _table
from sim.text import one_line

__all__ = [
    "Candidate",
    "Context",
    "Office",
    "CANDIDATES",
    "ADDING_CODES",
    "TRIGGERS",
    "scenario_text",
    "cause_time",
    "run_candidate",
    "vendor_text",
    "SERVICE_CALLBACKS",
    "written_log",
    "MAX_GAP_DAYS",
]


@dataclass(frozen=True)
class Context:
    """What the customer's log says about the office."""

    app: str
    path: str  # the company file's path, as the log names it (a local default when it names none)
    trigger: str  # "manual", "scheduled" or "add"
    when: datetime  # the failing session's time
    every_minutes: int  # the Auto-Run interval seen (scheduled runs)
    expected_code: str = ""  # the code the reproduction must show ("" when runs just stop)
    service: str = ""  # the host of the service's AppURL, as the log names it ("" when it names none)
    callback: str = ""  # the callback a cause with `Candidate.callbacks` is simulated in (one variant's; "" otherwise)
    resumed: datetime | None = None  # scheduled runs that stopped: when they came back, as the log shows
    runs_stopped: bool = False  # the failure is scheduled runs that stopped (not a session that failed)
    #: The triggers the log leaves open (a pasted fragment outside any named update): each is simulated
    #: and the comparison chooses; empty when the log shows the trigger.
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str
    advice: str
    source: str
    timeline: Callable[[Context, Office], list[dict]]  # the cause, as timeline actions an hour before the failure
    applies: Callable[[Context], bool] = lambda context: context.expected_code != "QBWC1039"
    access: str = "always"
    login_as: str = "Admin"  # the QuickBooks user unattended runs log in as
    question: str = ""  # what to ask the customer to tell this cause from others that write the same log
    vendor_advice: str = (
        ""  # the advice when the log is another vendor's service ("": the advice, its STRATAFOLIO made generic)
    )
    #: What someone did that brought scheduled runs back (a cause of runs that stopped), as timeline actions.
    recovery: Callable[[Context, Office], list[dict]] | None = None
    #: The callbacks the cause can strike in: it is simulated once in each (`Context.callback`), and the
    #: comparison with the customer's log chooses (empty: one run).
    callbacks: tuple[str, ...] = ()


#: The callbacks a service answers before QuickBooks is involved and after: a misbehaving service is
#: simulated failing in each of them, one run each (about 0.04 s a run), and the customer's log chooses.
SERVICE_CALLBACKS = (
    "serverVersion",
    "clientVersion",
    "authenticate",
    "sendRequestXML",
    "receiveResponseXML",
    "getLastError",
    "connectionError",
    "closeConnection",
)
#: What starts an update: Update Selected, Auto-Run, or adding an application.
TRIGGERS = ("scheduled", "manual", "add")


def vendor_text(text: str, service: str) -> str:
    """Text written for STRATAFOLIO's logs, for a log of another vendor's service."""
    name = f"the service ({service})" if service else "the web service"
    return text.replace("STRATAFOLIO", name)


def _folder(path: str) -> str:
    return ntpath.dirname(path)


def _in_a_folder(context: Context) -> bool:
    folder = _folder(context.path)
    return bool(folder) and folder.rstrip("\\") != ntpath.splitdrive(context.path)[0]


RECOVERY = (
    "Follow the article's recovery steps in order: remove the integration from Web Connector, delete the "
    "authorized computer in STRATAFOLIO, make the change, open the file as the file admin with no pop-ups, "
    "authorize a new computer, download its QWC file and add it. Or undo the change (put the file back "
    "under its old name and path) and the old integration works again."
)

CANDIDATES: tuple[Candidate, ...] = (
    Candidate(
        "renamed-file",
        "The company file was renamed after it was linked",
        RECOVERY,
        "ART (don't 1, recovery steps)",
        lambda c, o: [
            {
                "action": "rename_file",
                "company_file": "Company",
                "to": ntpath.splitext(ntpath.basename(c.path))[0] + " renamed.QBW",
            }
        ],
        question="Was the company file renamed (its name in Windows Explorer differs from the one in the log)?",
    ),
    Candidate(
        "renamed-folder",
        "A folder in the company file's path was renamed",
        RECOVERY,
        "ART (don't 2, recovery steps)",
        lambda c, o: [
            {
                "action": "rename_folder",
                "host": "QBSERVER",
                "folder": _folder(o.server_path),
                "to": ntpath.basename(_folder(o.server_path)) + " renamed",
            }
        ],
        applies=lambda c: _in_a_folder(c) and not Office.of(c.path).mapped,
        question="Was a folder in the company file's path renamed (during a clean-up of the server, say)?",
    ),
    Candidate(
        "moved-file",
        "The company file was moved to another folder",
        RECOVERY,
        "ART (don't 3, recovery steps)",
        lambda c, o: [
            {
                "action": "move_file",
                "company_file": "Company",
                "to": ntpath.join(ntpath.splitdrive(o.server_path)[0] + "\\", "Moved", ntpath.basename(c.path)),
            }
        ],
        question="Was the company file moved to another folder, drive or computer?",
    ),
    Candidate(
        "popup-left-open",
        "A QuickBooks pop-up (update, backup reminder) waits in the company file",
        "Open the company file as the file admin, close every pop-up (and turn off the "
        "reminders that bring them back), then sync again.",
        "SDK (0x80040414); ART (recovery step 4)",
        lambda c, o: [
            {
                "action": "leave_popup",
                "company_file": "Company",
                "text": "QuickBooks Update Service: an update is ready to install",
            }
        ],
        question="When the company file is opened as the Admin, does a window (an update, a "
        "reminder, a message) wait to be closed?",
    ),
    Candidate(
        "computer-deleted",
        "The authorized computer was deleted in STRATAFOLIO while Web Connector still uses it",
        "Authorize a new computer in STRATAFOLIO, download its QWC file and add it in Web "
        "Connector (after removing the old application).",
        "ART (recovery steps 2, 5, 6); PG (authenticate nvu)",
        lambda c, o: [{"action": "delete_authorized_computer", "company_file": "Company"}],
        question="Was the authorized computer (or the whole integration) deleted or re-created in STRATAFOLIO?",
        vendor_advice="The service no longer accepts this Web Connector user: ask the service's "
        "operators whether this connection was removed or re-created on their side; if "
        "so, download its new QWC file and add it in Web Connector (after removing the "
        "old application).",
    ),
    Candidate(
        "prompt-each-time",
        'Access was granted as "prompt each time", so unattended runs are refused',
        "As the QuickBooks Admin, open Edit > Preferences > Integrated Applications and set the application to "
        '"Yes, always; allow access even if QuickBooks is not running".',
        "SDK (0x8004041D); PG (certificate prompt)",
        lambda c, o: [],
        applies=lambda c: c.trigger == "scheduled",
        access="prompt each time",
        question='In Edit > Preferences > Integrated Applications, is the application set to "prompt each time"?',
    ),
    Candidate(
        "other-file-open",
        "Another company file is open in QuickBooks on the Web Connector's computer (someone works in it)",
        "Close the other company file (QuickBooks has one file open at a time) or sync "
        "while the linked file is the one open; "
        "run full syncs only while nobody uses QuickBooks (the article's do's).",
        "SDK (0x8004040A); ART (don't 5)",
        lambda c, o: [
            {
                "action": "open",
                "host": o.wc_host,
                "company_file": "Other",
                **({"path": ntpath.join(ntpath.dirname(o.client_path), "Other Company.QBW")} if o.mapped else {}),
            }
        ],
        question="Is another company file open in QuickBooks on the Web Connector's computer when syncs fail?",
    ),
    Candidate(
        "single-user-elsewhere",
        "Someone has the company file open in single-user mode on another computer",
        "Ask them to close QuickBooks (or switch to multi-user mode) before syncing; sync "
        "one file at a time in single-user mode only on the Web Connector's computer (the "
        "article's do's).",
        "SDK (0x80040410); ART (do's)",
        lambda c, o: [
            {
                "action": "open",
                "host": "QBSERVER" if o.mapped else "QBCLIENT",
                "company_file": "Company",
                "path": o.server_path if o.mapped else o.client_path,
                "user": "Admin",
                "mode": "single-user",
            }
        ],
        question="Does someone keep the company file open in single-user mode on another computer?",
    ),
    Candidate(
        "drive-letter-changed",
        "The drive letter in the company file's path was unmapped or changed on the Web Connector's computer",
        "Map the drive back to the same letter (the path must match exactly), or follow "
        "the article's recovery steps to reconnect with the new path.",
        "FIELD (drive mappings changed by IT); ART (moving breaks the path)",
        lambda c, o: [
            {"action": "unmap_drive", "host": "QBCLIENT", "letter": ntpath.splitdrive(c.path)[0].rstrip(":")}
        ],
        applies=lambda c: Office.of(c.path).mapped,
        question="Does the drive letter in the log's path still open the file on the Web "
        "Connector's computer (were drive mappings changed)?",
    ),
    Candidate(
        "qwc-added-again",
        "A QWC file whose OwnerID the company file already carries was added again",
        "Authorize a new computer in STRATAFOLIO and add its new QWC file; to reuse the "
        "old one, the stamp must first be removed "
        "(Intuit's CP3 tool, as the Admin in single-user mode).",
        "FIELD (QBWC1039 unique OwnerID/FileID pair); PG",
        lambda c, o: [
            {
                "action": "open_single_user",
                "host": o.wc_host,
                "company_file": "Company",
                **({"path": o.client_path} if o.mapped else {}),
            },
            {"action": "add_qwc", "host": o.wc_host, "company_file": "Company", "qwc": "old"},
        ],
        applies=lambda c: c.expected_code == "QBWC1039",
        question="Was a QWC file added again, or the same one added on a second computer?",
    ),
    Candidate(
        "password-lost",
        "Web Connector has no password for the application (never saved, or its key was lost)",
        "In Web Connector, enter the password STRATAFOLIO showed for this authorized computer in the Password column "
        "and let Web Connector save it; if it was lost, authorize a new computer to get a new one.",
        "PG (QBWC1030, QBWC1038); FIELD",
        lambda c, o: [{"action": "forget_password", "company_file": "Company"}],
        question="Does Web Connector's Password column show the password for this application (was it saved)?",
    ),
    Candidate(
        "qb-password-changed",
        'The QuickBooks password of the "login as" user was changed',
        "As the QuickBooks Admin, open the company file and approve the application's access again "
        '(Edit > Preferences > Integrated Applications: "Yes, always; allow access even '
        'if QuickBooks is not running").',
        "FIELD (DOMAIN.md 9.9); access lost on a password change assumed",
        lambda c, o: [
            {"action": "change_qb_password", "company_file": "Company", "user": "Admin", "password": "n3w-password"}
        ],
        question="Was the QuickBooks password of the user the application logs in as changed?",
    ),
    Candidate(
        "login-as-deleted",
        "The QuickBooks user the application logs in as was deleted",
        'Recreate the user (or choose another "login as" user) in Edit > Preferences > '
        "Integrated Applications, as the Admin.",
        "FIELD (DOMAIN.md 9.9); HRESULT assumed",
        lambda c, o: [{"action": "delete_qb_user", "company_file": "Company", "user": "sync"}],
        login_as="sync",
        question="Does the QuickBooks user the application logs in as still exist (Company > Users)?",
    ),
    Candidate(
        "login-as-restricted",
        "The QuickBooks user the application logs in as lost its rights",
        'Give the "login as" user back access to Customers & Receivables (Company > Users), or log in as another user.',
        "FIELD (DOMAIN.md 9.9); HRESULT assumed",
        lambda c, o: [{"action": "restrict_qb_user", "company_file": "Company", "user": "sync"}],
        login_as="sync",
        question="Were the rights of the QuickBooks user the application logs in as changed?",
    ),
    Candidate(
        "login-as-busy",
        'The "login as" user is logged in to the company file on another computer',
        "Use a dedicated QuickBooks user for the integration (nobody works as it), or "
        "sync while that person is logged out.",
        "FIELD (clearify.com wiki 381)",
        lambda c, o: [
            {
                "action": "open",
                "host": "QBSERVER" if o.mapped else "QBCLIENT",
                "company_file": "Company",
                "path": o.server_path if o.mapped else o.client_path,
                "user": "Admin",
            }
        ],
        question="Is someone logged in to the company file as the user the application logs in as when syncs fail?",
    ),
    Candidate(
        "qbwc-key-lost",
        "Web Connector cannot decrypt the stored password (its key was lost)",
        "Enter the password again in Web Connector (Password column) and let it save it.",
        "PG (QBWC1038); FIELD",
        lambda c, o: [{"action": "lose_qbwc_key", "company_file": "Company"}],
        question="Was the Windows profile restored or moved (Web Connector's stored password then "
        "cannot be decrypted)?",
    ),
    Candidate(
        "service-certificate",
        "The web service's certificate cannot be verified (expired or untrusted)",
        "The service's operators must renew the certificate (or install its chain); on "
        "the computer, check the date and time and the trusted root certificates.",
        "PG (QBWC1048); FIELD (qbwc/qbwc#30)",
        lambda c, o: [{"action": "service_certificate", "state": "expired"}],
        question="Does the service's address open in a browser on that computer without a certificate warning?",
        vendor_advice="The service's certificate cannot be verified from the customer's computer: its "
        "operators must renew it (or install its chain); on the computer, check the date "
        "and time and the trusted root certificates.",
    ),
    Candidate(
        "connection-closed-authenticate",
        "The connection to the web service is closed during authenticate (a proxy or the service's load balancer)",
        "Check the proxy, firewall or TLS settings between the computer and the service "
        "(TLS 1.2); the service's operators can see the dropped requests.",
        "FIELD (consolibyte/quickbooks-php#240); PG (QBWC1012)",
        lambda c, o: [{"action": "service_drops_connection", "callback": "authenticate"}],
        question="Is there a proxy, firewall or antivirus inspecting HTTPS between the computer and the service?",
        vendor_advice="Check the proxy, firewall or TLS settings between the computer and the service "
        "(TLS 1.2); the service's operators can see whether the requests arrive.",
    ),
    Candidate(
        "connection-closed-server-version",
        "The connection to the web service is closed at its first call (serverVersion)",
        "Check that the service's URL is reachable from the computer (proxy, firewall, "
        "TLS 1.2); the service may be down.",
        "FIELD (published logs); PG (QBWC1012)",
        lambda c, o: [{"action": "service_drops_connection", "callback": "serverVersion"}],
        question="Does the service's address open in a browser on that computer?",
        vendor_advice="Check that the service's URL is reachable from the computer (proxy, firewall, "
        "TLS 1.2); the service may be down: ask its operators.",
    ),
    Candidate(
        "service-throws",
        "The web service fails while handling the call (it answers with an error, a SOAP fault)",
        "The failure is on the service's side: its operators must find the error in their "
        "own logs at the time of the failure "
        "(the log's exception text is what the service answered) and fix it; nothing on "
        "the customer's computer changes it.",
        "FIELD (jsgoupil/quickbooks-sync#62, consolibyte/quickbooks-php#251)",
        lambda c, o: [{"action": "service_misbehaves", "callback": c.callback or "authenticate", "how": "throws"}],
        question="Do the service's own logs show an error at the time of the failure?",
        callbacks=SERVICE_CALLBACKS,
    ),
    Candidate(
        "service-answer-unreadable",
        "Web Connector cannot read the web service's answer (its SOAP is not in the shape the QBWC WSDL describes)",
        "The service's answer must be document/literal SOAP in the namespace "
        "http://developer.intuit.com/, authenticate an array of "
        "two to four strings, as Intuit's WSDL says: its developers must check the SOAP "
        "stack's configuration (namespaces, array "
        "shape, an error page instead of SOAP) against the WSDL; nothing on the customer's computer changes it.",
        "FIELD (DigDes/SoapCore#248; published QBWC1012 logs)",
        lambda c, o: [{"action": "service_misbehaves", "callback": c.callback or "authenticate", "how": "unreadable"}],
        question="Did the service (or its SOAP library) change just before the failures began?",
        callbacks=SERVICE_CALLBACKS,
    ),
    Candidate(
        "service-bad-qbxml",
        "The web service sends qbXML QuickBooks cannot parse (elements out of order, a missing declaration)",
        "The service's request breaks the qbXML schema: its developers must check it "
        "against the SDK's qbXML reference (element order, "
        "the <?xml ?> and <?qbxml ?> declarations, the qbXML version), for instance with "
        "the SDK's qbXML Validator; QuickBooks' "
        "message in the log says where it stopped.",
        "SDK (0x80040400); FIELD (qbwc/qbwc#74, qbwc/qbwc#69)",
        lambda c, o: [{"action": "service_misbehaves", "callback": "sendRequestXML", "how": "bad_qbxml"}],
        question="Which request did the service send (set Web Connector's log level to VERBOSE to see it whole)?",
    ),
    Candidate(
        "wrong-password",
        "The password stored in Web Connector is not the one the service expects",
        "In Web Connector, type the password the service gave for this application again "
        "in the Password column and save it.",
        "PG (authenticate answers nvu); FIELD",
        lambda c, o: [{"action": "set_password", "company_file": "Company", "password": "not-the-password"}],
        question="Was the password in Web Connector typed again, or the QWC file added again, just "
        "before the failures began?",
    ),
    Candidate(
        "qwc-url-not-https",
        "The QWC file's AppURL is plain http on a computer other than this one, so Web Connector refuses to add it",
        "The service must be reached over https (with a certificate Windows trusts): its "
        "QWC file's AppURL must start with https://; "
        "Web Connector accepts http only for localhost.",
        "PG (QBWC1010); FIELD (QBWC1051 from 2.3.0.200: spiraldevelopment/quickbooks-js#26)",
        lambda c, o: _adding(o, "http://" + (c.service or "app.example.com") + ":8000/qbwc"),
        applies=lambda c: c.trigger == "add",
        question="Does the AppURL in the QWC file start with http:// (not https://)?",
    ),
    Candidate(
        "quickbooks-upgraded",
        "A newer QuickBooks year-version was installed; the company file is still the old version",
        "Open the file as the Admin in the new QuickBooks and let it upgrade (in place, after a backup); keep only one "
        "QuickBooks version installed, so the older one cannot start again.",
        "SDK (0x80040409); FIELD (Intuit, several versions installed)",
        lambda c, o: [{"action": "install_quickbooks", "host": "QBSERVER", "year": 2099}],
        question="Was a new QuickBooks year-version installed on that computer?",
    ),
    Candidate(
        "qbwc-certificate-changed",
        "Web Connector was updated and its new certificate has not been approved in QuickBooks",
        "As the QuickBooks Admin, open the company file in single-user mode and approve "
        "the application again when QuickBooks asks "
        '("Yes, always; allow access even if QuickBooks is not running").',
        "FIELD (codatio/codat-docs#539)",
        lambda c, o: [{"action": "upgrade_qbwc", "host": o.wc_host, "version": "2.3.0.999"}],
        question="Was Web Connector updated recently?",
    ),
    Candidate(
        "qbwc-certificate-expired",
        "The certificate Web Connector presents to QuickBooks has expired",
        "Install the current Web Connector release (from Intuit), then approve the "
        "application again if QuickBooks asks.",
        "FIELD (DOMAIN.md 9.7)",
        lambda c, o: [{"action": "expire_qbwc_certificate", "host": o.wc_host}],
        question="Which Web Connector version is installed (Help > About), and is it the current release?",
    ),
    Candidate(
        "qbwc-closed",
        "Web Connector was closed (File > Exit) while Auto-Run was on",
        "Start Web Connector again and leave it running (minimized to the tray); keep its "
        "Startup setting on so it starts at logon.",
        "PG (QBWC1020; Auto-Run needs a running Web Connector)",
        lambda c, o: [{"action": "exit_qbwc", "host": o.wc_host}],
        applies=lambda c: c.trigger == "scheduled",
        question="Was Web Connector closed (File > Exit) instead of minimized?",
        recovery=lambda c, o: [{"action": "start_qbwc", "host": o.wc_host}],
    ),
    Candidate(
        "restart-no-logon",
        "The computer restarted (Windows Update) and nobody logged in, so Web Connector did not run",
        "Log in after every restart (or have the server log in automatically) so Web "
        "Connector starts; check Windows Update's restart times.",
        "PG (Auto-Run needs a logged-in session); FIELD",
        lambda c, o: [{"action": "restart", "host": o.wc_host}],
        applies=lambda c: c.trigger == "scheduled",
        question="Did the computer restart (Windows Update) and stay at the logon screen?",
        recovery=lambda c, o: [{"action": "log_in", "host": o.wc_host, "user": "Administrator"}],
    ),
    Candidate(
        "not-started-at-logon",
        "Web Connector does not start at logon (its Startup setting is off)",
        "Turn Web Connector's Startup setting back on (or start it by hand after each logon).",
        "PG (Startup setting); FIELD",
        lambda c, o: [
            {"action": "set_qbwc_startup", "host": o.wc_host, "enabled": False},
            {"action": "restart", "host": o.wc_host},
            {"action": "log_in", "host": o.wc_host, "user": "Administrator"},
        ],
        applies=lambda c: c.trigger == "scheduled",
        question="Is Web Connector's Startup setting on, and does it start after a logon?",
        recovery=lambda c, o: [{"action": "start_qbwc", "host": o.wc_host}],
    ),
    Candidate(
        "log-not-writable",
        "The Windows user who runs Web Connector cannot write QWCLog.txt, so Web Connector does not start",
        "Give that Windows user write access to "
        "C:\\ProgramData\\Intuit\\QBWebConnector\\log (or run Web Connector as a user who "
        "has it), then start Web Connector.",
        "PG (QBWC1033); FIELD (DOMAIN.md 9.8)",
        lambda c, o: [
            {
                "action": "deny_write",
                "host": o.wc_host,
                "folder": "C:\\ProgramData\\Intuit\\QBWebConnector\\log",
                "user": "Administrator",
            },
            {"action": "log_out", "host": o.wc_host},
            {"action": "log_in", "host": o.wc_host, "user": "Administrator"},
        ],
        applies=lambda c: c.trigger == "scheduled",
        question="Were the permissions of the Web Connector's log folder changed?",
        recovery=lambda c, o: [
            {
                "action": "allow_write",
                "host": o.wc_host,
                "folder": "C:\\ProgramData\\Intuit\\QBWebConnector\\log",
                "user": "Administrator",
            },
            {"action": "start_qbwc", "host": o.wc_host},
        ],
    ),
    Candidate(
        "elevation-mismatch",
        'QuickBooks and Web Connector run at different elevation ("Run as administrator", UAC)',
        "Run QuickBooks and Web Connector the same way: both normally (preferred) or both as administrator; "
        "close any QuickBooks left running in the background (Task Manager) first.",
        "FIELD (nx-us.net); PG (QBWC1013 and UAC)",
        lambda c, o: [
            {
                "action": "open",
                "host": o.wc_host,
                "company_file": "Company",
                "user": "Admin",
                **({"path": o.client_path} if o.mapped else {}),
            },
            {"action": "run_as_administrator", "host": o.wc_host, "program": "quickbooks", "enabled": True},
        ],
        question='Is QuickBooks or Web Connector started with "Run as administrator" (and the other not)?',
    ),
    Candidate(
        "approved-for-open-file",
        "The integration was added again while another company file was open, and the "
        "Admin approved access for that file",
        "Close the other company file. Remove the integration from Web Connector and from "
        "Edit > Preferences > Integrated "
        "Applications of the wrong file, then reconnect with the right file open (the "
        "article's recovery steps), checking "
        "that the certificate prompt names the right company.",
        "FIELD (codatio/codat-docs#539); PG ch.10 (the service remembers the file)",
        lambda c, o: [
            {"action": "create_invoices", "company_file": "Company", "count": 2},
            {
                "action": "open",
                "host": o.wc_host,
                "company_file": "Other",
                "user": "Admin",
                "mode": "single-user",
                "path": ntpath.join(ntpath.dirname(o.client_path if o.mapped else o.server_path), "Other Company.QBW"),
            },
            {"action": "delete_authorized_computer", "company_file": "Company"},
            {"action": "authorize_computer", "company_file": "Company"},
            {"action": "download_qwc", "company_file": "Company", "host": o.wc_host},
            {"action": "add_qwc", "company_file": "Company", "host": o.wc_host},
            {"action": "set_password", "company_file": "Company"},
            *(
                [{"action": "set_auto_run", "company_file": "Company", "minutes": max(1, min(c.every_minutes, 60))}]
                if c.trigger == "scheduled"
                else []
            ),
        ],
        question="Was the integration added again while another company file was open in QuickBooks?",
    ),
    Candidate(
        "computer-asleep",
        "The Web Connector's computer was asleep (or off), so scheduled runs did not happen",
        "Keep the computer on and awake while syncs are due (power settings: never "
        "sleep), or sync by hand as the article recommends.",
        "ART (the scheduler don't); PG (Auto-Run needs a running, logged-in Web Connector)",
        lambda c, o: [{"action": "sleep", "host": o.wc_host}],
        applies=lambda c: c.trigger == "scheduled",
        question="Does the computer sleep or turn off when idle (power settings)?",
        recovery=lambda c, o: [{"action": "wake", "host": o.wc_host}],
    ),
    # --- issue 22: the failures integration vendors document (tests/data/vendor_pages/) ---
    Candidate(
        "automatic-login-lost",
        "QuickBooks was updated and no longer logs the application in automatically (0x80040430)",
        "As the QuickBooks Admin, in single-user mode: Edit > Preferences > Integrated "
        "Applications > Company Preferences, "
        'select the application, Properties: untick "Allow this application to login '
        'automatically", click OK to save the '
        'preferences, then open Properties again, tick it and choose the "login as" user '
        "(or Remove the application and "
        "grant access again when it asks).",
        "FIELD (Propelware, Webgility, Expensify DESK53)",
        lambda c, o: [{"action": "update_quickbooks", "host": o.wc_host}],
        question="Was QuickBooks updated (a release or a maintenance update) just before the failures began?",
    ),
    Candidate(
        "no-company-file-open",
        "QuickBooks is open with no company file, and STRATAFOLIO does not know the file's path yet (0x80040417)",
        "Open the company file in QuickBooks on the Web Connector's computer and run one "
        "sync by hand (Update Selected), so "
        "STRATAFOLIO learns the file's path; afterwards QuickBooks may stay open at the "
        "No Company Open window, which opens the "
        "file for each sync.",
        "FIELD (clearify.com wiki 381 cause 5, BillerGenie); SDK (0x80040417); PG ch.10",
        lambda c, o: _reconnected_then_file_closed(c, o),
        question="Is QuickBooks on the Web Connector's computer left open at the No Company Open "
        "window (no company file open)?",
    ),
    Candidate(
        "approval-needs-single-user",
        "The QWC file was added while the Admin had the company file open in multi-user mode, with others in it",
        "Ask everyone to close the company file, open it as the QuickBooks Admin in "
        "single-user mode (File > Switch to Single-user "
        'Mode), then add the QWC file again and answer the certificate prompt ("Yes, always").',
        "FIELD (Sunburst Software, ConnectBooster, Expensify DESK53); PG (QBWC1022)",
        lambda c, o: _added_in_multi_user_mode(o),
        applies=lambda c: c.trigger == "add",
        question="Was the company file open in multi-user mode (others in it) when the QWC file was added?",
    ),
    # A record QuickBooks refuses, one candidate per reason QuickBooks has (SDK and FIELD statuses,
    # sim.quickbooks.request_processor.STATUS): each is simulated, and the status its refusal writes is
    # compared with the customer's log like any other evidence. STRATAFOLIO sends the refused record again
    # at every sync and the other records keep syncing (FIELD: AYS Software, InterWeave; its handling assumed).
    Candidate(
        "push-refused-closing-date",
        "QuickBooks refuses one of STRATAFOLIO's records at every sync: it is dated on or before the closing date",
        "Read which record in the getLastError line of QWCLog.txt (or STRATAFOLIO's list "
        "of refused records); in QuickBooks, "
        "move the closing date (Accounting preferences, with its password) or date the record after it in STRATAFOLIO. "
        "STRATAFOLIO sends the record again at every sync, and the other records keep syncing.",
        "SDK (3171); FIELD (AYS Software, InterWeave); STRATAFOLIO's handling assumed",
        lambda c, o: _refused_for_the_closing_date(c),
        question="Is the refused record dated on or before the company file's closing date?",
    ),
    Candidate(
        "push-refused-credit-limit",
        "QuickBooks refuses one of STRATAFOLIO's invoices at every sync: it takes the customer over the credit limit",
        "Read which invoice in the getLastError line of QWCLog.txt (or STRATAFOLIO's list "
        "of refused records); raise the "
        "customer's credit limit in QuickBooks (or record the payments that bring the balance down), then sync again.",
        "SDK (3180); FIELD (AYS Software, InterWeave); STRATAFOLIO's handling assumed",
        lambda c, o: [
            {"action": "set_credit_limit", "company_file": "Company", "customer": 1, "amount": "100.00"},
            {"action": "create_invoices", "company_file": "Company", "count": 1, "customer": 1},
        ],
        question="Does the refused invoice take its customer over the credit limit set in QuickBooks?",
    ),
    Candidate(
        "push-refused-inactive-customer",
        "QuickBooks refuses one of STRATAFOLIO's invoices at every sync: its customer is inactive in QuickBooks",
        "Read which invoice in the getLastError line of QWCLog.txt (or STRATAFOLIO's list "
        "of refused records); make the "
        "customer active again in QuickBooks (Customer Center, include inactive), or move "
        "the invoice to an active customer.",
        "SDK (3140); FIELD (AYS Software, InterWeave); STRATAFOLIO's handling assumed",
        lambda c, o: [
            {"action": "deactivate_customer", "company_file": "Company", "customer": 1},
            {"action": "create_invoices", "company_file": "Company", "count": 1, "customer": 1},
        ],
        question="Was the refused invoice's customer made inactive in QuickBooks?",
    ),
    Candidate(
        "push-refused-edit-sequence",
        "QuickBooks refuses one of STRATAFOLIO's changes at every sync: the record was also changed in QuickBooks",
        "Read which record in the getLastError line of QWCLog.txt (or STRATAFOLIO's list "
        "of refused records); make the change "
        "again in STRATAFOLIO on the record as QuickBooks now has it (after a sync has "
        "brought QuickBooks' version back).",
        "SDK (3200); FIELD (AYS Software, InterWeave); STRATAFOLIO's handling assumed",
        lambda c, o: _invoice_changed_in_both_places(c, o),
        question="Was the refused record changed in QuickBooks as well as in STRATAFOLIO between two syncs?",
    ),
    Candidate(
        "qwclog-unusable",
        "QWCLog.txt is corrupt or too large (QBWC1085), so Web Connector runs without writing its log",
        "Exit Web Connector, delete "
        "C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt (keep a copy for "
        "support if you like) "
        "and start Web Connector again; it writes a new log.",
        "FIELD (integrators' notes on QBWC1085); wording assumed",
        lambda c, o: [
            {"action": "damage_qwclog", "host": o.wc_host, "how": "corrupt"},
            {"action": "restart", "host": o.wc_host},
            {"action": "log_in", "host": o.wc_host, "user": "Administrator"},
        ],
        applies=lambda c: c.trigger == "scheduled",
        question="Does Web Connector's log stop for good after a power cut or a crash, though syncs go on?",
    ),
    Candidate(
        "quickbooks-left-running",
        "A QuickBooks started in the background for an interrupted sync is still running and holds the file",
        "In Task Manager on the Web Connector's computer, end every QBW32.EXE "
        "(QuickBooks) process nobody is using, or restart the "
        "computer; then sync again. Do not end Web Connector in the middle of a sync.",
        "FIELD (ConnectBooster, Expensify DESK66, TimeCurve)",
        lambda c, o: _web_connector_ended_mid_sync(c, o),
        question="Does Task Manager on the Web Connector's computer show a QuickBooks (QBW32.EXE) nobody is using?",
    ),
    Candidate(
        "security-software",
        "Security software (antivirus, firewall, proxy) on the Web Connector's computer closes its connections",
        "Add Web Connector (QBWebConnector.exe) and the service's address to the "
        "exceptions of the antivirus, firewall or proxy on "
        "that computer (or undo its latest rule or update), then sync again.",
        "FIELD (Expensify sync troubleshooting; consolibyte/quickbooks-php#240)",
        lambda c, o: [{"action": "security_software", "host": o.wc_host, "enabled": True}],
        question="Was an antivirus, firewall or proxy installed or updated on that computer, and "
        "do syncs work with it paused?",
    ),
    # --- the AppURL no longer reaches the service (issue 23; wording: tests/data/dotnet_connection_errors.md) ---
    Candidate(
        "appurl-wrong-path",
        "The AppURL's path is not where the web service answers (its web server says HTTP 404 Not Found)",
        "The QWC file's AppURL must be the address the service serves its SOAP endpoint "
        "at, path included: its operators must "
        "serve it there again (or give a QWC file with the new address: remove the "
        "application from Web Connector and add the "
        "new file).",
        "FIELD (NodeGeeks/loopback-connector-quickbooks#7: 404 on serverVersion; .NET's "
        "wording); log placement assumed",
        lambda c, o: [{"action": "service_misbehaves", "callback": "serverVersion", "how": "not_found"}],
        question="Does the AppURL, opened in a browser on that computer, show the service (its "
        'WSDL) or "404 Not Found"?',
    ),
    Candidate(
        "appurl-wrong-port",
        "Nothing answers on the AppURL's port (the service is stopped, or runs on another port)",
        "Start the service, or correct the port: the QWC file's AppURL must name the port "
        "the service listens on (remove the "
        "application from Web Connector and add a QWC file with the right address); a "
        "firewall on the service's side may refuse it too.",
        "FIELD (.NET's socket error 10061 wording); log placement assumed",
        lambda c, o: [{"action": "service_misbehaves", "callback": "serverVersion", "how": "refused"}],
        question="Is the service running, and listening on the port the AppURL names?",
    ),
    # --- the TLS versions the two sides offer (issue 23; sim.windows.dotnet_tls, tests/data/dotnet_tls.md) ---
    Candidate(
        "dotnet-tls-too-old",
        "The Web Connector computer's .NET Framework offers only TLS 1.0, and STRATAFOLIO "
        "accepts only TLS 1.2 or newer",
        "On the Web Connector's computer, let .NET offer TLS 1.2: set the DWORD SchUseStrongCrypto to 1 under both "
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and "
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319 (or update Windows and .NET "
        "Framework to 4.6.2 or later), then restart Web Connector. Or, on the other side, "
        "if that computer cannot be updated: "
        "STRATAFOLIO decides the oldest TLS version its address accepts (accepting TLS 1.0 again is not advised).",
        "FIELD (.NET's wording: fortnox-csharp-api-sdk#93, AuthorizeNet/sdk-dotnet#199; "
        "SchUseStrongCrypto: Microsoft via "
        "RapidIdentity, Messageware); log placement assumed",
        lambda c, o: [{"action": "dotnet_tls", "host": o.wc_host, "tls": "1.0"}],
        question="Is the Web Connector's computer an old Windows (7, Server 2008 R2) or .NET "
        "Framework before 4.6, and did the "
        "service stop accepting TLS 1.0 and 1.1 when the failures began?",
    ),
)


# --- timelines of the issue 22 candidates ------------------------------------------------------------
def cause_time(context: Context) -> datetime:
    """When scenario_text places a cause: an hour before the failure."""
    return context.when.replace(second=0, microsecond=0) - timedelta(hours=1)


def _reconnected_then_file_closed(context: Context, office: Office) -> list[dict]:
    """A new authorized computer's QWC added with the file open, then File > Close Company before any sync."""
    path = {"path": office.client_path} if office.mapped else {}
    steps: list[dict] = [
        {"action": "delete_authorized_computer", "company_file": "Company"},
        {"action": "authorize_computer", "company_file": "Company"},
        {"action": "download_qwc", "company_file": "Company", "host": office.wc_host},
        {"action": "open_single_user", "host": office.wc_host, "company_file": "Company", **path},
        {"action": "add_qwc", "company_file": "Company", "host": office.wc_host},
        {"action": "set_password", "company_file": "Company"},
        {"action": "close_company", "host": office.wc_host},
    ]
    if context.trigger == "scheduled":
        steps.append(
            {"action": "set_auto_run", "company_file": "Company", "minutes": max(1, min(context.every_minutes, 60))}
        )
    return steps


def _added_in_multi_user_mode(office: Office) -> list[dict]:
    """A colleague works in the file from the other computer; the Admin opens it (multi-user) and adds the QWC."""
    other, other_path = ("QBSERVER", office.server_path) if office.mapped else ("QBCLIENT", office.client_path)
    wc_path = {"path": office.client_path} if office.mapped else {}
    return [
        {"action": "open", "host": other, "company_file": "Company", "path": other_path, "user": "sync"},
        {"action": "open", "host": office.wc_host, "company_file": "Company", "user": "Admin", **wc_path},
        {"action": "delete_authorized_computer", "company_file": "Company"},
        {"action": "authorize_computer", "company_file": "Company"},
        {"action": "download_qwc", "company_file": "Company", "host": office.wc_host},
        {"action": "add_qwc", "company_file": "Company", "host": office.wc_host},
    ]


def _refused_for_the_closing_date(context: Context) -> list[dict]:
    """A closing date at the end of last year, and an invoice STRATAFOLIO pushes dated before it."""
    year = cause_time(context).year
    return [
        {"action": "set_closing_date", "company_file": "Company", "date": f"{year - 1}-12-31"},
        {"action": "create_invoices", "company_file": "Company", "count": 1, "dated": f"{year - 1}-12-20"},
    ]


def _invoice_changed_in_both_places(context: Context, office: Office) -> list[dict]:
    """An invoice synced, then changed in STRATAFOLIO and, before the next sync, in QuickBooks: the
    push carries an edit sequence QuickBooks no longer has. A sync by hand takes the invoice to
    QuickBooks first, ten minutes before the edits."""
    moment = cause_time(context)
    path = {"path": office.client_path} if office.mapped else {}
    edits = moment + timedelta(minutes=10)
    return [
        {"action": "create_invoices", "company_file": "Company", "count": 1},
        {"action": "update_selected", "host": office.wc_host},
        {
            "action": "change_invoice",
            "company_file": "Company",
            "ref": "SF-00001",
            "amount": "950.00",
            "at": f"{edits:%Y-%m-%d %H:%M}",
        },
        {"action": "open", "host": office.wc_host, "company_file": "Company", "at": f"{edits:%Y-%m-%d %H:%M}", **path},
        {
            "action": "edit_invoice_in_quickbooks",
            "host": office.wc_host,
            "ref": "SF-00001",
            "at": f"{edits + timedelta(minutes=1):%Y-%m-%d %H:%M}",
        },
        {"action": "close_quickbooks", "host": office.wc_host, "at": f"{edits + timedelta(minutes=2):%Y-%m-%d %H:%M}"},
    ]


def _web_connector_ended_mid_sync(context: Context, office: Office) -> list[dict]:
    """Someone syncs by hand, ends Web Connector in Task Manager seconds later, and starts it again."""
    moment = cause_time(context)
    return [
        {"action": "update_selected", "host": office.wc_host},
        {"action": "end_qbwc_task", "host": office.wc_host, "at": f"{moment + timedelta(seconds=6):%Y-%m-%d %H:%M:%S}"},
        {"action": "start_qbwc", "host": office.wc_host, "at": f"{moment + timedelta(minutes=2):%Y-%m-%d %H:%M}"},
    ]


@dataclass(frozen=True)
class Office:
    """Where things are in the smallest office matching a log. A path on C: or D: is local
    to the Web Connector's computer; any other letter is a drive mapped to a share."""

    wc_host: str  # the computer whose Web Connector the log comes from
    server_path: str  # the file's path on the computer that holds it
    share: str  # \\QBSERVER\QBData, the folder holding the file
    client_path: str  # the file's path as the other computer (QBCLIENT) opens it
    mapped: bool

    @staticmethod
    def of(path: str) -> Office:
        drive, rest = ntpath.splitdrive(path)
        if drive.upper() in ("C:", "D:"):
            folder = ntpath.dirname(path)
            return Office("QBSERVER", path, folder, "W:\\" + ntpath.basename(path), False)
        server_path = ntpath.join("D:\\QBData", rest.lstrip("\\"))
        return Office("QBCLIENT", server_path, "D:\\QBData", path, True)


def _adding(office: Office, app_url: str = "") -> list[dict]:
    """Adding the application of a new authorized computer's QWC file (its AppURL changed to `app_url`)."""
    download = {
        "action": "download_qwc",
        "company_file": "Company",
        "host": office.wc_host,
        **({"app_url": app_url} if app_url else {}),
    }
    return [
        {"action": "authorize_computer", "company_file": "Company"},
        download,
        {"action": "add_qwc", "company_file": "Company", "host": office.wc_host},
    ]


#: Runs that stopped for longer come back after this many days in a reproduction (what brought
#: them back, and whether Web Connector restarted for it, does not depend on how long it took).
MAX_GAP_DAYS = 2


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60) + 1
    return f"{minutes // 1440}d{minutes % 1440 // 60}h{minutes % 60}m"


def scenario_text(candidate: Candidate, context: Context) -> str:
    """The smallest office matching the customer's log, with the candidate's cause in it."""
    failure = context.when.replace(second=0, microsecond=0)
    # The office is built a little before the cause, which comes an hour before the failure; the run
    # ends once the failure has had time to show (runs that stopped: two hours after, or once they
    # came back).
    start = failure - timedelta(hours=2 if context.runs_stopped else 1, minutes=0 if context.runs_stopped else 15)
    end = failure + timedelta(hours=1 if context.runs_stopped else 0, minutes=0 if context.runs_stopped else 30)
    recover_at = None
    if context.resumed is not None and candidate.recovery is not None:
        # Runs came back in the customer's log: what brings them back is done just before they did.
        recover_at = max(
            failure,
            context.resumed.replace(second=0, microsecond=0)
            - timedelta(minutes=min(max(1, context.every_minutes), 30)),
        )
        recover_at = min(recover_at, failure + timedelta(days=MAX_GAP_DAYS))
        end = max(end, recover_at + timedelta(minutes=2 * max(1, min(context.every_minutes, 60)) + 5))
    office = Office.of(context.path)
    drive = ntpath.splitdrive(office.server_path)[0].rstrip(":").upper()
    # The customer's Auto-Run interval; a failure (not a pause) needs no run more often than every
    # quarter of an hour to show (a service asking for runs every 10 s would cost a thousand runs).
    every = max(1 if context.runs_stopped else 15, min(context.every_minutes, 60))
    parts = [
        f"# Reproduces: {candidate.title} (generated by wcsim diagnose from a customer's QWCLog.txt).\n"
        f"# Source: {candidate.source}. The office is the smallest that matches the log: the company file at\n"
        f"# the path the log names, Web Connector on {office.wc_host}, the cause an hour before the failure.\n",
        _table(
            "scenario",
            {
                "name": f"Diagnosed: {candidate.title}",
                "reproduces": f"{context.app}: {context.trigger} sync failing at {failure:%Y-%m-%d %H:%M}",
                "source": candidate.source,
                "seed": 0,
                "start": f"{start:%Y-%m-%d %H:%M}",
                "duration": _duration(end - start),
            },
            array=False,
        ),
        _table(
            "hosts",
            {"name": "QBSERVER", "role": "server", "drives": sorted({"C", drive}), "logged_in": "Administrator"},
        ),
        _table("hosts", {"name": "QBCLIENT", "role": "workstation", "logged_in": "Administrator"}),
        _table("shares", {"host": "QBSERVER", "name": "QBData", "folder": office.share}),
        _table(
            "mapped_drives",
            {
                "host": "QBCLIENT",
                "letter": ntpath.splitdrive(office.client_path)[0].rstrip(":"),
                "share": "\\\\QBSERVER\\QBData",
            },
        ),
        _table(
            "company_files",
            {"name": "Company", "host": "QBSERVER", "path": office.server_path, "users": {"Admin": "", "sync": "s1"}},
        ),
        _table(
            "company_files",
            {
                "name": "Other",
                "host": "QBSERVER",
                "path": ntpath.join(ntpath.dirname(office.server_path), "Other Company.QBW"),
            },
        ),
    ]
    integration: dict[str, Any] = {
        "company_file": "Company",
        "linked_from": office.wc_host,
        "access": candidate.access,
        "login_as": candidate.login_as,
    }
    if office.mapped:
        integration["path"] = office.client_path
    if context.trigger == "scheduled":
        integration["auto_run_minutes"] = every
    parts.append(_table("integrations", integration))
    cause = candidate.timeline(context, office)
    for action in cause:
        parts.append(_table("timeline", {"at": f"{cause_time(context):%Y-%m-%d %H:%M}", **action}))
    if context.trigger == "manual":
        parts.append(
            _table("timeline", {"at": f"{failure:%Y-%m-%d %H:%M}", "action": "update_selected", "host": office.wc_host})
        )
    elif context.trigger == "add" and not any(action["action"] == "add_qwc" for action in cause):
        # The customer was adding an application: the company file open as the Admin in single-user mode (as only
        # the Admin there can approve a first access: FIELD, QuickBooks' rule in sim.quickbooks.request_processor),
        # a new computer's QWC file added.
        opened = {
            "action": "open",
            "host": office.wc_host,
            "company_file": "Company",
            "user": "Admin",
            "mode": "single-user",
            **({"path": office.client_path} if office.mapped else {}),
        }
        for action in (opened, *_adding(office)):
            parts.append(_table("timeline", {"at": f"{failure:%Y-%m-%d %H:%M}", **action}))
    if (
        recover_at is not None and candidate.recovery is not None
    ):  # recover_at is set only for a candidate with a recovery
        for action in candidate.recovery(context, office):
            parts.append(_table("timeline", {"at": f"{recover_at:%Y-%m-%d %H:%M}", **action}))
    window = [f"{cause_time(context):%Y-%m-%d %H:%M}", f"{(recover_at or end):%Y-%m-%d %H:%M}"]
    expect: dict[str, Any]
    if context.expected_code in ADDING_CODES:
        expect = {"kind": "error_seen", "code": context.expected_code}
    elif context.expected_code in WARNING_CODES:
        expect = {"kind": "log_contains", "text": context.expected_code}
    elif context.expected_code:
        expect = {
            "kind": "sync",
            "company_file": "Company",
            "outcome": "failed",
            "code": context.expected_code,
            "between": window,
            "which": "any",
        }
    elif not context.runs_stopped:
        expect = {"kind": "sync", "company_file": "Company", "outcome": "failed", "between": window, "which": "any"}
    else:
        expect = {
            "kind": "sync",
            "company_file": "Company",
            "outcome": "any",
            "trigger": "scheduled",
            "between": [f"{failure - timedelta(minutes=59):%Y-%m-%d %H:%M}", window[1]],
            "which": "none",
        }
    parts.append(_table("expect", expect))
    return "\n".join(parts)


#: Codes Web Connector writes as warnings outside any update.
WARNING_CODES = ("QBWC1020",)
#: Codes Web Connector shows while adding an application, not during an update.
ADDING_CODES = ("QBWC1039", "QBWC1022", "QBWC1026", "QBWC1053", "QBWC1010", "QBWC1051")


#: The prefix of a line that stands for a message Web Connector showed on screen (not a QWCLog.txt line).
SHOWN_ON_SCREEN = "ShownOnScreen()"
_SHOWN_CODE = re.compile(r"(QBWC1\d{3}):")


@lru_cache(maxsize=256)
def run_candidate(text: str) -> tuple[str, str]:
    """Run a generated scenario: (the QWCLog.txt its Web Connectors wrote, "") or ("", why it could
    not run). A scenario that cannot run is a problem of the diagnosis, reported, never a score of 0.
    A run depends on its text alone (the seed is in it), so the last ones are remembered."""
    from sim.errors import SimError
    from sim.scenario import parse_scenario
    from sim.scenario_run import ScenarioRun
    from sim.world import to_utc

    try:
        run = ScenarioRun(parse_scenario(text, "diagnosis.toml"))
        run.run()
    except SimError as error:
        return "", one_line(str(error), 300)
    log = written_log(run.world)
    # What Web Connector said in a dialog and not in QWCLog.txt (refusing a QWC file, say): customers
    # paste those words too, so they are part of what the simulation shows, as lines of their own.
    shown = []
    for event in run.world.trace:
        if event.kind == "timeline.action_failed":
            reason = str(event.get("reason") or "")
            code = _SHOWN_CODE.search(reason)
            if code and f"{code.group(1)}: There was a problem" not in log:
                when = to_utc(event.time)  # stamped as QWCLog.txt stamps its lines: in UTC
                shown.append(
                    f"{when:%Y%m%d.%H:%M:%S} UTC\t: {SHOWN_ON_SCREEN} : {one_line(reason[code.start() :], 300)}\r\n"
                )
    return log + "".join(shown), ""


def written_log(world) -> str:
    """Everything the simulated Web Connectors wrote, as a customer sends it: for each computer the
    rolled-over QWCLog1.txt (when the log passed its size) followed by QWCLog.txt."""
    from sim.webconnector.log import OLD_LOG_PATH

    parts = []
    for host in world.hosts.values():
        current = host.qwc_log.text()  # first: writing it out may roll the log over
        if host.fs.exists(OLD_LOG_PATH):
            parts.append(host.fs.read_text(OLD_LOG_PATH).replace("\r\n", "\n"))
        parts.append(current)
    return "".join(parts)
