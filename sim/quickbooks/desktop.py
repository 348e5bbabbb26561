"""The QuickBooks Desktop application on one host.

It knows which company file is open on this host, by which QuickBooks user, in
single-user or multi-user mode; which modal dialogs are showing (pop-ups from
the file, the certificate prompt); and the load it is under. It opens one file at
a time, refuses modes that conflict with other users of the file (kept in the
world's `OpenCompanyFiles`), shows a file's pending pop-ups when it opens it,
and holds the file open on disk so Windows refuses to rename or move it.
The request processor in `sim.quickbooks.request_processor` talks to it.
"""

from __future__ import annotations

from sim.quickbooks.qbxml import qb_time

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import CompanyFileError, ConfigurationError, HostUnavailableError
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER, FileUse

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
    location: "Location"
    mode: str
    user: str
    use: FileUse
    company: CompanyFile


class QuickBooksDesktop:
    """QuickBooks running (or not) on one host."""

    def __init__(self, host: "Host", remote_user: str | None = None) -> None:
        self.host = host
        self.world = host.world
        #: The Windows user whose Remote Desktop session this QuickBooks runs in (None: the console's).
        self.remote_user = remote_user
        #: Where this QuickBooks runs, as the trace and other users of a file name it.
        self.where = host.name if remote_user is None else f"{host.name} (Remote Desktop: {remote_user})"
        self.opened: OpenedFile | None = None
        self.dialogs: list[str] = []
        self.sdk_sessions = 0  # integrated-application sessions attached to this QuickBooks
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
    def year(self) -> int:
        """The year-version that starts when something starts QuickBooks here: the one a person
        last started (FIELD: with several versions installed, the SDK launches the QuickBooks
        last run on the computer; which one exactly is assumed), the newest before anyone did."""
        started = self.host.quickbooks.started_year
        return started if started in self.installed_years else max(self.installed_years)

    # --- opening and closing --------------------------------------------------------
    def open_company_file(self, path: str, user: str = "Admin", password: str = "", mode: str = MULTI_USER, year: int | None = None) -> OpenedFile:
        """A person opens a company file, as File > Open Company does; with `year`, in that
        installed year-version of QuickBooks (its own desktop icon), not the newest."""
        if mode not in (SINGLE_USER, MULTI_USER):
            raise ConfigurationError(f"QuickBooks mode must be {SINGLE_USER!r} or {MULTI_USER!r}, not {mode!r}")
        self._start_year(max(self.installed_years) if year is None else int(year))
        if self.remote_user is None:
            self.host.require_session("open QuickBooks")
        elif not self.host.has_remote_session(self.remote_user):
            raise HostUnavailableError(f"{self.remote_user} has no Remote Desktop session on {self.host.name}: cannot open QuickBooks")
        if self.opened is not None:
            self.close_company_file()
        location = self.world.network.resolve(self.host, path)
        if not location.host.fs.is_file(location.path):
            raise CompanyFileError(f"{self.where}: QuickBooks cannot find the company file {path!r}")
        files = self.world.open_company_files
        company = files.content(location, f"{self.host.name}:{path}")
        if company.version != self.year:
            raise CompanyFileError(
                f"{self.where}: QuickBooks {self.year} must upgrade {path!r} (a QuickBooks {company.version} file) before it can open it"
                if company.version < self.year else f"{self.where}: {path!r} is a QuickBooks {company.version} file, newer than QuickBooks {self.year}"
            )
        qb_user = company.check_login(user, password)
        check_mode_allows(files.uses(location), mode, path)
        use = FileUse(self.where, qb_user.name, mode, by_person=True)
        company = files.add(location, use, company)
        location.host.fs.hold(location.path, self.handle_name)
        self.opened = OpenedFile(path, location, mode, qb_user.name, use, company)
        self.opened_at = self.world.seconds
        self.world.record(self.where, "quickbooks.opened", path=path, user=qb_user.name, mode=mode)
        for popup in company.popups:
            self.show_dialog(popup)
        return self.opened

    def _start_year(self, year: int) -> None:
        if year not in self.installed_years:
            raise ConfigurationError(f"{self.where}: QuickBooks {year} is not installed (installed: {', '.join(map(str, self.installed_years))})")
        if year != self.year:
            self.world.record(self.where, "quickbooks.started_version", source="FIELD", year=year, installed=",".join(map(str, self.installed_years)))
        self.host.quickbooks.started_year = year

    def close_company_file(self) -> None:
        opened, self.opened = self.opened, None
        if opened is None:
            return
        self.world.open_company_files.remove(opened.location, opened.use)
        opened.location.host.fs.release(opened.location.path, self.handle_name)
        self.dialogs.clear()
        self.world.record(self.where, "quickbooks.closed", path=opened.path, user=opened.user)

    def on_host_stopped(self, reason: str) -> None:
        # Asleep: QuickBooks stays open in memory. Off or logged out: it is gone, hidden ones too.
        if reason != "asleep":
            self.close_company_file()
            for session in self.hidden_instances:
                self.world.open_company_files.remove(session.location, session.use)
                session.location.host.fs.release(session.location.path, f"{self.handle_name}/{session.app_name}")
            self.hidden_instances = []

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
        opened = self.opened
        if opened is None or not opened.company.user(opened.user).is_admin or opened.mode != SINGLE_USER:
            raise CompanyFileError(f"{self.where}: only the Admin, in single-user mode, can change Integrated Applications preferences")
        grant = next((g for g in opened.company.authorizations if g.app_name.casefold() == app_name.casefold()), None)
        if grant is None:
            raise CompanyFileError(f"{self.where}: no integrated application named {app_name!r} in this company file")
        grant.allowed = allowed
        self.save()
        self.world.record(self.where, "quickbooks.integrated_access", source="PG", app=grant.app_name, allowed=allowed)

    def enter_transaction(self, kind: str, record: dict) -> dict:
        """A person saves an invoice or a payment in the open file."""
        company = self.opened.company
        saved = {"TxnID": company.new_id(), **record, "TimeModified": qb_time(self.world.now)}
        company.records[kind].append(saved)
        self.save()
        return saved

    def slowdown_factor(self) -> float:
        """How much longer QuickBooks work takes now on this host (assumed model)."""
        sessions = self.sdk_sessions
        if self.opened is not None:
            sessions = max(sessions, sum(1 for u in self.world.open_company_files.uses(self.opened.location) if not u.by_person))
        return 1.0 + SLOWDOWN_PER_SYNC * sessions


def check_mode_allows(uses: list[FileUse], mode: str, path: str) -> None:
    """QuickBooks' rule for sharing a file: single-user admits nobody else."""
    single = [u for u in uses if u.mode == SINGLE_USER]
    if single:
        raise CompanyFileError(f"{path!r} is open in single-user mode by {single[0].describe()}")
    if mode == SINGLE_USER and uses:
        raise CompanyFileError(f"{path!r} cannot be opened in single-user mode: it is in use by {uses[0].describe()}")
