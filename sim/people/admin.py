"""What an administrator does to company files and QuickBooks, as the article names it.

Each action is an ordinary operation on the simulated office (a rename or move on
the fake filesystem, opening QuickBooks as Admin in single-user mode, closing
pop-ups, Windows' own refusal to rename a file that is open) and writes one
trace event, so a scenario shows who did what and when. None of them knows what
the action will do to Web Connector: that follows from the mechanisms.
"""

from __future__ import annotations

import ntpath
from typing import TYPE_CHECKING

from sim.errors import CompanyFileError, FileOperationError
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.open_files import SINGLE_USER
from sim.quickbooks.request_processor import WHOLE_FILE

if TYPE_CHECKING:
    from sim.quickbooks.desktop import OpenedFile
    from sim.windows.host import Host

__all__ = [
    "rename_company_file",
    "rename_folder",
    "move_company_file",
    "open_as_admin_single_user",
    "dismiss_popups",
    "close_quickbooks",
    "leave_popup",
    "link_company_file",
    "connect_with_qwc",
    "verify_data",
]


def rename_company_file(host: Host, path: str, new_name: str) -> str:
    """Rename the .QBW file in its folder; returns the new path."""
    target = ntpath.join(ntpath.dirname(path), new_name)
    host.world.network.move(host, path, target)
    host.world.record(host.name, "admin.renamed_file", source="ART", old=path, new=target)
    return target


def rename_folder(host: Host, folder: str, new_name: str) -> str:
    """Rename a folder (any level of a file's path); returns the folder's new path."""
    target = ntpath.join(ntpath.dirname(folder.rstrip("\\")), new_name)
    host.world.network.move(host, folder, target)
    host.world.record(host.name, "admin.renamed_folder", source="ART", old=folder, new=target)
    return target


def move_company_file(host: Host, path: str, target: str) -> str:
    """Move the file to another folder, or (by UNC or mapped path) to another computer."""
    host.world.network.move(host, path, target)
    host.world.record(host.name, "admin.moved_file", source="ART", old=path, new=target)
    return target


def copy_company_file(host: Host, path: str, target: str) -> str:
    """Copy the file (to a folder or a full path, local, UNC or mapped): the copy is a second company
    file with the same content, FileIDs and approvals; the original stays where it was."""
    network = host.world.network
    source = network.resolve(host, path)
    if not target.upper().endswith(".QBW"):
        target = ntpath.join(target, ntpath.basename(path))
    destination = network.resolve(host, target)
    if destination.host.fs.exists(destination.path):
        raise FileOperationError(f"{host.name}: cannot copy to {target!r}: a file is already there")
    destination.host.fs.write_bytes(destination.path, source.host.fs.read_bytes(source.path))
    host.world.record(host.name, "admin.copied_file", source="FIELD", old=path, new=target)
    return target


def install_quickbooks(host: Host, year: int) -> None:
    """Install another year-version of QuickBooks beside the ones there; the newest starts from now on."""
    desktop = host.quickbooks
    desktop.installed_years = tuple(sorted(set(desktop.installed_years) | {int(year)}))
    desktop.started_year = None  # the installer ends by starting the new version
    host.world.record(
        host.name,
        "quickbooks.installed",
        source="FIELD",
        year=int(year),
        installed=",".join(map(str, desktop.installed_years)),
    )


def upgrade_company_file(host: Host, path: str, year: int) -> str:
    """QuickBooks `year` upgrades the file as its Admin, in place, after making a backup beside it (every
    public guide describes it so: FIELD, Intuit's "supporting your user" page and vendors' upgrade
    notes; DOMAIN.md section 9.6: no source shows a renamed copy). The path stays the same; the backup
    (`<name> (before <year> upgrade).QBB`, its name assumed) is not a company file QuickBooks opens.
    Returns the upgraded file's path."""
    company = CompanyFile.load(host, path)
    stem, _ = ntpath.splitext(path)
    backup = f"{stem} (before {int(year)} upgrade).QBB"
    where = host.world.network.resolve(host, backup)
    where.host.fs.write_bytes(where.path, company.to_bytes())
    company.version = int(year)
    company.save(host, path)
    host.world.record(host.name, "admin.upgraded_file", source="FIELD", path=path, backup=backup, year=int(year))
    return path


def open_as_admin_single_user(host: Host, path: str, password: str = "") -> OpenedFile:
    """ART recovery step 4: open the file as the file admin, in single-user mode."""
    return host.quickbooks.open_company_file(path, "Admin", password, SINGLE_USER)


def dismiss_popups(host: Host) -> list[str]:
    return host.quickbooks.dismiss_dialogs()


def close_quickbooks(host: Host) -> None:
    host.quickbooks.close_company_file()


def leave_popup(host: Host, path: str, text: str) -> None:
    """Something (a QuickBooks upgrade, a backup reminder) leaves a pop-up for the next open."""
    company = CompanyFile.load(host, path)
    company.popups.append(text)
    company.save(host, path)
    host.world.record(host.name, "quickbooks.popup_pending", source="SDK", path=path, text=text)


def link_company_file(
    host: Host,
    path: str,
    organization,
    integration,
    by: str,
    admin_password: str = "",
    access: str = "always",
    login_as: str = "Admin",
) -> str:
    """Link a company file the normal way (the article's "How to Add a New QuickBooks
    Desktop Integration"): authorize this computer in STRATAFOLIO, download its QWC,
    open the file as Admin, add the QWC in Web Connector granting access, set the
    password, and run the first sync while the file is still open, which is how
    STRATAFOLIO learns the file's path (PG ch.10: the service remembers
    strCompanyFileName and returns it from authenticate); close QuickBooks. Returns
    the application's name. The first sync takes simulated time: the world runs."""
    computer = organization.authorize_computer(by, integration, host.name)
    qwc_path = organization.download_qwc(by, integration, computer, host)
    name = connect_with_qwc(
        host, path, qwc_path, computer.password, admin_password, access, keep_open=True, login_as=login_as
    )
    try:
        first_sync(host, name)
    finally:
        close_quickbooks(host)
    return name


#: How long (simulated) the first sync at linking may take before the linking gives up waiting.
FIRST_SYNC_LIMIT_MINUTES = 120


def first_sync(host: Host, app_name: str):
    """Update Selected for one application, the world running until it ends (bounded)."""
    world = host.world
    process = host.web_connector().update_selected([app_name])
    # Run exactly until the sync ends (bounded), so linking takes only the time the sync takes.
    world.env.run(until=world.env.any_of([process, world.env.timeout(FIRST_SYNC_LIMIT_MINUTES * 60)]))
    result = process.value[0] if process.triggered and process.value else None
    host.world.record(
        host.name,
        "admin.first_sync",
        source="assumed",
        app=app_name,
        outcome=result.outcome if result else "unfinished",
    )
    return result


def connect_with_qwc(
    host: Host,
    path: str,
    qwc_path: str,
    password: str,
    admin_password: str = "",
    access: str = "always",
    keep_open: bool = False,
    login_as: str = "Admin",
) -> str:
    """Open the file as Admin with no pop-ups, add the QWC in Web Connector granting
    `access`, enter the service's password, and close QuickBooks unless `keep_open`.
    Returns the app's name."""
    open_as_admin_single_user(host, path, admin_password)
    dismiss_popups(host)
    connector = host.web_connector()
    try:
        app = connector.add_application(qwc_path, access=access, login_as=login_as)
    except BaseException:
        close_quickbooks(host)
        raise
    if not keep_open:
        close_quickbooks(host)
    connector.set_password(app.name, password)
    return app.name


def verify_data(host: Host, minutes: float = 20.0):
    """The Admin runs File > Utilities > Verify Data: QuickBooks locks the whole file
    for the duration (assumed length). Returns the SimPy process."""
    opened = host.quickbooks.opened
    if opened is None:
        raise CompanyFileError(f"{host.name}: open the company file before verifying it")
    files = host.world.open_company_files
    holder = f"{opened.user}@{host.name}"

    def verifying():
        files.lock(opened.location, WHOLE_FILE, holder)
        host.world.record(host.name, "admin.verify_data", source="assumed", minutes=minutes)
        try:
            yield host.world.env.timeout(minutes * 60)
        finally:
            files.unlock(opened.location, WHOLE_FILE, holder)

    return host.world.process(verifying())
