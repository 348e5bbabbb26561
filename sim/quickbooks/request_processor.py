"""The QuickBooks request processor: where every SDK HRESULT comes from.

An integrated application (here: the Web Connector) opens a connection and
begins a session on a company-file path in a mode; the processor works out, from
the state of the office, whether that can happen: is QuickBooks running on this
host and with which file, does the path lead to a file on some disk, who else
has the file open and how, which dialogs are showing, and what the Admin granted
this application. The first obstacle met becomes the HRESULT (DOMAIN.md section
5); nothing here maps a situation straight to a verdict. A session then
processes qbXML queries (with iterators) and adds, which need the data locks a
person editing in QuickBooks may hold.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sim.errors import (
    CompanyFileError,
    ConfigurationError,
    CorruptCompanyFileError,
    FileOperationError,
    HostUnavailableError,
    NoSuchDriveError,
    NoSuchShareError,
    QuickBooksError,
)
from sim.quickbooks import hresults as hr
from sim.quickbooks.company_file import RECORD_KINDS, AccessLevel, CompanyFile
from sim.quickbooks.company_info import company_record
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER, FileUse, check_mode_allows
from sim.quickbooks.qbxml import (
    QBXML_VERSION,
    RET_FIELDS,
    QbxmlError,
    Request,
    Response,
    build_response,
    parse_request,
    qb_time,
)
from sim.quickbooks.versions import major_version, product_name
from sim.windows.filesystem import same_path

if TYPE_CHECKING:
    from sim.parts import QuickBooksDesktop
    from sim.windows.network import Location

__all__ = ["RequestProcessor", "SdkSession", "AppOptions", "DONT_CARE", "STATUS", "EDITION_FLAGS"]

DONT_CARE = "dont-care"

# qbXML status codes: 0, 1, 3100 and 3140 are the SDK's; 3170 "record in use" and its message are
# InterWeave's cheat sheet (FIELD; wcsim assumed 3175 before); 3171 and 3180 with their messages AYS
# Software's export-error guide (FIELD); 3200's message integrators' code (consolibyte/quickbooks-php); 3260
# the SDK's; the number used for an unknown iterator is assumed. Sources: tests/data/vendor_pages/.
STATUS = {
    "ok": (0, "Info", "Status OK"),
    "no match": (1, "Info", "A query request did not find a matching object in QuickBooks"),
    "name in use": (3100, "Error", "The name of the list element is already in use."),
    "invalid reference": (3140, "Error", "There is an invalid reference to a QuickBooks object in the request."),
    "in use": (3170, "Error", "The record is currently in use."),
    "closing date": (
        3171,
        "Error",
        "An attempt was made to modify a Invoice with a date that is on or before the "
        "closing date of the company. If you are sure you really want to do this, please "
        "ask a user with Admin privileges to remove the password for editing transactions "
        "on or before to closing date (this setting is in the Accounting Company "
        "Preferences), then try again.",
    ),
    "credit limit": (
        3180,
        "Error",
        "There was an error when saving a Invoice. QuickBooks error message: The credit "
        "limit for the name on this transaction has been exceeded.",
    ),
    "edit sequence": (3200, "Error", "The provided edit sequence is out-of-date."),
    "not found": (3120, "Error", "Object specified in the request cannot be found."),
    "unknown iterator": (3000, "Error", "The given iterator ID is invalid."),
    "unsupported": (3000, "Error", "This request is not supported by this simulator."),
    "read only": (3260, "Error", "Insufficient permission level to perform this action."),
}

#: The AuthFlags bit of each QuickBooks edition (PG Table 4-1).
EDITION_FLAGS = {"SimpleStart": 0x1, "Pro": 0x2, "Premier": 0x4, "Enterprise": 0x8}


@dataclass(frozen=True)
class AppOptions:
    """What an application's QWC file asked of QuickBooks (PG Table 4-1, ch.10)."""

    auth_flags: int = 0  # editions it may connect to; 0 = all
    read_only: bool = False  # IsReadOnly: it will never write
    unattended_required: bool = False  # UnattendedModePref umpRequired
    certificate: str = ""  # the code-signing certificate the connecting program presents
    certificate_expired: bool = False
    elevated: bool = False  # the connecting program runs as administrator


#: The data a write locks, by qbXML object (assumed granularity: QuickBooks locks
#: the register a transaction posts to and the list an element belongs to).
LOCK_AREA = {
    "Invoice": "Accounts Receivable",
    "ReceivePayment": "Accounts Receivable",
    "Customer": "Customer:Job list",
    "Account": "Chart of Accounts",
}

_KIND_OF = {qbxml: kind for kind, qbxml in RECORD_KINDS.items()}

#: What a "login as" user without Customers & Receivables cannot read or write.
RESTRICTED_KINDS = ("customers", "invoices", "payments")

#: The lock a person's whole-file task holds (Verify Data, Condense Data, closing the books).
WHOLE_FILE = "whole company file"

# Assumed timings, in simulated seconds.
INITIALIZING_SECONDS = 20.0  # after a person opens a file, QuickBooks still loads it
START_QUICKBOOKS_SECONDS = 12.0
OPEN_FILE_SECONDS = 6.0  # QuickBooks already open with no company file opens the one requested
ATTACH_SECONDS = 1.0
REQUEST_SECONDS = 0.25
RECORD_SECONDS = 0.02
CONTENTION_PER_PERSON = 0.5


@dataclass
class SdkSession:
    """One begun session of an integrated application on a company file."""

    app_name: str
    owner_id: str
    path: str
    location: Location
    company: CompanyFile
    login_as: str
    mode: str
    attached: bool  # to a QuickBooks a person has open on this host
    use: FileUse
    open_seconds: float
    #: Open iterators: id -> (kind, the records matched, where the next page starts, where they end).
    iterators: dict[str, tuple[str, list[dict[str, Any]], int, int]] = field(default_factory=dict)
    ended: bool = False
    read_only: bool = False
    hidden: bool = False  # opened by a QuickBooks the SDK started at another elevation (it stays)
    restricted: bool = False  # logged in automatically as a user without Customers & Receivables


def _fail(hresult: int) -> QuickBooksError:
    return QuickBooksError(hresult, hr.text_of(hresult))


class RequestProcessor:
    """The SDK entry point of one host's QuickBooks."""

    def __init__(self, desktop: QuickBooksDesktop) -> None:
        self.desktop = desktop
        self.host = desktop.host
        self.world = desktop.world
        #: Called every `CHECK_EVERY` requests of a message. `wcsim sync` sets it to raise when its
        #: wall-clock `--timeout` runs out, so a service's huge message cannot outlast it; a
        #: simulation never sets it (nothing in the simulated world reads the wall clock).
        self.wall_clock_check: Callable[[], None] | None = None

    # --- sessions ---------------------------------------------------------------------------
    def begin_session(
        self,
        app_name: str,
        owner_id: str,
        path: str = "",
        mode: str = DONT_CARE,
        person_present: bool = False,
        certificate_prompt: Callable[[], tuple[Any, str]] | None = None,
        options: AppOptions = AppOptions(),
    ) -> SdkSession:
        """Open the connection and begin a session, or raise the HRESULT QuickBooks gives.

        `certificate_prompt` answers the prompt QuickBooks shows the Admin when an
        application asks for a file for the first time: it returns (access level, login-as user).
        `options` are the QWC's: the editions it accepts, read-only, unattended required.
        """
        try:
            if options.auth_flags and not options.auth_flags & EDITION_FLAGS[self.desktop.edition]:
                # PG: AuthFlags that exclude the running edition make the connection fail
                # (assumed HRESULT: the SDK's "could not access QuickBooks").
                self.world.record(
                    self.host.name,
                    "sdk.edition_excluded",
                    source="PG",
                    app=app_name,
                    edition=self.desktop.edition,
                    auth_flags=f"0x{options.auth_flags:X}",
                )
                raise _fail(hr.CANNOT_ACCESS_QUICKBOOKS)
            try:
                session = self._begin(app_name, owner_id, path, mode, person_present, certificate_prompt, options)
            except ConfigurationError:  # a "path" that is no Windows path at all, as a service may send
                raise _fail(hr.COULD_NOT_START_QUICKBOOKS) from None
        except QuickBooksError as error:
            self.world.record(
                self.host.name,
                "sdk.begin_session_failed",
                source="SDK",
                app=app_name,
                path=path or '""',
                hresult=error.code,
                reason=hr.name_of(error.hresult),
            )
            raise
        self.world.record(
            self.host.name,
            "sdk.session_begun",
            source="SDK",
            app=app_name,
            path=session.path,
            mode=session.mode,
            attached=session.attached,
            login_as=session.login_as,
        )
        return session

    def _begin(
        self, app_name: str, owner_id: str, path: str, mode: str, person_present: bool, prompt, options: AppOptions
    ) -> SdkSession:
        desktop = self.desktop
        if not self.host.has_session:
            raise _fail(hr.CANNOT_ACCESS_QUICKBOOKS)
        if desktop.left_running and self._same_elevation(options):
            # FIELD (ConnectBooster, Expensify DESK66, TimeCurve): a QuickBooks the SDK started for a
            # session that never ended still runs hidden; the SDK cannot start or reach another one.
            self.world.record(
                self.host.name,
                "sdk.quickbooks_left_running",
                source="FIELD",
                app=app_name,
                held_by=desktop.left_running[0].app_name,
                path=desktop.left_running[0].path,
            )
            raise _fail(hr.COULD_NOT_START_QUICKBOOKS)
        opened = desktop.opened
        if opened is not None and not self._same_elevation(options):
            # FIELD (nx-us.net; PG on QBWC1013 and UAC): programs at different elevation cannot talk; the
            # SDK starts a second, hidden QuickBooks, which cannot open the file the visible one holds.
            self.world.record(
                self.host.name,
                "sdk.elevation_mismatch",
                source="FIELD",
                app=app_name,
                quickbooks_elevated=desktop.elevated,
                caller_elevated=options.elevated,
            )
            raise _fail(hr.COULD_NOT_START_QUICKBOOKS)
        if opened is not None:
            # Assumed: a person at the desk acts after QuickBooks has loaded the file;
            # an unattended application can arrive while it is still loading.
            if not person_present and self.world.seconds - desktop.opened_at < INITIALIZING_SECONDS:
                raise _fail(hr.NOT_INITIALIZED)
            # QuickBooks is running with a person's file: the application can only join that file.
            # Assumed (field reports): QuickBooks compares the requested path with the
            # path the file was opened by, as text; the same file opened through a UNC
            # path and requested through a mapped letter counts as a different file.
            if path and not same_path(path, opened.path):
                raise _fail(hr.DIFFERENT_FILE_OPEN)
            if mode == SINGLE_USER and opened.mode == MULTI_USER:
                others = [u for u in self.world.open_company_files.uses(opened.location) if u != opened.use]
                raise _fail(hr.NEEDS_SINGLE_USER if others else hr.FILE_OPEN_IN_OTHER_MODE)
            if mode == MULTI_USER and opened.mode == SINGLE_USER:
                raise _fail(hr.FILE_OPEN_IN_OTHER_MODE)
            if desktop.dialogs:
                raise _fail(hr.MODAL_DIALOG_SHOWING)
            if self.world.open_company_files.lock_holder(opened.location, WHOLE_FILE):
                raise _fail(hr.CANNOT_LOCK_DATA)
            if (
                opened.company.authorization(owner_id) is None
                and prompt is not None
                and self._admin_can_approve(opened, app_name)
            ):
                # The certificate prompt: only the QuickBooks Admin sees it, in single-user mode (DOMAIN.md
                # section 6; FIELD: Sunburst Software, ConnectBooster, Expensify DESK53).
                access, login_as = prompt()
                if options.unattended_required and access not in (AccessLevel.ALWAYS, AccessLevel.NO):
                    # PG: with umpRequired the prompt offers only unattended access (assumed:
                    # an Admin who wanted less declines, as QuickBooks gives no other choice).
                    self.world.record(
                        self.host.name,
                        "quickbooks.prompt_declined",
                        source="assumed",
                        app=app_name,
                        wanted=access.value,
                        reason="umpRequired offers only 'always'",
                    )
                    raise _fail(hr.USER_DENIED_ACCESS)
                grant = opened.company.grant(app_name, owner_id, access, login_as)
                grant.certificate = options.certificate
                grant.auto_login_release = desktop.release
                if options.certificate_expired:
                    grant.expired_certificate_allowed = options.certificate
                desktop.save()  # QuickBooks keeps the preference at once
                self.world.record(
                    self.host.name,
                    "quickbooks.access_granted",
                    source="PG",
                    app=app_name,
                    access=access.value,
                    login_as=login_as,
                    by=opened.user,
                )
            grant = self._granted(
                opened.company, owner_id, unattended=False, person_present=person_present, options=options
            )
            if (
                options.certificate_expired
                and grant.expired_certificate_allowed != options.certificate
                and person_present
                and opened.company.user(opened.user).is_admin
            ):
                self._expired_certificate_window(grant, options, opened, app_name)
            use = FileUse(self.host.name, app_name, opened.mode, by_person=False)
            self.world.open_company_files.add(opened.location, use, opened.company)
            desktop.sdk_sessions += 1
            desktop.attached_sessions += 1
            return SdkSession(
                app_name,
                owner_id,
                opened.path,
                opened.location,
                opened.company,
                grant.login_as,
                opened.mode,
                True,
                use,
                ATTACH_SECONDS,
                read_only=options.read_only,
            )
        # QuickBooks is not running here (it must start in the background and open the file itself), or
        # runs with no company file open (it opens the file named).
        if not path:
            raise _fail(hr.NO_COMPANY_FILE_OPEN if self._open_without_file(options) else hr.NOT_RUNNING_NO_FILE_NAME)
        try:
            location = self.world.network.resolve(self.host, path)
            if not location.host.fs.is_file(location.path):
                raise _fail(hr.COULD_NOT_START_QUICKBOOKS)
            company = self.world.open_company_files.content(location, f"{self.host.name}:{path}")
        except (NoSuchDriveError, NoSuchShareError, HostUnavailableError, FileOperationError):
            raise _fail(hr.COULD_NOT_START_QUICKBOOKS) from None
        except CorruptCompanyFileError:
            raise _fail(hr.VERSION_CANNOT_WORK_WITH_FILE) from None
        self._check_version(company, app_name)
        uses = self.world.open_company_files.uses(location)
        lingering = next((s for s in desktop.hidden_instances if s.location == location), None)
        if lingering is not None and not self._same_elevation(options):
            # The hidden QuickBooks left by an earlier session at this elevation still has the file open:
            # the SDK talks to it again.
            self._granted(lingering.company, owner_id, unattended=True, person_present=person_present, options=options)
            desktop.sdk_sessions += 1
            return SdkSession(
                app_name,
                owner_id,
                path,
                location,
                lingering.company,
                lingering.login_as,
                lingering.mode,
                False,
                lingering.use,
                ATTACH_SECONDS,
                read_only=options.read_only,
                hidden=True,
            )
        wanted = SINGLE_USER if mode == SINGLE_USER else MULTI_USER
        try:
            check_mode_allows(uses, wanted, path)
        except CompanyFileError:
            raise _fail(
                hr.NEEDS_SINGLE_USER
                if mode == SINGLE_USER and not any(u.mode == SINGLE_USER for u in uses)
                else hr.FILE_OPEN_IN_OTHER_MODE
            ) from None
        grant = self._granted(company, owner_id, unattended=True, person_present=person_present, options=options)
        if self.world.open_company_files.lock_holder(location, WHOLE_FILE):
            raise _fail(hr.CANNOT_LOCK_DATA)
        self._log_in_as(company, grant, uses, app_name)
        if company.popups:
            # Opening the file makes its pop-up appear, and nobody is there to close it.
            self.world.record(
                self.host.name, "quickbooks.dialog_shown", source="SDK", title=company.popups[0], unattended=True
            )
            raise _fail(hr.MODAL_DIALOG_SHOWING)
        hidden = not self._same_elevation(options)
        if hidden:
            # Started at the caller's elevation, the hidden QuickBooks opens the file alone and stays
            # running after the session (FIELD): a person's QuickBooks then finds the file locked.
            wanted = SINGLE_USER
        use = FileUse(
            self.host.name, "hidden QuickBooks (other elevation)" if hidden else app_name, wanted, by_person=False
        )
        company = self.world.open_company_files.add(location, use, company)
        location.host.fs.hold(location.path, f"{desktop.handle_name}/{app_name}")
        desktop.sdk_sessions += 1
        if not hidden:
            desktop.background_sessions += 1
        # QuickBooks open with no company file opens the file itself (clearify.com wiki 381 cause 5): no
        # start-up (its time assumed); after the session it closes the file and stays open (assumed).
        seconds = OPEN_FILE_SECONDS if self._open_without_file(options) else START_QUICKBOOKS_SECONDS
        session = SdkSession(
            app_name,
            owner_id,
            path,
            location,
            company,
            grant.login_as,
            wanted,
            False,
            use,
            seconds,
            read_only=options.read_only,
            hidden=hidden,
        )
        session.restricted = any(u.restricted for u in company.users if u.name.casefold() == grant.login_as.casefold())
        return session

    def _granted(
        self,
        company: CompanyFile,
        owner_id: str,
        unattended: bool,
        person_present: bool,
        options: AppOptions = AppOptions(),
    ):
        grant = company.authorization(owner_id)
        if grant is None:
            raise _fail(hr.FIRST_ACCESS_NEEDS_ADMIN)
        if options.certificate_expired and unattended and grant.expired_certificate_allowed != options.certificate:
            # SDK: an expired certificate stops automatic login until the Admin, logged in to QuickBooks,
            # clicks "Allow Always" when notified; with the file open an application still integrates
            # (Intuit's help: "You'll be able to integrate your application").
            raise _fail(hr.CERTIFICATE_EXPIRED)
        if grant.certificate and options.certificate and grant.certificate != options.certificate:
            # FIELD (codatio/codat-docs#539): after the application's certificate changes the Admin
            # must approve it again; QuickBooks treats it as a first access (the HRESULT assumed).
            self.world.record(
                self.host.name,
                "sdk.certificate_changed",
                source="FIELD",
                app=grant.app_name,
                approved=grant.certificate,
                presented=options.certificate,
            )
            raise _fail(hr.FIRST_ACCESS_NEEDS_ADMIN)
        if grant.access is AccessLevel.NO:
            raise _fail(hr.USER_DENIED_ACCESS)
        if not grant.allowed:
            raise _fail(hr.NO_PERMISSION)
        if grant.access is AccessLevel.PROMPT_EACH_TIME and not person_present:
            raise _fail(hr.UNATTENDED_NOT_ALLOWED)
        if unattended and grant.access is not AccessLevel.ALWAYS:
            raise _fail(hr.UNATTENDED_NOT_ALLOWED)
        return grant

    def _expired_certificate_window(self, grant, options: AppOptions, opened, app_name: str) -> None:
        """The Admin, in the file, is shown the Expired Certificate window and clicks "Allow Always" (the
        SDK's 0x8004041E text asks for it; Intuit's help: only the Admin sees the window; assumed that they
        do): automatic login works again for this certificate."""
        grant.expired_certificate_allowed = options.certificate
        self.desktop.save()
        self.world.record(
            self.host.name, "quickbooks.expired_certificate_allowed", source="SDK", app=app_name, by=opened.user
        )

    def _admin_can_approve(self, opened, app_name: str) -> bool:
        """Only the QuickBooks Admin, logged in in single-user mode, can grant an application its first
        access (FIELD: Sunburst Software, "must be logged into the company data file in single-user mode
        to grant the application permission"; ConnectBooster; Expensify DESK53). Otherwise no prompt shows,
        and the application is refused as one that has not accessed the file before (assumed HRESULT)."""
        if not opened.company.user(opened.user).is_admin:
            return False
        if opened.mode != SINGLE_USER:
            self.world.record(
                self.host.name,
                "quickbooks.approval_needs_single_user",
                source="FIELD",
                app=app_name,
                mode=opened.mode,
                user=opened.user,
            )
            return False
        return True

    def _open_without_file(self, options: AppOptions) -> bool:
        """QuickBooks runs here at the "No Company Open" window, at the caller's elevation."""
        return self.desktop.running and self.desktop.opened is None and self._same_elevation(options)

    def _same_elevation(self, options: AppOptions) -> bool:
        """Whether the caller and QuickBooks run at the same elevation (UAC), so they can talk."""
        return options.elevated == self.desktop.elevated

    def _check_version(self, company: CompanyFile, app_name: str) -> None:
        """The QuickBooks that starts is another year-version than the file's: it cannot open it
        unattended (an upgrade needs a person at the prompt)."""
        if company.version != self.desktop.year:
            self.world.record(
                self.host.name,
                "sdk.version_mismatch",
                source="SDK",
                app=app_name,
                file_version=company.version,
                quickbooks=self.desktop.year,
            )
            raise _fail(hr.VERSION_CANNOT_WORK_WITH_FILE)

    def _log_in_as(self, company: CompanyFile, grant, uses, app_name: str) -> None:
        """An unattended session logs in to the file automatically, as the grant's "login as" user."""
        login_as = grant.login_as
        self._check_automatic_login_release(grant, app_name)
        try:
            user = company.user(login_as)
        except CompanyFileError:
            # The user was deleted: QuickBooks cannot log in automatically until the Admin grants it again
            # with another user (FIELD: Propelware's and Webgility's text for 0x80040430; DOMAIN.md 9.9).
            self.world.record(self.host.name, "sdk.login_as_missing", source="FIELD", app=app_name, login_as=login_as)
            raise _fail(hr.AUTOMATIC_LOGIN_LOST) from None
        busy = [u for u in uses if u.by_person and u.user.casefold() == login_as.casefold()]
        if busy:
            # FIELD (clearify.com wiki 381): the "login as" user already logged in to the file
            # elsewhere: QuickBooks cannot log it in again and answers as for a missing file.
            self.world.record(
                self.host.name,
                "sdk.login_as_busy",
                source="FIELD",
                app=app_name,
                login_as=login_as,
                elsewhere=busy[0].host,
            )
            raise _fail(hr.COULD_NOT_START_QUICKBOOKS)
        if user.settings_version != grant.login_as_settings:
            # FIELD (Acctivate 4079): "if any of the permissions or settings for [the] synchronization user
            # have changed in any way": "Could not start QuickBooks", until the Admin grants again.
            self.world.record(
                self.host.name,
                "sdk.login_as_changed",
                source="FIELD",
                app=app_name,
                login_as=login_as,
                restricted=user.restricted,
            )
            raise _fail(hr.COULD_NOT_START_QUICKBOOKS)

    def _check_automatic_login_release(self, grant, app_name: str) -> None:
        """FIELD (Propelware, Webgility, Expensify DESK53): after a QuickBooks update the automatic login
        saved under the earlier release no longer works, until the Admin saves the preferences and grants
        it again. Which updates do it is not public: here every maintenance update of the same year-version
        (assumed; a year-version upgrade is the version check's)."""
        release = self.desktop.release
        saved = grant.auto_login_release
        if saved and saved != release and saved.split()[:1] == release.split()[:1]:
            self.world.record(
                self.host.name,
                "sdk.automatic_login_lost",
                source="FIELD",
                app=app_name,
                granted_under=saved,
                running=release,
            )
            raise _fail(hr.AUTOMATIC_LOGIN_LOST)

    def end_session(self, session: SdkSession) -> None:
        if session.ended:
            return
        session.ended = True
        if session.hidden:
            if not any(s.use is session.use for s in self.desktop.hidden_instances):
                self.desktop.hidden_instances.append(session)
                self.world.record(
                    self.host.name,
                    "quickbooks.hidden_instance_left",
                    source="FIELD",
                    app=session.app_name,
                    path=session.path,
                )
            self.desktop.sdk_sessions = max(0, self.desktop.sdk_sessions - 1)
            return
        self.world.open_company_files.remove(session.location, session.use)
        if not session.attached:
            session.location.host.fs.release(session.location.path, f"{self.desktop.handle_name}/{session.app_name}")
        self._count_ended(session)
        self.world.record(self.host.name, "sdk.session_ended", source="SDK", app=session.app_name)

    def abandon(self, session: SdkSession) -> None:
        """The program that began the session is gone (ended in Task Manager, crashed) and never ends it.
        A QuickBooks the SDK started for it keeps running hidden with the file open (FIELD: ConnectBooster:
        the Web Connector "logs itself out and closes the background process" when it finishes a sync;
        Expensify DESK66, TimeCurve); attached to a person's QuickBooks, the connection simply drops."""
        if session.ended:
            return
        session.ended = True
        if session.attached:
            self.world.open_company_files.remove(session.location, session.use)
            self._count_ended(session)
            return
        if not session.hidden:
            self.desktop.left_running.append(session)
            self.world.record(
                self.host.name, "quickbooks.left_running", source="FIELD", app=session.app_name, path=session.path
            )
        elif not any(s.use is session.use for s in self.desktop.hidden_instances):
            self.desktop.hidden_instances.append(session)
        self._count_ended(session)

    def _count_ended(self, session: SdkSession) -> None:
        desktop = self.desktop
        desktop.sdk_sessions = max(0, desktop.sdk_sessions - 1)
        if session.attached:
            desktop.attached_sessions = max(0, desktop.attached_sessions - 1)
        elif not session.hidden:
            desktop.background_sessions = max(0, desktop.background_sessions - 1)

    # --- requests -----------------------------------------------------------------------------
    def host_company_preferences(self, session: SdkSession) -> str:
        """The HostQuery/CompanyQuery/PreferencesQuery answer sent with the first sendRequestXML: the
        CompanyRet is the file's whole record, its company information and the application's data
        extensions (FIELD: the qbwc gem's strHCPResponse from QuickBooks Pro 2014)."""
        return (
            '<?xml version="1.0" ?>\n<QBXML><QBXMLMsgsRs>'
            '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet>'
            "<ProductName>"
            f"{product_name(self.desktop.edition, self.desktop.year)}</ProductName>"
            f"<MajorVersion>{major_version(self.desktop.year)}</MajorVersion>"
            "<MinorVersion>0</MinorVersion>"
            "<Country>US</Country><SupportedQBXMLVersion>"
            f"{QBXML_VERSION}</SupportedQBXMLVersion><IsAutomaticLogin>"
            f"{str(not session.attached).lower()}</IsAutomaticLogin>"
            "<QBFileMode>"
            f"{'SingleUser' if session.mode == SINGLE_USER else 'MultiUser'}</QBFileMode>"
            "</HostRet></HostQueryRs>"
            '<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">'
            + company_record(session.company, session.owner_id, separator="")  # (on one line, as the wire carries it)
            + "</CompanyQueryRs>"
            '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" '
            'statusMessage="Status OK"><PreferencesRet>'
            "<AccountingPreferences><IsUsingAccountNumbers>"
            "false</IsUsingAccountNumbers></AccountingPreferences></PreferencesRet>"
            "</PreferencesQueryRs>"
            "</QBXMLMsgsRs></QBXML>"
        )

    def process(self, session: SdkSession, request_xml: str) -> tuple[str, float]:
        """Answer a qbXML request message; returns the response and the simulated seconds it took.

        A message that cannot be parsed raises QuickBooksError 0x80040400, as ProcessRequest does.
        One message's work is bounded (`MessageBudget`): past a bound, each remaining request is
        answered with a status naming it, at no cost.
        """
        if session.ended:
            raise _fail(hr.CANNOT_ACCESS_QUICKBOOKS)
        try:
            requests, on_error = parse_request(request_xml)
        except QbxmlError as error:
            self.world.record(self.host.name, "sdk.parse_error", source="SDK", app=session.app_name, reason=str(error))
            raise QuickBooksError(hr.PARSE_ERROR, f"{hr.text_of(hr.PARSE_ERROR)} {error}") from None
        responses: list[Response] = []
        touched = 0
        wrote = False
        budget = MessageBudget()
        lookup = _Lookup(session.company)
        refused = 0
        for number, request in enumerate(requests):
            if self.wall_clock_check is not None and number % CHECK_EVERY == 0:
                self.wall_clock_check()
            over = budget.over()
            if over:
                response, refused = _over_limit(request, over), refused + 1
            else:
                response = self._answer(session, request, lookup, budget)
                budget.answered(response.records)
            responses.append(response)
            touched += len(response.records)
            wrote = wrote or (request.is_add or request.is_mod) and response.ok
            if not response.ok and on_error == "stopOnError":
                break
        if refused:
            self.world.record(
                self.host.name,
                "sdk.message_limit",
                source="assumed",
                app=session.app_name,
                limit=budget.over(),
                refused=refused,
                requests=len(requests),
            )
        if wrote:
            session.company.save(self.host, session.path, by="QuickBooks")
        people = sum(1 for u in self.world.open_company_files.uses(session.location) if u.by_person)
        seconds = (REQUEST_SECONDS * len(requests) + RECORD_SECONDS * touched) * (1 + CONTENTION_PER_PERSON * people)
        return build_response(responses), seconds

    def _answer(self, session: SdkSession, request: Request, lookup: _Lookup, budget: MessageBudget) -> Response:
        name = request.name.removesuffix("Rq") + "Rs"
        kind = _KIND_OF.get(request.object_name)
        if (
            kind is None
            or not (request.is_query or request.is_add or request.is_mod)
            or (request.is_mod and kind != "invoices")
        ):
            return _status(name, request, "unsupported")
        if session.restricted and kind in RESTRICTED_KINDS:
            # FIELD (Bill.com's help): with QuickBooks closed, the "login as" user's permissions apply;
            # without Customers & Receivables the request is refused (the SDK's 3260).
            self.world.record(
                self.host.name,
                "sdk.permission_denied",
                source="FIELD",
                app=session.app_name,
                login_as=session.login_as,
                request=request.name,
            )
            return _status(name, request, "read only")
        if request.is_query:
            return self._query(session, request, name, kind, lookup, budget)
        if request.is_mod:
            return self._mod(session, request, name, kind, lookup)
        return self._add(session, request, name, kind, lookup)

    def _query(
        self, session: SdkSession, request: Request, name: str, kind: str, lookup: _Lookup, budget: MessageBudget
    ) -> Response:
        start = 0
        if request.iterator == "Continue":
            entry = session.iterators.get(request.iterator_id)
            if entry is None or entry[0] != kind:  # (an iterator of another object type is not this one's)
                return _status(name, request, "unknown iterator")
            _, matched, start, end = entry
        else:
            filters = [
                ("Name" if k == "FullName" else k, v)
                for k, v in request.fields.items()
                if k in ("TxnID", "ListID", "RefNumber", "FullName", "Name")
            ]
            since = request.fields.get("FromModifiedDate", "")
            if filters:
                # The first filter through an index, the others (and the date) on what it found.
                (first, value), rest = filters[0], filters[1:]
                matched = lookup.matching(kind, first, value)
                budget.examined(len(matched))
                if rest or since:
                    matched = [
                        r
                        for r in matched
                        if all(str(r.get(f, "")) == v for f, v in rest) and r.get("TimeModified", "") >= since
                    ]
            else:
                matched = session.company.modified_since(kind, since) if since else session.company.records[kind]
                if since:  # charged the whole list: a file not in TimeModified order is scanned whole
                    budget.examined(len(session.company.records[kind]))
            end = len(matched)
        if start >= end and request.iterator != "Continue":
            return _status(name, request, "no match")
        response = _status(name, request, "ok")
        wanted = request.max_returned if request.max_returned and request.max_returned > 0 else end - start
        stop = min(end, start + wanted)
        response.records = [self._ret(kind, r, request) for r in matched[start:stop]]
        if request.iterator:
            # The iterator keeps the records it matched and where it is in them (no copy of the
            # rest per page: paging through a long list costs what the pages cost).
            iterator_id = request.iterator_id or self.world.new_guid()
            session.iterators.pop(iterator_id, None)
            if stop < end:
                if matched is session.company.records[kind]:
                    # The file's own list can change under the iterator (an edit moves a record to its
                    # end): the iterator keeps the list as it was when it started, copied once.
                    matched = list(matched)
                session.iterators[iterator_id] = (kind, matched, stop, end)
                while len(session.iterators) > MAX_OPEN_ITERATORS:  # the oldest is forgotten
                    del session.iterators[next(iter(session.iterators))]
            response.iterator_remaining, response.iterator_id = end - stop, iterator_id
        return response

    def _ret(self, kind: str, record: dict[str, Any], request: Request | None = None) -> dict[str, Any]:
        """A stored record as QuickBooks returns it: the OSR's base fields, derived where the
        file does not keep them, in OSR order; only the IncludeRetElement ones when asked."""
        object_name = RECORD_KINDS[kind]
        modified = record.get("TimeModified", "")
        derived = {
            "TimeCreated": record.get("TimeCreated", modified),
            "EditSequence": _edit_sequence(record),
            "FullName": record.get("Name", ""),
            "IsActive": "true",
            "Sublevel": "0",
        }
        if "TxnID" in record:
            # The company file's own sequence number, which the ID it gave the transaction carries.
            derived["TxnNumber"] = str(int(record["TxnID"].split("-")[0], 16)) if "-" in record["TxnID"] else "0"
        ret = {}
        for name in RET_FIELDS[object_name]:
            value = record.get(name, derived.get(name))
            if value not in (None, ""):
                ret[name] = value
        if request is not None and request.include:
            ret = {name: value for name, value in ret.items() if name in request.include}
        return ret

    def _add(self, session: SdkSession, request: Request, name: str, kind: str, lookup: _Lookup) -> Response:
        if session.read_only:  # the QWC said IsReadOnly: QuickBooks holds the application to it
            return _status(name, request, "read only")
        refused = self._in_use(session, request, name)
        if refused is not None:
            return refused
        company = session.company
        fields = dict(request.fields)
        if kind == "customers":
            if lookup.matching("customers", "Name", fields.get("Name", ""), folded=True):
                return _status(name, request, "name in use")
            record = {
                "ListID": company.new_id(),
                "Name": fields.get("Name", ""),
                "TimeModified": qb_time(self.world.now),
            }
        else:
            customer = self._customer(session, fields.get("CustomerRef", ""), lookup)
            if customer is None:
                return _status(name, request, "invalid reference")
            refused = self._refused_transaction(
                session, request, name, fields.get("TxnDate", ""), customer, float(fields.get("Subtotal") or 0)
            )
            if refused is not None:
                return refused
            # (QuickBooks gives the id: one the application sent is not taken)
            record = {**fields, "TxnID": company.new_id(), "TimeModified": qb_time(self.world.now)}
        company.records[kind].append(record)
        lookup.added(kind, record)
        response = _status(name, request, "ok")
        response.records = [self._ret(kind, record)]
        return response

    def _mod(self, session: SdkSession, request: Request, name: str, kind: str, lookup: _Lookup) -> Response:
        """InvoiceMod: the change applies only to the version the application last read; QuickBooks
        compares its EditSequence with the record's (SDK; 3200 when someone changed it since)."""
        if session.read_only:
            return _status(name, request, "read only")
        fields = dict(request.fields)
        found = session.company.matching(kind, "TxnID", fields.pop("TxnID", ""))
        if not found:
            return _status(name, request, "not found")
        record = found[0]
        sent = fields.pop("EditSequence", "")
        if sent != _edit_sequence(record):
            self.world.record(
                self.host.name,
                "sdk.edit_sequence_out_of_date",
                source="SDK",
                app=session.app_name,
                txn=record["TxnID"],
                sent=sent,
                current=_edit_sequence(record),
            )
            return _status(name, request, "edit sequence")
        refused = self._in_use(session, request, name)
        if refused is None:
            customer = self._customer(session, fields.get("CustomerRef", record.get("CustomerRef", "")), lookup)
            if customer is None:
                return _status(name, request, "invalid reference")
            refused = self._refused_transaction(
                session, request, name, fields.get("TxnDate", record.get("TxnDate", "")), customer, 0.0
            )
        if refused is not None:
            return refused
        session.company.update_record(kind, record, fields, modified=qb_time(self.world.now))
        response = _status(name, request, "ok")
        response.records = [self._ret(kind, record)]
        return response

    def _in_use(self, session: SdkSession, request: Request, name: str) -> Response | None:
        """A write into data a person is editing: the record is in use (FIELD: InterWeave, 3170)."""
        area = LOCK_AREA[request.object_name]
        holder = self.world.open_company_files.lock_holder(session.location, area)
        if holder is None:
            return None
        self.world.record(
            self.host.name, "sdk.record_in_use", source="FIELD", app=session.app_name, area=area, held_by=holder
        )
        return _status(name, request, "in use")

    def _customer(self, session: SdkSession, customer: str, lookup: _Lookup) -> dict | None:
        """The customer a transaction names, if it exists and is active (SDK 3140 otherwise; FIELD: an
        inactive or deleted customer, Expensify's and InterWeave's lists)."""
        match = next(iter(lookup.matching("customers", "Name", customer)), None)
        if match is not None and str(match.get("IsActive", "true")).casefold() == "false":
            self.world.record(
                self.host.name, "sdk.inactive_reference", source="FIELD", app=session.app_name, customer=customer
            )
            return None
        return match

    def _refused_transaction(
        self, session: SdkSession, request: Request, name: str, txn_date: str, customer: dict, amount: float
    ) -> Response | None:
        """The checks QuickBooks makes when it saves a transaction (FIELD: AYS Software's export-error guide):
        the company's closing date (3171) and the customer's credit limit (3180)."""
        company = session.company
        if company.closing_date and txn_date and txn_date <= company.closing_date:
            self.world.record(
                self.host.name,
                "sdk.before_closing_date",
                source="FIELD",
                app=session.app_name,
                txn_date=txn_date,
                closing_date=company.closing_date,
            )
            return _status(name, request, "closing date")
        limit = customer.get("CreditLimit")
        if limit not in (None, "") and amount:
            balance = sum(
                float(i.get("Subtotal") or 0) for i in company.matching("invoices", "CustomerRef", customer["Name"])
            )
            balance -= sum(
                float(p.get("TotalAmount") or 0) for p in company.matching("payments", "CustomerRef", customer["Name"])
            )
            if balance + amount > float(limit):
                self.world.record(
                    self.host.name,
                    "sdk.credit_limit_exceeded",
                    source="FIELD",
                    app=session.app_name,
                    customer=customer["Name"],
                    limit=str(limit),
                    balance=f"{balance:.2f}",
                    amount=f"{amount:.2f}",
                )
                return _status(name, request, "credit limit")
        return None


def _edit_sequence(record: dict[str, Any]) -> str:
    """QuickBooks' edit sequence: a number that changes with each edit (seconds of the last one)."""
    modified = record.get("TimeModified", "")
    return str(calendar.timegm(datetime.fromisoformat(modified).timetuple())) if modified else "0"


# --- one message's work -----------------------------------------------------------------------
# Assumed: the SDK documents no limit on one message, and QuickBooks would only take very long.
# These are the simulator's, far above what a real service sends (a page of 25 to 500 records at a
# time), so that a hostile service's message costs time and memory in proportion to these numbers,
# never to its length times the company file's size.
MAX_ANSWER_RECORDS = 50_000  # records returned in one answer
MAX_ANSWER_CHARS = 10_000_000  # characters of those records' values
MAX_EXAMINED_RECORDS = 1_000_000  # records looked at to answer filtered queries (about 0.1 s)
#: Iterators one session keeps open (assumed); past it the oldest is forgotten (its Continue then
#: gets "unknown iterator"), as each holds the records it matched.
MAX_OPEN_ITERATORS = 100
#: How often (in requests) a long message checks `wall_clock_check`.
CHECK_EVERY = 64
#: The status of a request past a bound (assumed: the simulator's, like "unsupported").
OVER_LIMIT_STATUS = 3001


class MessageBudget:
    """What one message has cost so far: records examined, records and characters answered."""

    def __init__(self) -> None:
        self.examined_records = self.answer_records = self.answer_chars = 0

    def examined(self, count: int) -> None:
        self.examined_records += count

    def answered(self, records: list[dict[str, Any]]) -> None:
        self.answer_records += len(records)
        self.answer_chars += sum(len(str(value)) for record in records for value in record.values())

    def over(self) -> str:
        """The bound this message has reached, in words, or ""."""
        if self.answer_records >= MAX_ANSWER_RECORDS:
            return f"{MAX_ANSWER_RECORDS:,} records in one answer"
        if self.answer_chars >= MAX_ANSWER_CHARS:
            return f"{MAX_ANSWER_CHARS:,} characters in one answer"
        if self.examined_records >= MAX_EXAMINED_RECORDS:
            return f"{MAX_EXAMINED_RECORDS:,} records examined for one message"
        return ""


def _over_limit(request: Request, limit: str) -> Response:
    return Response(
        name=request.name.removesuffix("Rq") + "Rs",
        request_id=request.request_id,
        status_code=OVER_LIMIT_STATUS,
        status_severity="Error",
        status_message=f"Not processed: this message reached the simulator's limit of {limit} (assumed; "
        "send fewer requests per message, or page with an iterator and MaxReturned).",
    )


class _Lookup:
    """The lookups of one message: exact values through the company file's own index
    (`CompanyFile.matching`, kept across messages), casefolded names through an index built when
    the message first needs one and kept up to date by its adds, so a message of many adds or
    lookups costs in proportion to its length, not its length times the file's size (a name check
    against every customer, once per add, made 60,000 adds take minutes)."""

    def __init__(self, company: CompanyFile) -> None:
        self.company = company
        self._indexes: dict[tuple[str, str, bool], dict[str, list[dict[str, Any]]]] = {}

    def matching(self, kind: str, field_name: str, value: str, folded: bool = False) -> list[dict[str, Any]]:
        """The records of `kind` whose `field_name` is `value` (compared casefolded when `folded`), in file order."""
        if not folded:  # the company file's own index, kept from message to message
            return self.company.matching(kind, field_name, value)
        key = (kind, field_name, folded)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = {}
            for record in self.company.records[kind]:
                index.setdefault(self._key(record, field_name, folded), []).append(record)
        return index.get(value.casefold() if folded else value, [])

    def added(self, kind: str, record: dict[str, Any]) -> None:
        for (index_kind, field_name, folded), index in self._indexes.items():
            if index_kind == kind:
                index.setdefault(self._key(record, field_name, folded), []).append(record)

    @staticmethod
    def _key(record: dict[str, Any], field_name: str, folded: bool) -> str:
        value = str(record.get(field_name, ""))
        return value.casefold() if folded else value


def _status(name: str, request: Request, which: str) -> Response:
    code, severity, message = STATUS[which]
    return Response(
        name=name, request_id=request.request_id, status_code=code, status_severity=severity, status_message=message
    )
