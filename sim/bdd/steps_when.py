"""When-steps: what people do in QuickBooks, Windows, Web Connector and STRATAFOLIO.

Steps that the article expects to succeed raise when they do not; steps worded
"tries to" record the refusal for a Then-step to examine.
"""

from __future__ import annotations

import ntpath

from pytest_bdd import parsers, when

from sim.bdd.context import ScenarioContext
from sim.errors import PermissionDeniedError, QWCError, SimError
from sim.office import ADMIN_EMAIL
from sim.bdd.steps_given import HOST
from sim.people.admin import close_quickbooks, copy_company_file, dismiss_popups, move_company_file, open_as_admin_single_user, rename_company_file, rename_folder
from sim.quickbooks.open_files import MULTI_USER
from sim.windows.filesystem import relocated


# --- changing the file -----------------------------------------------------------------------
@when(parsers.parse('the company file "{company}" is renamed to "{new_name}"'))
def rename_file(wcsim: ScenarioContext, company: str, new_name: str):
    host, path = wcsim.location(company)
    wcsim.original.setdefault(company, path)
    wcsim.locations[company] = (host, rename_company_file(host, path, new_name))


@when(parsers.parse('the company file "{company}" is renamed back to its original name'))
def rename_back(wcsim: ScenarioContext, company: str):
    host, path = wcsim.location(company)
    original = wcsim.original.get(company)
    if original is None:
        wcsim.fail(f"{company!r} was never renamed")
    wcsim.locations[company] = (host, rename_company_file(host, path, ntpath.basename(original)))


@when(parsers.parse('the folder "{folder}" is renamed to "{new_name}"'))
def rename_a_folder(wcsim: ScenarioContext, folder: str, new_name: str):
    host = wcsim.require_office().server
    new_folder = rename_folder(host, folder, new_name)
    for company, (where, path) in list(wcsim.locations.items()):
        moved = relocated(path, folder, new_folder) if where is host else None
        if moved:
            wcsim.original.setdefault(company, path)
            wcsim.locations[company] = (host, moved)


@when(parsers.parse('the company file "{company}" is moved to "{target}"'))
def move_file(wcsim: ScenarioContext, company: str, target: str):
    host, path = wcsim.location(company)
    wcsim.original.setdefault(company, path)
    move_company_file(host, path, target)
    where = wcsim.world.network.resolve(host, target)
    wcsim.locations[company] = (where.host, where.path)


@when(parsers.parse('the company file "{company}" is moved to the new server "{name}"'))
def move_to_new_server(wcsim: ScenarioContext, company: str, name: str):
    world = wcsim.world
    server = world.add_server(name, drives=("C", "D"), logged_in="Administrator")
    world.network.share(server, "QBData", r"D:\QBData")
    host, path = wcsim.location(company)
    wcsim.original.setdefault(company, path)
    target = f"\\\\{name}\\QBData\\{ntpath.basename(path)}"
    move_company_file(host, path, target)
    wcsim.locations[company] = (server, f"D:\\QBData\\{ntpath.basename(path)}")


# --- QuickBooks ----------------------------------------------------------------------------------
@when(parsers.re(r'^the QuickBooks Admin opens "(?P<company>[^"]+)" in single-user mode and (?P<popups>closes every pop-up|leaves the pop-ups open)$'))
def admin_opens(wcsim: ScenarioContext, company: str, popups: str):
    host, path = wcsim.location(company)
    open_as_admin_single_user(host, path)
    if popups.startswith("closes"):
        dismiss_popups(host)


@when(parsers.parse('the QuickBooks user "{user}" opens "{company}"'))
def user_opens(wcsim: ScenarioContext, user: str, company: str):
    host, path = wcsim.location(company)
    host.quickbooks.open_company_file(path, user, mode=MULTI_USER)


@when("the QuickBooks Admin closes QuickBooks")
def admin_closes(wcsim: ScenarioContext):
    for host in wcsim.world.hosts.values():
        if host.open_company_file is not None and host.open_company_file.user == "Admin":
            close_quickbooks(host)


# --- STRATAFOLIO --------------------------------------------------------------------------------
@when(parsers.parse('an Administrator authorizes a new computer in STRATAFOLIO for "{company}"'))
def authorize(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    host, _ = wcsim.location(company)
    if company in wcsim.computers:
        wcsim.old_computers[company] = wcsim.computers[company]
    elif office.integrations[company].computers:
        wcsim.old_computers[company] = office.integrations[company].computers[-1]
    wcsim.computers[company] = office.organization.authorize_computer(ADMIN_EMAIL, office.integrations[company], host.name)


@when(parsers.parse('the QWC file for the new authorized computer of "{company}" is downloaded'))
def download(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    host, _ = wcsim.location(company)
    if company in wcsim.qwc:
        wcsim.old_qwc[company] = wcsim.qwc[company]
    wcsim.qwc[company] = office.organization.download_qwc(ADMIN_EMAIL, office.integrations[company], wcsim.computers[company], host)


@when(parsers.parse('the authorized computer for "{company}" is deleted in STRATAFOLIO'))
def delete_computer(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    integration = office.integrations[company]
    for computer in integration.active_computers:
        office.organization.delete_authorized_computer(ADMIN_EMAIL, integration, computer)


@when(parsers.re(r'^"(?P<email>[^"]+)" tries to (?P<action>delete the authorized computer|authorize a new computer) for "(?P<company>[^"]+)"$'))
def member_tries(wcsim: ScenarioContext, email: str, action: str, company: str):
    office = wcsim.require_office()
    integration = office.integrations[company]
    try:
        if action.startswith("delete"):
            office.organization.delete_authorized_computer(email, integration, integration.active_computers[0])
        else:
            office.organization.authorize_computer(email, integration, office.server.name)
    except PermissionDeniedError as error:
        wcsim.errors.append(error)


# --- Web Connector ---------------------------------------------------------------------------------
@when(parsers.parse('the QWC file is added in Web Connector for "{company}" and the Admin grants access "{access}"'))
def add_qwc(wcsim: ScenarioContext, company: str, access: str):
    host, _ = wcsim.location(company)
    app = host.web_connector().add_application(wcsim.qwc[company], access=access)
    wcsim.require_office().apps[company] = app.name
    wcsim.wc_host[company] = host


@when(parsers.re(r'^someone tries to add (?P<which>the QWC file|the old QWC file) in Web Connector for "(?P<company>[^"]+)"$'))
def try_add_qwc(wcsim: ScenarioContext, which: str, company: str):
    host, _ = wcsim.location(company)
    if which == "the old QWC file":
        qwc = wcsim.old_qwc.get(company) or _first_qwc(host)
    else:
        qwc = wcsim.qwc[company]
    try:
        app = host.web_connector().add_application(qwc)
        wcsim.require_office().apps[company] = app.name
        wcsim.wc_host[company] = host
    except QWCError as error:
        wcsim.errors.append(error)


def _first_qwc(host) -> str:
    found = host.fs.files_below(r"C:\Users", ".qwc")
    if not found:
        raise AssertionError(f"no QWC file was ever downloaded on {host.name}")
    return found[0]


@when(parsers.parse('the password from STRATAFOLIO is entered in Web Connector for "{company}"'))
def enter_password(wcsim: ScenarioContext, company: str):
    wcsim.connector(company).set_password(wcsim.app(company), wcsim.computers[company].password)


@when(parsers.re(r'^(?P<names>(?:"[^"]+"(?:, | and )?)+) (?:is|are) synced in Web Connector$'))
def sync_some(wcsim: ScenarioContext, names: str):
    from sim.bdd.steps_given import quoted

    wcsim.sync(list(quoted(names)))


@when("all integrations are synced in Web Connector")
def sync_all(wcsim: ScenarioContext):
    wcsim.sync("all")


@when(parsers.parse('the integration for "{company}" is removed from Web Connector'))
def remove(wcsim: ScenarioContext, company: str):
    wcsim.mark = len(wcsim.world.trace)
    wcsim.removed[company] = wcsim.connector(company).remove_application(wcsim.app(company))


@when(parsers.parse('the integration for "{company}" is force-removed from the registry'))
def force_remove(wcsim: ScenarioContext, company: str):
    wcsim.connector(company).force_removal(wcsim.app(company))


@when(parsers.parse('the simulation runs until "{moment}"'))
def run_until(wcsim: ScenarioContext, moment: str):
    try:
        wcsim.run_until(moment)
    except SimError as error:
        wcsim.fail(f"the simulation stopped with an error: {error}")


# --- the Web Connector program and QuickBooks users (the failures customers report) -------------
@when(parsers.re(rf"^Web Connector is (?P<action>exited|started) on {HOST}$"))
def exit_or_start_web_connector(wcsim: ScenarioContext, action: str, host: str):
    wcsim.mark = len(wcsim.world.trace)
    connector = wcsim.host(host).web_connector()
    try:
        connector.exit() if action == "exited" else connector.start()
    except SimError as error:
        wcsim.fail(f"Web Connector could not be {action} on {host}: {error}")


# --- computers and Windows ----------------------------------------------------------------------
@when(parsers.re(rf"^{HOST} (?P<change>goes to sleep|wakes up|is switched off|is switched on|restarts for a Windows Update)$"))
def power(wcsim: ScenarioContext, host: str, change: str):
    computer = wcsim.host(host)
    wanted_before = {"goes to sleep": "on", "wakes up": "asleep", "is switched off": None, "is switched on": "off", "restarts for a Windows Update": "on"}[change]
    if wanted_before and computer.power.value != wanted_before:
        wcsim.fail(f"{computer.name} is {computer.power.value}, so it cannot be that it {change}")
    wcsim.mark = len(wcsim.world.trace)
    {"goes to sleep": computer.sleep, "wakes up": computer.wake, "is switched off": computer.shut_down,
     "is switched on": computer.boot, "restarts for a Windows Update": computer.restart}[change]()


@when(parsers.re(rf'^"(?P<user>[^"]+)" logs in to Windows on {HOST}$'))
def windows_log_in(wcsim: ScenarioContext, user: str, host: str):
    try:
        wcsim.host(host).log_in(user)
    except SimError as error:
        wcsim.fail(f"{user!r} cannot log in to {host}: {error}")


@when(parsers.re(rf"^the Windows user logs out of {HOST}$"))
def windows_log_out(wcsim: ScenarioContext, host: str):
    computer = wcsim.host(host)
    if computer.logged_in is None:
        wcsim.fail(f"nobody is logged in to {computer.name}")
    computer.log_out()


@when(parsers.re(r'^an Administrator authorizes the computer "(?P<computer>[^"]+)" in STRATAFOLIO for "(?P<company>[^"]+)"$'))
def authorize_named_computer(wcsim: ScenarioContext, computer: str, company: str):
    office = wcsim.require_office()
    host = wcsim.host(computer)
    wcsim.computers[company] = office.organization.authorize_computer(ADMIN_EMAIL, office.integrations[company], host.name)


@when(parsers.parse('the QuickBooks Admin removes the user "{user}" from "{company}"'))
def remove_quickbooks_user(wcsim: ScenarioContext, user: str, company: str):
    from sim.quickbooks.company_file import CompanyFile

    host, path = wcsim.location(company)
    file = CompanyFile.load(host, path)
    try:
        file.remove_user(user)
    except SimError as error:
        wcsim.fail(f"cannot remove {user!r} from {company!r}: {error}")
    file.save(host, path)


@when(parsers.parse('the company file "{company}" is copied to "{target}"'))
def copy_file(wcsim: ScenarioContext, company: str, target: str):
    host, path = wcsim.location(company)
    try:
        copy_company_file(host, path, target)
    except SimError as error:
        wcsim.fail(f"cannot copy {company!r} to {target!r}: {error}")


@when(parsers.parse('the QuickBooks Admin changes the password of "{user}" in "{company}"'))
def change_quickbooks_password(wcsim: ScenarioContext, user: str, company: str):
    from sim.quickbooks.company_file import CompanyFile

    host, path = wcsim.location(company)
    file = CompanyFile.load(host, path)
    file.change_password(user, f"{user}-new-password")
    file.save(host, path)


@when(parsers.parse('the QuickBooks Admin approves the access of "{company}" again in Integrated Applications'))
def approve_again(wcsim: ScenarioContext, company: str):
    """Edit > Preferences > Integrated Applications, as the Admin in single-user mode: the automatic login
    revoked, saved and granted again ("Yes, always"), for the Web Connector as it is now."""
    host, path = wcsim.location(company)
    connector = wcsim.connector(company)
    open_as_admin_single_user(host, path, _admin_password(host, path))
    try:
        host.quickbooks.grant_again(connector.application(wcsim.app(company)).owner_id, connector.certificate)
    except SimError as error:
        wcsim.fail(f"cannot approve the access of {company!r} again: {error}")
    finally:
        close_quickbooks(host)


def _admin_password(host, path: str) -> str:
    from sim.quickbooks.company_file import CompanyFile

    return CompanyFile.load(host, path).user("Admin").password


@when(parsers.parse('Web Connector on the server is updated to version "{version}"'))
def update_web_connector(wcsim: ScenarioContext, version: str):
    wcsim.require_office().web_connector.upgrade(version)


@when(parsers.parse('Web Connector loses the password of "{company}"'))
def lose_password(wcsim: ScenarioContext, company: str):
    wcsim.connector(company).forget_password(wcsim.app(company))


# --- what integration vendors document (issue 22) ------------------------------------------------
@when(parsers.re(rf"^QuickBooks on {HOST} installs a maintenance update$"))
def quickbooks_update(wcsim: ScenarioContext, host: str):
    wcsim.host(host).quickbooks.install_update()


@when(parsers.re(rf"^the QuickBooks Admin closes the company file on {HOST} and leaves QuickBooks open$"))
def close_company_keep_quickbooks(wcsim: ScenarioContext, host: str):
    """File > Close Company: QuickBooks stays at the "No Company Open" window."""
    wcsim.host(host).quickbooks.close_company()


@when(parsers.re(rf"^Web Connector's certificate on {HOST} expires$"))
def certificate_expires(wcsim: ScenarioContext, host: str):
    wcsim.host(host).web_connector().certificate_expired = True


@when(parsers.re(rf'^Web Connector on {HOST} is ended in Task Manager during a sync of "(?P<company>[^"]+)" and started again$'))
def end_web_connector_mid_sync(wcsim: ScenarioContext, host: str, company: str):
    """Update Selected, a few seconds (QuickBooks still starting in the background), End task, start again."""
    computer = wcsim.host(host)
    connector = computer.web_connector()
    connector.update_selected([wcsim.app(company)])
    wcsim.world.run(until=wcsim.world.seconds + 6)
    connector.end_task()
    connector.start()


@when(parsers.re(rf"^the QuickBooks processes running in the background on {HOST} are ended in Task Manager$"))
def end_background_quickbooks(wcsim: ScenarioContext, host: str):
    if not wcsim.host(host).quickbooks.end_background_quickbooks():
        wcsim.fail(f"no QuickBooks ran in the background on {wcsim.host(host).name}")


@when(parsers.re(rf"^the security software on {HOST} (?P<change>starts closing Web Connector's connections|gets Web Connector added to its exceptions)$"))
def security_software(wcsim: ScenarioContext, host: str, change: str):
    from sim.windows.security_software import WEB_CONNECTOR_PROGRAM

    software = wcsim.host(host).security
    (software.block if change.startswith("starts") else software.allow)(WEB_CONNECTOR_PROGRAM)


@when(parsers.re(rf"^a power cut leaves QWCLog.txt on {HOST} corrupt$"))
def corrupt_log(wcsim: ScenarioContext, host: str):
    from sim.webconnector.log_health import damage_log

    damage_log(wcsim.host(host), "corrupt")


@when(parsers.re(rf"^QWCLog.txt on {HOST} is deleted and Web Connector restarted$"))
def delete_log_and_restart(wcsim: ScenarioContext, host: str):
    from sim.webconnector.log_health import delete_log

    computer = wcsim.host(host)
    delete_log(computer)
    computer.web_connector().exit()
    computer.web_connector().start()


@when(parsers.parse('the QuickBooks Admin sets the closing date of "{company}" to "{date}"'))
def set_closing_date(wcsim: ScenarioContext, company: str, date: str):
    """Edit > Preferences > Accounting > Company Preferences, as the Admin: the closing date and its password."""
    _closing_date(wcsim, company, date)


@when(parsers.parse('the QuickBooks Admin removes the closing date of "{company}"'))
def remove_closing_date(wcsim: ScenarioContext, company: str):
    _closing_date(wcsim, company, "")


def _closing_date(wcsim: ScenarioContext, company: str, date: str) -> None:
    host, path = wcsim.location(company)
    desktop = host.quickbooks
    opened = open_as_admin_single_user(host, path, _admin_password(host, path))
    try:
        desktop.set_closing_date(date)
    finally:
        if desktop.opened is opened:
            close_quickbooks(host)


@when(parsers.parse('a STRATAFOLIO user changes the amount of invoice "{ref}" of "{company}" to "{amount}"'))
def change_invoice(wcsim: ScenarioContext, ref: str, company: str, amount: str):
    try:
        wcsim.require_office().integrations[company].change_invoice(ref, amount)
    except SimError as error:
        wcsim.fail(str(error))


@when(parsers.parse('the QuickBooks user "{user}" edits invoice "{ref}" of "{company}"'))
def edit_invoice(wcsim: ScenarioContext, user: str, ref: str, company: str):
    """Opens the file, changes the invoice's memo, saves it and closes QuickBooks."""
    host, path = wcsim.location(company)
    host.quickbooks.open_company_file(path, user, _user_password(host, path, user), mode=MULTI_USER)
    try:
        host.quickbooks.edit_invoice(ref, "Edited in QuickBooks")
    except SimError as error:
        wcsim.fail(str(error))
    finally:
        close_quickbooks(host)


def _user_password(host, path: str, user: str) -> str:
    from sim.quickbooks.company_file import CompanyFile

    return CompanyFile.load(host, path).user(user).password
