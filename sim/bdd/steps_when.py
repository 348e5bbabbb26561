"""When-steps: what people do in QuickBooks, Windows, Web Connector and STRATAFOLIO.

Steps that the article expects to succeed raise when they do not; steps worded
"tries to" record the refusal for a Then-step to examine. Every action a scenario
file's timeline can take has a step here (`sim.bdd.catalogue.SCENARIO_ACTIONS` lists
which), and each can also happen later as a timed Given (`Given <step> at "19:00"`).
None of them moves the Then-steps' window: that starts with the first When of a run of them.
"""

from __future__ import annotations

import ntpath

from pytest_bdd import parsers, when

from sim.bdd.context import ScenarioContext
from sim.bdd.steps_given import HOST
from sim.errors import PermissionDeniedError, QWCError, SimError
from sim.office import ADMIN_EMAIL
from sim.people.admin import (
    close_quickbooks,
    copy_company_file,
    dismiss_popups,
    move_company_file,
    open_as_admin_single_user,
    rename_company_file,
    rename_folder,
    upgrade_company_file,
)
from sim.people.admin import install_quickbooks as admin_install_quickbooks
from sim.quickbooks.open_files import MULTI_USER
from sim.scenario_run import (
    change_company_preferences,
    change_company_users,
    change_customer,
    change_service,
    expire_qbwc_certificate,
    grant_access_again,
    run_as_administrator,
    set_security_software,
)
from sim.windows.dotnet_tls import set_dotnet_tls
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
    server = wcsim.add_computer(name, "server")
    host, path = wcsim.location(company)
    wcsim.original.setdefault(company, path)
    target = f"\\\\{name}\\QBData\\{ntpath.basename(path)}"
    move_company_file(host, path, target)
    wcsim.locations[company] = (server, f"D:\\QBData\\{ntpath.basename(path)}")


# --- QuickBooks ----------------------------------------------------------------------------------
@when(
    parsers.re(
        r'^the QuickBooks Admin opens "(?P<company>[^"]+)" in single-user mode(?: on '
        rf"{HOST})? and (?P<popups>closes every pop-up|leaves the pop-ups open)$"
    )
)
def admin_opens(wcsim: ScenarioContext, company: str, popups: str, host: str | None):
    computer = wcsim.host(host) if host else wcsim.location(company)[0]
    open_as_admin_single_user(computer, wcsim.path_seen_from(computer, company))
    if popups.startswith("closes"):
        dismiss_popups(computer)


@when(parsers.re(rf'^the QuickBooks user "(?P<user>[^"]+)" opens "(?P<company>[^"]+)"(?: on {HOST})?$'))
def user_opens(wcsim: ScenarioContext, user: str, company: str, host: str | None):
    computer = wcsim.host(host) if host else wcsim.location(company)[0]
    computer.quickbooks.open_company_file(wcsim.path_seen_from(computer, company), user, mode=MULTI_USER)


@when(parsers.re(rf"^the pop-ups of QuickBooks on {HOST} are closed$"))
def close_popups(wcsim: ScenarioContext, host: str):
    dismiss_popups(wcsim.host(host))


@when(parsers.re(rf"^QuickBooks is closed on {HOST}$"))
def quickbooks_closed(wcsim: ScenarioContext, host: str):
    close_quickbooks(wcsim.host(host))


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
    wcsim.computers[company] = office.organization.authorize_computer(
        ADMIN_EMAIL, office.integrations[company], host.name
    )


@when(parsers.parse('the QWC file for the new authorized computer of "{company}" is downloaded'))
def download(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    host, _ = wcsim.location(company)
    if company in wcsim.qwc:
        wcsim.old_qwc[company] = wcsim.qwc[company]
    wcsim.qwc[company] = office.organization.download_qwc(
        ADMIN_EMAIL, office.integrations[company], wcsim.computers[company], host
    )


@when(parsers.parse('the authorized computer for "{company}" is deleted in STRATAFOLIO'))
def delete_computer(wcsim: ScenarioContext, company: str):
    office = wcsim.require_office()
    integration = office.integrations[company]
    for computer in integration.active_computers:
        office.organization.delete_authorized_computer(ADMIN_EMAIL, integration, computer)


@when(
    parsers.re(
        r'^"(?P<email>[^"]+)" tries to (?P<action>delete the authorized computer|authorize '
        r'a new computer) for "(?P<company>[^"]+)"$'
    )
)
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


@when(
    parsers.re(
        r'^someone tries to add (?P<which>the QWC file|the old QWC file) in Web Connector for "(?P<company>[^"]+)"$'
    )
)
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
    connector = wcsim.host(host).web_connector()
    try:
        connector.exit() if action == "exited" else connector.start()
    except SimError as error:
        wcsim.fail(f"Web Connector could not be {action} on {host}: {error}")


# --- computers and Windows ----------------------------------------------------------------------
@when(
    parsers.re(
        rf"^{HOST} (?P<change>goes to sleep|wakes up|is switched off|is switched on|restarts for a Windows Update)$"
    )
)
def power(wcsim: ScenarioContext, host: str, change: str):
    computer = wcsim.host(host)
    wanted_before = {
        "goes to sleep": "on",
        "wakes up": "asleep",
        "is switched off": None,
        "is switched on": "off",
        "restarts for a Windows Update": "on",
    }[change]
    if wanted_before and computer.power.value != wanted_before:
        wcsim.fail(f"{computer.name} is {computer.power.value}, so it cannot be that it {change}")
    {
        "goes to sleep": computer.sleep,
        "wakes up": computer.wake,
        "is switched off": computer.shut_down,
        "is switched on": computer.boot,
        "restarts for a Windows Update": computer.restart,
    }[change]()


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


@when(
    parsers.re(
        r'^an Administrator authorizes the computer "(?P<computer>[^"]+)" in STRATAFOLIO for "(?P<company>[^"]+)"$'
    )
)
def authorize_named_computer(wcsim: ScenarioContext, computer: str, company: str):
    office = wcsim.require_office()
    host = wcsim.host(computer)
    wcsim.computers[company] = office.organization.authorize_computer(
        ADMIN_EMAIL, office.integrations[company], host.name
    )


@when(parsers.parse('the QuickBooks Admin removes the user "{user}" from "{company}"'))
def remove_quickbooks_user(wcsim: ScenarioContext, user: str, company: str):
    _change_users(wcsim, company, "delete_qb_user", user, lambda file: file.remove_user(user))


@when(parsers.parse('the company file "{company}" is copied to "{target}"'))
def copy_file(wcsim: ScenarioContext, company: str, target: str):
    host, path = wcsim.location(company)
    try:
        copy_company_file(host, path, target)
    except SimError as error:
        wcsim.fail(f"cannot copy {company!r} to {target!r}: {error}")


@when(parsers.parse('the QuickBooks Admin changes the password of "{user}" in "{company}"'))
def change_quickbooks_password(wcsim: ScenarioContext, user: str, company: str):
    _change_users(
        wcsim, company, "change_qb_password", user, lambda file: file.change_password(user, f"{user}-new-password")
    )


@when(parsers.parse('the QuickBooks Admin restricts the user "{user}" in "{company}"'))
def restrict_quickbooks_user(wcsim: ScenarioContext, user: str, company: str):
    """Company > Users > Edit: the user's rights narrowed (no Customers & Receivables)."""
    _change_users(wcsim, company, "restrict_qb_user", user, lambda file: file.restrict_user(user))


def _change_users(wcsim: ScenarioContext, company: str, action: str, user: str, change) -> None:
    try:
        change_company_users(wcsim.world, *wcsim.location(company), action, user, change)
    except SimError as error:
        wcsim.fail(f"the QuickBooks Admin cannot change the user {user!r} of {company!r}: {error}")


@when(parsers.parse('the QuickBooks Admin approves the access of "{company}" again in Integrated Applications'))
def approve_again(wcsim: ScenarioContext, company: str):
    """Edit > Preferences > Integrated Applications, as the Admin in single-user mode: the automatic login
    revoked, saved and granted again ("Yes, always"), for the Web Connector as it is now."""
    try:
        grant_access_again(*wcsim.location(company), wcsim.connector(company), wcsim.app(company))
    except SimError as error:
        wcsim.fail(f"cannot approve the access of {company!r} again: {error}")


@when(parsers.re(rf'^Web Connector on {HOST} is updated to version "(?P<version>[^"]+)"$'))
def update_web_connector(wcsim: ScenarioContext, host: str, version: str):
    wcsim.host(host).web_connector().upgrade(version)


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


@when(
    parsers.re(
        rf'^Web Connector on {HOST} is ended in Task Manager during a sync of "(?P<company>[^"]+)" and started again$'
    )
)
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


@when(
    parsers.re(
        rf"^the security software on {HOST} (?P<change>starts closing Web Connector's "
        r"connections|gets Web Connector added to its exceptions)$"
    )
)
def security_software(wcsim: ScenarioContext, host: str, change: str):
    set_security_software(wcsim.host(host), blocks=change.startswith("starts"))


@when(parsers.re(rf"^the .NET Framework on {HOST} (?P<change>offers only TLS 1.0|gets TLS 1.2 enabled)$"))
def dotnet_tls(wcsim: ScenarioContext, host: str, change: str):
    """An old .NET left without strong cryptography, or the vendors' fix (sim.windows.dotnet_tls)."""
    set_dotnet_tls(wcsim.host(host), "1.0" if change.startswith("offers") else "1.2")


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


@when(parsers.re(r'^the QuickBooks Admin sets the closing date of "(?P<company>[^"]+)" to "(?P<date>[^"]+)"$'))
def set_closing_date(wcsim: ScenarioContext, company: str, date: str):
    """Edit > Preferences > Accounting > Company Preferences, as the Admin: the closing date and its password."""
    _change_company(wcsim, company, "closing_date", lambda c: setattr(c, "closing_date", date), date=date)


@when(parsers.re(r'^the QuickBooks Admin removes the closing date of "(?P<company>[^"]+)"$'))
def remove_closing_date(wcsim: ScenarioContext, company: str):
    _change_company(wcsim, company, "closing_date", lambda c: setattr(c, "closing_date", ""), date="")


@when(
    parsers.re(
        r'^a STRATAFOLIO user changes the amount of invoice "(?P<ref>[^"]+)" of '
        r'"(?P<company>[^"]+)" to "(?P<amount>[^"]+)"$'
    )
)
def change_invoice(wcsim: ScenarioContext, ref: str, company: str, amount: str):
    try:
        wcsim.require_office().integrations[company].change_invoice(ref, amount)
    except SimError as error:
        wcsim.fail(str(error))


@when(parsers.re(r'^the QuickBooks user "(?P<user>[^"]+)" edits invoice "(?P<ref>[^"]+)" of "(?P<company>[^"]+)"$'))
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


@when(parsers.parse('Web Connector can no longer decrypt the password of "{company}"'))
def lose_key(wcsim: ScenarioContext, company: str):
    """Its encryption key lost (a new Windows profile, a restored registry): PG QBWC1029."""
    wcsim.connector(company).lose_key(wcsim.app(company))


@when(parsers.re(rf"^Web Connector's Startup setting on {HOST} is turned (?P<state>on|off)$"))
def startup_setting(wcsim: ScenarioContext, host: str, state: str):
    """Whether Web Connector starts when this Windows user logs on (its Startup shortcut)."""
    wcsim.host(host).web_connector().set_startup(state == "on")


@when(parsers.re(rf"^Web Connector's (?:code-signing )?certificate on {HOST} expires$"))
def qbwc_certificate_expires(wcsim: ScenarioContext, host: str):
    expire_qbwc_certificate(wcsim.host(host).web_connector())


@when(
    parsers.re(
        rf"^(?P<program>QuickBooks|Web Connector) on {HOST} is (?P<setting>set|no longer set) to run as administrator$"
    )
)
def set_run_as_administrator(wcsim: ScenarioContext, program: str, host: str, setting: str):
    """The "Run as administrator" compatibility setting of a program (FIELD: UAC and elevation)."""
    run_as_administrator(
        wcsim.host(host), "quickbooks" if program == "QuickBooks" else "web_connector", setting == "set"
    )


# --- the network, QuickBooks versions, permissions -------------------------------------------------
@when(parsers.re(rf'^{HOST} maps drive "(?P<letter>[A-Z]):" to "(?P<unc>[^"]+)"$'))
def map_drive(wcsim: ScenarioContext, host: str, letter: str, unc: str):
    try:
        wcsim.world.network.map_drive(wcsim.host(host), letter, unc)
    except SimError as error:
        wcsim.fail(f"{host} cannot map drive {letter}: to {unc!r}: {error}")


@when(parsers.re(rf'^{HOST} unmaps drive "(?P<letter>[A-Z]):"$'))
def unmap_drive(wcsim: ScenarioContext, host: str, letter: str):
    try:
        wcsim.world.network.unmap_drive(wcsim.host(host), letter)
    except SimError as error:
        wcsim.fail(f"{host} cannot unmap drive {letter}: {error}")


@when(parsers.re(rf"^QuickBooks (?P<year>\d{{4}}) is installed on {HOST}$"))
def install_quickbooks(wcsim: ScenarioContext, year: str, host: str):
    admin_install_quickbooks(wcsim.host(host), int(year))


@when(parsers.re(r'^the QuickBooks Admin upgrades "(?P<company>[^"]+)" to QuickBooks (?P<year>\d{4})$'))
def upgrade_file(wcsim: ScenarioContext, company: str, year: str):
    """The upgraded file is written under a new name; the old one stays behind (see sim.people.admin)."""
    host, path = wcsim.location(company)
    wcsim.original.setdefault(company, path)
    try:
        wcsim.locations[company] = (host, upgrade_company_file(host, path, int(year)))
    except SimError as error:
        wcsim.fail(f"cannot upgrade {company!r} to QuickBooks {year}: {error}")


@when(parsers.re(rf'^"(?P<user>[^"]+)" (?P<change>loses|regains) write access to "(?P<folder>[^"]+)" on {HOST}$'))
def write_access(wcsim: ScenarioContext, user: str, change: str, folder: str, host: str):
    """NTFS permissions changed by IT (a QWCLog.txt folder made read-only, say)."""
    fs = wcsim.host(host).fs
    (fs.deny_write if change == "loses" else fs.allow_write)(folder, user)


# --- STRATAFOLIO's web service ---------------------------------------------------------------------
@when(parsers.re(r"^STRATAFOLIO's certificate (?P<change>expires|is renewed|becomes untrusted)$"))
def service_certificate(wcsim: ScenarioContext, change: str):
    state = {"expires": "expired", "is renewed": "valid", "becomes untrusted": "untrusted"}[change]
    change_service(wcsim.world, "certificate", state)


@when(parsers.re(r"^STRATAFOLIO accepts TLS (?P<tls>1\.0|1\.1|1\.2) and newer$"))
def service_minimum_tls(wcsim: ScenarioContext, tls: str):
    """The oldest TLS version STRATAFOLIO's address accepts (1.2 unless changed; sim.windows.dotnet_tls)."""
    change_service(wcsim.world, "minimum_tls", tls)


@when(
    parsers.re(
        r'^STRATAFOLIO (?P<change>drops the connection during "(?P<callback>[^"]+)"|stops dropping connections)$'
    )
)
def service_drops(wcsim: ScenarioContext, change: str, callback: str | None):
    """A load balancer or proxy in front of the service closing connections mid-session (FIELD)."""
    change_service(wcsim.world, "drops_connection_during", {callback} if callback else set())


# --- a company's lists and QuickBooks itself (issue 22's scenario-file actions) ------------------
def _change_company(wcsim: ScenarioContext, company: str, what: str, change, **details) -> None:
    try:
        change_company_preferences(wcsim.world, *wcsim.location(company), what, change, **details)
    except SimError as error:
        wcsim.fail(f"the QuickBooks Admin cannot change {company!r}: {error}")


@when(parsers.re(r'^the QuickBooks Admin makes customer (?P<number>\d+) of "(?P<company>[^"]+)" inactive$'))
def deactivate_customer(wcsim: ScenarioContext, number: str, company: str):
    _change_company(
        wcsim,
        company,
        "customer_inactive",
        lambda c: change_customer(c, int(number), {"IsActive": "false"}),
        customer=int(number),
    )


@when(
    parsers.re(
        r"^the QuickBooks Admin sets the credit limit of customer (?P<number>\d+) of "
        r'"(?P<company>[^"]+)" to "(?P<amount>[^"]+)"$'
    )
)
def set_credit_limit(wcsim: ScenarioContext, number: str, company: str, amount: str):
    _change_company(
        wcsim,
        company,
        "credit_limit",
        lambda c: change_customer(c, int(number), {"CreditLimit": amount}),
        customer=int(number),
        amount=amount,
    )


@when(parsers.re(rf"^QuickBooks is started on {HOST} with no company file open$"))
def start_quickbooks_without_a_file(wcsim: ScenarioContext, host: str):
    wcsim.host(host).quickbooks.start_without_file()


@when(parsers.re(r'^STRATAFOLIO\'s service misbehaves in "(?P<callback>[^"]+)": "(?P<how>[^"]+)"$'))
def service_misbehaves(wcsim: ScenarioContext, callback: str, how: str):
    """The service's own bugs, as diagnose simulates them (sim.stratafolio.misbehaviour): "throws",
    "unreadable", "bad_qbxml", or "none" (it behaves again)."""
    from sim.stratafolio.misbehaviour import MISBEHAVIOURS, misbehave

    if how not in MISBEHAVIOURS:
        wcsim.fail(
            f"the service cannot misbehave {how!r}: say one of {', '.join(repr(name) for name in MISBEHAVIOURS)}"
        )
    misbehave(wcsim.world, callback, how)
