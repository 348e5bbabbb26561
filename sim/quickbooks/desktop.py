"""The QuickBooks Desktop application on one host.

It knows which company file is open on this host, by which QuickBooks user, in
single-user or multi-user mode; which modal dialogs are showing (pop-ups from
the file, the certificate prompt); and the load it is under. It opens one file at
a time, refuses modes that conflict with other users of the file (kept in the
world's `OpenCompanyFiles`), shows a file's pending pop-ups when it opens it,
and holds the file open on disk so Windows refuses to rename or move it. It may
also run with no company file open (the "No Company Open" window), and it knows the
QuickBooks processes the SDK runs in the background here (for a live session, or left
behind by one that never ended), which a person at this computer runs into, and the
maintenance release installed, which automatic logins are saved under.
The request processor in `sim.quickbooks.request_processor` talks to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from sim.errors import CompanyFileError, ConfigurationError, HostUnavailableError
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER, FileUse, check_mode_allows
from sim.quickbooks.qbxml import qb_time

if TYPE_CHECKING:
    from sim.windows.host import Host
    from sim.windows.network import Location

__all__ = ["QuickBooksDesktop", "OpenedFile", "SLOWDOWN_PER_SYNC"]

#: Assumed (DOMAIN.md section 6): how much longer a person's QuickBooks work takes
#: for each integrated-application session running on the same computer or file.
#: ART says the person "may notice their computer slowing down"; no figure is public.
SLOWDOWN_PER_SYNC = 0.6


@dataclass
class OpenedFile:
    """The company file open in this QuickBooks, as the person opened it."""

    path: str  # as typed or chosen by the person: Web Connector remembers this text
    location: Location
    mode: str
    user: str
    use: FileUse
    company: CompanyFile


class QuickBooksDesktop:
    """QuickBooks running (or not) on one host."""

    def __init__(self, host: Host, remote_user: str | None = None) -> None:
        self.host = host
        self.world = host.world
        #: The Windows user whose Remote Desktop session this QuickBooks runs in (None: the console's).
        self.remote_user = remote_user
        #: Where this QuickBooks runs, as the trace and other users of a file name it.
        self.where = host.name if remote_user is None else f"{host.name} (Remote Desktop: {remote_user})"
        self.opened: OpenedFile | None = None
        #: The QuickBooks program is open on this desktop, with a company file or at the "No Company
        #: Open" window (FIELD: clearify.com wiki 381 cause 5, BillerGenie: the state vendors recommend).
        self.running = False
        self.dialogs: list[str] = []
        self.sdk_sessions = 0  # integrated-application sessions attached to this QuickBooks
        #: Sessions attached to a file a person has open here, and sessions for which the SDK opened the
        #: file itself (QuickBooks started in the background, or open with no company file).
        self.attached_sessions = 0
        self.background_sessions = 0
        #: QuickBooks processes the SDK started for a session that never ended (the Web Connector was
        #: ended mid-session): they keep running hidden, holding their file (FIELD: ConnectBooster,
        #: Expensify DESK66, TimeCurve), until ended in Task Manager or the computer restarts.
        self.left_running: list = []
        #: Maintenance releases installed, by year-version (1 = "R1"); see `release`.
        self._releases: dict[int, int] = {}
        self.opened_at = float("-inf")  # when the open file was opened (QuickBooks initializes for a while)
        self.handle_name = f"QuickBooks@{host.name}" + (f"/{remote_user}" if remote_user else "")
        #: The edition installed here (AuthFlags in a QWC may exclude it): SimpleStart, Pro, Premier, Enterprise.
        self.edition = "Pro"
        #: The year-versions installed; the newest is the one that starts (assumed: the SDK and the
        #: desktop icon start the latest install, FIELD: Intuit's "supporting your user" page).
        self._installed_years: tuple[int, ...] = (2024,)
        #: The year-version a person last started on this computer (None: nobody chose one).
        self.started_year: int | None = None
        #: "Run as administrator" for the QuickBooks people start here.
        self.elevated = False
        #: QuickBooks processes the SDK started at another elevation, still holding a file.
        self.hidden_instances: list = []
        from sim.quickbooks.request_processor import RequestProcessor

        self.request_processor = RequestProcessor(self)

    @property
    def installed_years(self) -> tuple[int, ...]:
        # One installation per computer: every session starts the same QuickBooks.
        return self._installed_years if self.remote_user is None else self.host.quickbooks.installed_years

    @installed_years.setter
    def installed_years(self, years: tuple[int, ...]) -> None:
        self._installed_years = tuple(years)

    @property
    def release(self) -> str:
        """The QuickBooks release that runs here, as "2024 R1": its year-version and maintenance release."""
        releases = self.host.quickbooks._releases
        return f"{self.year} R{releases.get(self.year, 1)}"

    def install_update(self) -> str:
        """A QuickBooks maintenance update is installed for the year-version that runs here."""
        releases = self.host.quickbooks._releases
        releases[self.year] = releases.get(self.year, 1) + 1
        self.world.record(self.where, "quickbooks.updated", source="FIELD", release=self.release)
        return self.release

    @property
    def year(self) -> int:
        """The year-version that starts when something starts QuickBooks here: the one a person
        last started (FIELD: with several versions installed, the SDK launches the QuickBooks
        last run on the computer; which one exactly is assumed), the newest before anyone did."""
        started = self.host.quickbooks.started_year
        return started if started in self.installed_years else max(self.installed_years)

    # --- opening and closing --------------------------------------------------------
    def open_company_file(
        self, path: str, user: str = "Admin", password: str = "", mode: str = MULTI_USER, year: int | None = None
    ) -> OpenedFile:
        """A person opens a company file, as File > Open Company does; with `year`, in that
        installed year-version of QuickBooks (its own desktop icon), not the newest."""
        if mode not in (SINGLE_USER, MULTI_USER):
            raise ConfigurationError(f"QuickBooks mode must be {SINGLE_USER!r} or {MULTI_USER!r}, not {mode!r}")
        self._start_year(max(self.installed_years) if year is None else int(year))
        if self.remote_user is None:
            self.host.require_session("open QuickBooks")
        elif not self.host.has_remote_session(self.remote_user):
            raise HostUnavailableError(
                f"{self.remote_user} has no Remote Desktop session on {self.host.name}: cannot open QuickBooks"
            )
        self._check_not_held_in_background()
        if self.opened is not None:
            self.close_company_file()
        location = self.world.network.resolve(self.host, path)
        if not location.host.fs.is_file(location.path):
            raise CompanyFileError(f"{self.where}: QuickBooks cannot find the company file {path!r}")
        files = self.world.open_company_files
        company = files.content(location, f"{self.host.name}:{path}")
        if company.version != self.year:
            raise CompanyFileError(
                f"{self.where}: QuickBooks {self.year} must upgrade {path!r} (a QuickBooks "
                f"{company.version} file) before it can open it"
                if company.version < self.year
                else f"{self.where}: {path!r} is a QuickBooks {company.version} file, newer than QuickBooks {self.year}"
            )
        qb_user = company.check_login(user, password)
        check_mode_allows(files.uses(location), mode, path)
        use = FileUse(self.where, qb_user.name, mode, by_person=True)
        company = files.add(location, use, company)
        location.host.fs.hold(location.path, self.handle_name)
        self.opened = OpenedFile(path, location, mode, qb_user.name, use, company)
        self.running = True
        self.opened_at = self.world.seconds
        self.world.record(self.where, "quickbooks.opened", path=path, user=qb_user.name, mode=mode)
        for popup in company.popups:
            self.show_dialog(popup)
        return self.opened

    def _start_year(self, year: int) -> None:
        if year not in self.installed_years:
            raise ConfigurationError(
                f"{self.where}: QuickBooks {year} is not installed (installed: "
                f"{', '.join(map(str, self.installed_years))})"
            )
        if year != self.year:
            self.world.record(
                self.where,
                "quickbooks.started_version",
                source="FIELD",
                year=year,
                installed=",".join(map(str, self.installed_years)),
            )
        self.host.quickbooks.started_year = year

    def _check_not_held_in_background(self) -> None:
        """A person cannot start QuickBooks (or open a file in it) while a QuickBooks the SDK started runs
        in the background here: for a live session (FIELD: Codat, "If QBD is closed, the user will not be
        able to open a QBD file") or left over from one that never ended (FIELD: TimeCurve, "QuickBooks
        can't start because it is already running")."""
        if self.left_running:
            raise CompanyFileError(
                f"{self.where}: QuickBooks is already running in the background (left by an "
                f"interrupted {self.left_running[0].app_name} session, holding "
                f"{self.left_running[0].path!r}); end QBW32.EXE in Task Manager or restart the "
                "computer"
            )
        if self.background_sessions and self.opened is None:
            raise CompanyFileError(
                f"{self.where}: QuickBooks is busy with an integrated application's session in the "
                "background; the file cannot be opened until it ends"
            )

    def close_company_file(self) -> None:
        """The person exits QuickBooks (with its file)."""
        self._close()
        self.running = False

    def close_company(self) -> None:
        """File > Close Company: the file closes, QuickBooks stays open at the "No Company Open" window."""
        self._close()
        if self.running:
            self.world.record(self.where, "quickbooks.no_company_open", source="FIELD")

    def start_without_file(self) -> None:
        """A person starts QuickBooks and leaves it at the "No Company Open" window (clearify.com wiki
        381 cause 5; BillerGenie's best practices: the state vendors recommend for unattended syncs)."""
        if self.remote_user is None:
            self.host.require_session("start QuickBooks")
        self._check_not_held_in_background()
        self._close()
        self.running = True
        self.world.record(self.where, "quickbooks.no_company_open", source="FIELD")

    def _close(self) -> None:
        opened, self.opened = self.opened, None
        if opened is None:
            return
        self.world.open_company_files.remove(opened.location, opened.use)
        opened.location.host.fs.release(opened.location.path, self.handle_name)
        self.dialogs.clear()
        self.world.record(self.where, "quickbooks.closed", path=opened.path, user=opened.user)

    def end_background_quickbooks(self) -> int:
        """Task Manager > End task on every QBW32.EXE nobody can see (the hidden ones the SDK started):
        their files are released. Returns how many were ended."""
        ended = self.left_running + self.hidden_instances
        for session in ended:
            self._release_hidden(session)
        self.left_running, self.hidden_instances = [], []
        if ended:
            self.world.record(self.where, "quickbooks.background_ended", source="FIELD", processes=len(ended))
        return len(ended)

    def _release_hidden(self, session) -> None:
        self.world.open_company_files.remove(session.location, session.use)
        session.location.host.fs.release(session.location.path, f"{self.handle_name}/{session.app_name}")

    def busy_with_session(self) -> bool:
        """An integrated application's session is attached to the file open here: a person cannot use
        QuickBooks' menus until it ends (FIELD: Codat, "If QBD is open, the user will not be able to open
        dropdown menu's and the user experience itself will be jittery")."""
        return self.opened is not None and self.attached_sessions > 0

    def on_host_stopped(self, reason: str) -> None:
        # Asleep: QuickBooks stays open in memory. Off or logged out: it is gone, hidden ones too.
        if reason != "asleep":
            self.close_company_file()
            for session in self.hidden_instances + self.left_running:
                self._release_hidden(session)
            self.hidden_instances, self.left_running = [], []

    # --- dialogs --------------------------------------------------------------------
    def show_dialog(self, title: str) -> None:
        self.dialogs.append(title)
        self.world.record(self.where, "quickbooks.dialog_shown", title=title, source="SDK")

    def dismiss_dialogs(self) -> list[str]:
        """The person closes every dialog; pop-ups that came from the file will not show again."""
        dismissed, self.dialogs = self.dialogs, []
        if self.opened is not None and self.opened.company.popups:
            self.opened.company.popups = [p for p in self.opened.company.popups if p not in dismissed]
            self.save()
        for title in dismissed:
            self.world.record(self.where, "quickbooks.dialog_dismissed", title=title)
        return dismissed

    # --- data --------------------------------------------------------------------------
    def save(self) -> None:
        if self.opened is not None:
            self.opened.company.save(self.host, self.opened.path, by="QuickBooks")

    def set_integrated_access(self, app_name: str, allowed: bool) -> None:
        """The Admin ticks or unticks "Allow access" for an application in
        Edit > Preferences > Integrated Applications (needs the file in single-user mode)."""
        opened = self._admin_single_user("change Integrated Applications preferences")
        grant = next((g for g in opened.company.authorizations if g.app_name.casefold() == app_name.casefold()), None)
        if grant is None:
            raise CompanyFileError(f"{self.where}: no integrated application named {app_name!r} in this company file")
        grant.allowed = allowed
        self.save()
        self.world.record(self.where, "quickbooks.integrated_access", source="PG", app=grant.app_name, allowed=allowed)

    def grant_again(self, owner_id: str, certificate: str = "", login_as: str | None = None) -> None:
        """Edit > Preferences > Integrated Applications, as the Admin in single-user mode: the
        application's automatic login revoked, the preferences saved, and granted again ("Yes, always"),
        as vendors' fixes describe it (FIELD: Propelware, Webgility, Acctivate): the grant records the
        "login as" user's settings and the QuickBooks release as they are now."""
        from sim.quickbooks.company_file import AccessLevel

        opened = self._admin_single_user("grant access again")
        grant = opened.company.authorization(owner_id)
        if grant is None:
            raise CompanyFileError(
                f"{self.where}: no integrated application with OwnerID {owner_id} in this company file"
            )
        grant.access = AccessLevel.ALWAYS
        grant.allowed = True
        if login_as is not None:
            grant.login_as = opened.company.user(login_as).name
        grant.login_as_settings = opened.company.user(grant.login_as).settings_version
        grant.auto_login_release = self.release
        if certificate:
            grant.certificate = certificate  # the approval is for the program as it is now
        self.save()
        self.world.record(
            self.where,
            "quickbooks.access_granted_again",
            source="FIELD",
            app=grant.app_name,
            login_as=grant.login_as,
            release=self.release,
        )

    def set_closing_date(self, date: str) -> None:
        """Edit > Preferences > Accounting > Company Preferences: the closing date and its password
        ("" removes them), as the Admin."""
        opened = self.opened
        if opened is None or not opened.company.user(opened.user).is_admin:
            raise CompanyFileError(f"{self.where}: only the Admin, in the open company file, can set the closing date")
        opened.company.closing_date = date
        self.save()
        self.world.record(self.where, "quickbooks.closing_date_set", source="FIELD", date=date or "none")

    def _admin_single_user(self, what: str) -> OpenedFile:
        opened = self.opened
        if opened is None or not opened.company.user(opened.user).is_admin or opened.mode != SINGLE_USER:
            raise CompanyFileError(f"{self.where}: only the Admin, in single-user mode, can {what}")
        return opened

    def edit_invoice(self, ref_number: str, memo: str) -> dict:
        """A person changes an invoice in the open file (its memo) and saves it: a new edit of it."""
        opened = self.opened
        if opened is None:
            raise CompanyFileError(f"{self.where}: open the company file before editing an invoice")
        found = opened.company.matching("invoices", "RefNumber", ref_number)
        if not found:
            raise CompanyFileError(f"{self.where}: no invoice {ref_number!r} in {opened.path!r}")
        invoice = found[0]
        opened.company.update_record("invoices", invoice, {"Memo": memo}, modified=qb_time(self.world.now))
        self.save()
        self.world.record(self.where, "quickbooks.invoice_edited", ref=ref_number, by=opened.user)
        return invoice

    def enter_transaction(self, kind: str, record: dict) -> dict:
        """A person saves an invoice or a payment in the open file."""
        company = cast(OpenedFile, self.opened).company  # its callers (people at work) hold the file open
        saved = {"TxnID": company.new_id(), **record, "TimeModified": qb_time(self.world.now)}
        company.records[kind].append(saved)
        self.save()
        return saved

    def slowdown_factor(self) -> float:
        """How much longer QuickBooks work takes now on this host (assumed model)."""
        sessions = self.sdk_sessions
        if self.opened is not None:
            sessions = max(
                sessions, sum(1 for u in self.world.open_company_files.uses(self.opened.location) if not u.by_person)
            )
        return 1.0 + SLOWDOWN_PER_SYNC * sessions
