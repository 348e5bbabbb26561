"""The Web Connector of one Windows user on one host: its application list and what a person does with it.

Starting it (creating this object, or `restart`) reads the log `Level` from the
registry and writes the log's header block. Adding an application reads a QWC
file from the host's disk, validates it for this QBWC version, and connects to
the company file open in QuickBooks: on first access the QuickBooks Admin answers
the certificate prompt (DOMAIN.md section 6), then Web Connector stamps the FileID
into the company file under the OwnerID and stores the app, with the path of the
file, in the registry. An AppName already listed is replaced (or cloned), as the
PG's dialog offers. "Update Selected" runs update sessions one after another, and
an update postponed by the service resumes after the delay it asked for; removing
an app needs a handshake with the file it remembers (ART), and fails, leaving the
app listed, when that file cannot be reached. Force Removal is deleting the
registry key, which `force_removal` does the way a person in regedit would.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import simpy

from sim.errors import ConfigurationError, FileInUseError, HostUnavailableError, QuickBooksError, QWCError, SimError
from sim.quickbooks import hresults as hr
from sim.quickbooks.company_file import AccessLevel
from sim.quickbooks.request_processor import AppOptions
from sim.quickbooks.versions import newest_qbxml
from sim.webconnector import company_file_lock, own_qbxml
from sim.webconnector.app_list import APPS_KEY, RegisteredApp, obscure, read_app, read_apps, write_app
from sim.webconnector.contract import (
    InProcessTransport,
    RefusedConnection,
    RefusedHandshake,
    Transport,
    TransportError,
    guarded,
    is_https,
)
from sim.webconnector.log_health import NOT_WRITABLE_MESSAGE, UNUSABLE_MESSAGE, log_problem
from sim.webconnector.qwc import QwcFile, contents_as_logged, read_qwc
from sim.webconnector.update_session import (
    CLIENT_VERSION,
    FAIL_SECONDS,
    FAIL_SPREAD,
    MAX_CONNECTION_RETRIES,
    UPDATE_LOCK,
    UpdateResult,
    run_update,
)
from sim.webconnector.vocabulary import LINE, clock_time
from sim.windows.dotnet_tls import handshake_refusal
from sim.windows.security_software import WEB_CONNECTOR_PROGRAM

#: Windows starts the programs named here when the user logs on; the installer puts the
#: Web Connector there (its "Startup" setting), and a user may take it out.
STARTUP_KEY = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run"
STARTUP_VALUE = "QBWebConnector"
STARTUP_COMMAND = r"C:\Program Files (x86)\Common Files\Intuit\QuickBooks\QBWebConnector\QBWebConnector.exe -startup"

#: Assumed bound: how many times one update may be postponed by its service and resumed.
MAX_POSTPONES = 10
#: How long adding an application takes (FIELD: the QBWC 33 add-application excerpt in
#: tests/data/real_qwclog/): about 10 s from reading the QWC file to connecting (the person answers Web
#: Connector's dialogs), 34 s from "Connecting to QuickBooks..." to "Connected., Session started"
#: (QuickBooks asks the person at its certificate dialog), 2 s more before AddToQuickBooks, the rest in
#: the same second; a QuickBooks that refuses fails after about 8 s (FAIL_SECONDS). Each varies, seeded
#: (the world's timing stream); how far is assumed.
ADD_DIALOG_SECONDS, ADD_DIALOG_SPREAD = 10.0, 4.0
ADD_CONNECT_SECONDS, ADD_CONNECT_SPREAD = 34.0, 12.0
ADD_PREPARE_SECONDS, ADD_PREPARE_SPREAD = 2.0, 1.0
#: What the log header calls every release (QBWC 33 still writes "2.2", QWCLOG.md).
LOG_HEADER_VERSION = "2.2"


def build_of(version: str) -> str:
    """Which Web Connector a version is: "33" for the one that ships with QuickBooks 2024 and
    later (33.0.x), "2" for the standalone 2.x releases."""
    return "33" if version.split(".")[0] == "33" else "2"


if TYPE_CHECKING:
    from sim.windows.host import Host

__all__ = ["WebConnector"]


class _StartUp:
    """The start-up block still to write: the step the start-up process holds while it waits out the
    gap before it, then the steps not yet drawn (their gaps come from the timing stream as they are)."""

    def __init__(self, steps: Iterator[tuple[float, Callable[[], None]]]) -> None:
        self.steps = steps
        self.waiting: Callable[[], None] | None = None


class WebConnector:
    """QBWC as one Windows user runs it."""

    def __init__(self, host: Host, user: str, version: str = CLIENT_VERSION) -> None:
        self.host = host
        self.world = host.world
        self.user = user
        self.version = version
        self.log = host.qwc_log
        self.transports: dict[str, Transport] = {}  # URL -> transport, e.g. HTTP to a real service
        self._scheduler = None
        self._running_again = self.world.env.event()
        if host.registry.get_value(STARTUP_KEY, STARTUP_VALUE, user=user) is None:  # installed: starts at logon
            host.registry.set_value(STARTUP_KEY, STARTUP_VALUE, STARTUP_COMMAND, user=user)
        self.running = False
        #: The code-signing certificate this Web Connector presents to QuickBooks, which the
        #: Admin's approval is tied to (FIELD: re-approval after it changes).
        self.certificate = f"Intuit QBWC {version}"
        self.certificate_expired = False
        self.elevated = False  # "Run as administrator"
        self._log_unusable = False
        #: The start-up steps still to write (None: loaded), and the moment the form has loaded.
        self._starting: _StartUp | None = None
        self._loaded = self.world.env.event()
        if host.has_session_of(user):
            self.start()

    # --- the program itself -------------------------------------------------------------------
    @property
    def starts_at_logon(self) -> bool:
        return self.host.registry.get_value(STARTUP_KEY, STARTUP_VALUE, user=self.user) not in (None, "")

    def set_startup(self, enabled: bool) -> None:
        """The "Startup" setting: whether Windows starts the Web Connector at logon."""
        self.host.registry.set_value(STARTUP_KEY, STARTUP_VALUE, STARTUP_COMMAND if enabled else "", user=self.user)
        self.world.record(self.host.name, "qbwc.startup_setting", source="PG", user=self.user, enabled=enabled)

    def start(self) -> None:
        """The Web Connector starts (by hand, or at logon): it reads its log level and writes the header."""
        self.host.require_session("start Web Connector", self.user)
        if self.running:
            return
        problem = log_problem(self.host, self.user)
        if problem is not None and problem.code == "QBWC1033":
            # PG appendix A: every Windows user who runs QBWC needs write access to its log; without it the
            # log cannot be initialized and the Web Connector does not run (QBWC1033).
            self.world.record(
                self.host.name,
                "qbwc.start_failed",
                source=problem.source,
                user=self.user,
                code=problem.code,
                reason=problem.reason,
                message=NOT_WRITABLE_MESSAGE,
            )
            return
        self.running = True
        self._log_unusable = problem is not None
        if problem is not None:
            # QBWC1085: the log is there but unusable; the Web Connector runs on without logging.
            self.world.record(
                self.host.name,
                "qbwc.log_unusable",
                source=problem.source,
                user=self.user,
                code=problem.code,
                reason=problem.reason,
                message=UNUSABLE_MESSAGE,
            )
        self.restart()  # (its start-up block clears an UpdateLock a process that died left set)
        if not self._running_again.triggered:
            self._running_again.succeed()
        self._changed()

    def exit(self) -> None:
        """File > Exit. With Auto-Run on for an application, QBWC warns (QBWC1020, PG) and the
        scheduled updates stop until it runs again."""
        if not self.running:
            return
        if any(app.auto_run for app in self.applications()):
            # A dialog the person answers, not a log line (PG appendix A).
            self.world.record(self.host.name, "qbwc.exit_warning", source="PG", user=self.user, code="QBWC1020")
        self._stopped("exited")

    def end_task(self) -> None:
        """Task Manager > End task on the Web Connector (or it crashes): an update under way stops where
        it is, without ending its QuickBooks session or clearing its UpdateLock."""
        ended = self.host.end_program("Web Connector", self.user)
        if self.running:
            self._stopped("ended in Task Manager")
        self.world.record(self.host.name, "qbwc.ended", source="FIELD", user=self.user, updates_cut=ended)

    def on_logged_in(self) -> None:
        if self.starts_at_logon:
            self.start()

    def _stopped(self, reason: str) -> None:
        self.running = False
        self._starting = None
        if not self._loaded.triggered:
            self._loaded.succeed()  # (updates that waited for the form go on and find it closed)
        self._running_again = self.world.env.event()
        self.world.record(self.host.name, "qbwc.stopped", source="PG", user=self.user, reason=reason)
        self._changed()

    def on_session_ended(self, reason: str) -> None:
        """Logging out or switching off ends the Web Connector with the Windows session."""
        if self.running:
            self._stopped(reason)

    def wait_until_running(self) -> simpy.Event:
        return self._running_again if not self.running else self.world.env.event().succeed()

    def restart(self) -> simpy.Process:
        """Exit and start the Web Connector: the log level is read now, and only now (PG). It
        writes the header at once, then the start-up block over the next second or two, which
        clears the UpdateLock twice (FIELD: published logs), so a lock left by a process that died
        with its computer is gone. Updates wait until the form has loaded; the process is returned."""
        level = str(self.host.registry.get_value(APPS_KEY, "Level", user=self.user, default="DEBUG"))
        if self._log_unusable:
            level = "NONE"  # QBWC1085: nothing is written to the file it cannot use
        self.log.header(self.world.utc_now, level, LOG_HEADER_VERSION)
        if self._loaded.triggered:
            self._loaded = self.world.env.event()
        block = _StartUp(self._start_up_steps())
        self._starting = block
        self.world.record(
            self.host.name, "qbwc.started", source="PG", user=self.user, version=self.version, log_level=self.log.level
        )
        return self.host.spawn(self._start_up(block), "Web Connector: start-up", self.user)

    def _start_up_steps(self) -> Iterator[tuple[float, Callable[[], None]]]:
        """The start-up block, each step with the time since the one before. FIELD (SHAPES.md section 3,
        a Web Connector 33 log): NotifyWindowOn, MaxConnRetries, the UpdateLock reset twice, then the
        window's ProcessArgs, the banner with the local time and "QBWC Form Loaded"; no 2.x start-up is
        published, so 2.x writes the same block without the WPF line (assumed). The gaps come from the
        world's timing stream: the published block runs from 12:05:06 to 12:05:07, its second turning
        between the registry lines and ProcessArgs (the restart at 13:22:06/07 likewise), so the
        registry lines follow one another within milliseconds and the window takes about half a
        second to come up (the spreads, and the second or so before the first line, assumed)."""
        varied, log = self.world.varied, self.log
        yield varied(1.2, 0.9), lambda: log.say(LINE.notify_window_on)
        yield varied(0.02, 0.015), lambda: log.say(LINE.max_connection_retries, retries=MAX_CONNECTION_RETRIES)
        yield varied(0.02, 0.015), lambda: self.set_update_lock(False)
        yield varied(0.02, 0.015), lambda: self.set_update_lock(False)
        if build_of(self.version) == "33":
            yield varied(0.6, 0.4), lambda: log.say(LINE.process_args)
        yield varied(0.15, 0.12), self._banner
        yield varied(0.05, 0.04), lambda: log.say(LINE.form_loaded)

    def _banner(self) -> None:
        local = self.world.now
        self.log.say(
            LINE.loaded_banner,
            [
                f"QuickBooks Web Connector {self.version} has started.",
                f"{local:%A, %B} {local.day}, {local.year} at {clock_time(local)}",
            ],
        )

    def _start_up(self, block: _StartUp) -> Generator[Any, Any, None]:
        for gap, step in block.steps:
            block.waiting = step
            yield self.world.env.timeout(gap)
            if self._starting is not block:  # exited, started again, or written out by `finish_starting`, meanwhile
                return
            block.waiting = None
            step()
        self._loaded_now(block)

    def _loaded_now(self, block: _StartUp) -> None:
        if self._starting is block:
            self._starting = None
            if not self._loaded.triggered:
                self._loaded.succeed()

    def finish_starting(self) -> None:
        """Something a person does at once meets a Web Connector still starting (a QWC file added
        right after logon): the rest of the start-up block is written now, so the log keeps its order."""
        block = self._starting
        if block is not None:
            waiting, block.waiting = block.waiting, None
            if waiting is not None:  # the step the start-up process is waiting to write comes first
                waiting()
            for _, step in block.steps:
                step()
            self._loaded_now(block)

    def set_update_lock(self, value: bool, logged: bool = True) -> None:
        """The global UpdateLock value in the registry, and the lines setting it writes."""
        self.host.registry.set_value(APPS_KEY, UPDATE_LOCK, "True" if value else "False", user=self.user)
        if logged:
            self.log.say(LINE.update_lock_set, value="True" if value else "False")
            self.log.say(LINE.update_session_locked if value else LINE.update_session_unlocked)

    def app_options(self, auth_flags: int, read_only: bool, unattended_mode_pref: str) -> AppOptions:
        """What QuickBooks sees of an application: its QWC's options, and this program's
        certificate and elevation."""
        return AppOptions(
            auth_flags,
            read_only,
            unattended_mode_pref == "umpRequired",
            self.certificate,
            self.certificate_expired,
            self.elevated,
        )

    @property
    def update_lock(self) -> bool:
        """The global UpdateLock value (FIELD: published QWCLog.txt files)."""
        return (
            str(self.host.registry.get_value(APPS_KEY, UPDATE_LOCK, user=self.user, default="False")).casefold()
            == "true"
        )

    def __repr__(self) -> str:
        return f"<WebConnector {self.host.name}/{self.user}>"

    # --- the list -------------------------------------------------------------------------
    def applications(self) -> list[RegisteredApp]:
        return read_apps(self.host, self.user)

    def application(self, name: str) -> RegisteredApp:
        app = read_app(self.host, self.user, name)
        if app is None:
            listed = ", ".join(a.name for a in self.applications()) or "none"
            raise ConfigurationError(
                f"{self.host.name}/{self.user}: Web Connector has no application {name!r} (listed: {listed})"
            )
        return app

    # --- adding -------------------------------------------------------------------------------
    def add_application(
        self,
        qwc_path: str,
        access: AccessLevel | str = AccessLevel.ALWAYS,
        login_as: str = "Admin",
        if_listed: str = "replace",
    ) -> RegisteredApp:
        """Add the application of a QWC file, answering the certificate prompt with `access`.

        An AppName already in the list gets the PG's choice (Table 4-1): `if_listed`
        "replace" (what AppUniqueName makes QBWC do without asking) or "clone". Adding takes the
        time its dialogs and QuickBooks take: the world runs until it is done (as linking's first
        sync does). A simulated process (a timeline action) yields from `adding` instead."""
        env = self.world.env
        if env.active_process is not None:
            raise ConfigurationError(
                f"{self.host.name}: add_application() cannot wait inside a simulated process; yield from adding() there"
            )
        process = self._start_adding(qwc_path, access, login_as, if_listed)
        env.run(until=process)  # (the add's own error, if it failed, is raised here)
        return self._added(process.value, qwc_path)  # the process has ended, so its value is set

    def adding(
        self,
        qwc_path: str,
        access: AccessLevel | str = AccessLevel.ALWAYS,
        login_as: str = "Admin",
        if_listed: str = "replace",
    ) -> Generator[Any, Any, RegisteredApp]:
        """Adding the application of a QWC file, as a simulated process (see `add_application`)."""
        added = yield self._start_adding(qwc_path, access, login_as, if_listed)
        return self._added(added, qwc_path)

    def _start_adding(self, qwc_path: str, access: AccessLevel | str, login_as: str, if_listed: str) -> simpy.Process:
        """The add runs as a program of the computer, so a sleep, shutdown or logoff stops it where it is."""
        self.host.require_session("add an application to Web Connector", self.user)

        def program() -> Generator[Any, Any, RegisteredApp | SimError]:
            try:
                return (yield from self._add(qwc_path, access, login_as, if_listed))
            except SimError as error:
                # Handed to the caller as a value, raised there as it is: SimPy passes a failed process's
                # error on by rebuilding it from its args, which QWCError's constructor does not take.
                return error

        return self.host.spawn(program(), "Web Connector: add an application", self.user)

    def _added(self, added: RegisteredApp | SimError | None, qwc_path: str) -> RegisteredApp:
        if isinstance(added, SimError):
            raise added
        if added is None:  # the computer stopped running the add (Host.spawn recorded why)
            host = self.host
            if not host.is_on:
                why = f"{host.name} is {host.power.value}"
            elif not host.has_session_of(self.user):
                why = f"{self.user} logged out of {host.name}"
            else:
                why = "Web Connector was ended"
            raise HostUnavailableError(
                f"{why} while Web Connector was adding {qwc_path}: the application was not added"
            )
        return added

    def _add(
        self, qwc_path: str, access: AccessLevel | str, login_as: str, if_listed: str
    ) -> Generator[Any, Any, RegisteredApp]:
        host = self.host
        varied = self.world.varied
        timeout = self.world.env.timeout
        self.finish_starting()
        where = f"{host.name}:{qwc_path}"
        try:
            text = host.fs.read_bytes(qwc_path)
        except SimError as error:
            raise QWCError("QBWC1039", f"cannot read the QWC file ({error})", where) from None
        qwc = read_qwc(text, where, client_version=self.version)
        log = self.log
        log.say(LINE.qwc_contents, contents_as_logged(text))
        log.say(LINE.read_qwc)
        if if_listed not in ("replace", "clone"):
            raise ConfigurationError(f"if_listed must be 'replace' or 'clone', not {if_listed!r}")
        access = AccessLevel.parse(access)
        if qwc.cert_url:
            # PG: QBWC fetches the CertURL to check the service's certificate; a page behind
            # authentication (or none at all, assumed) cannot be read: QBWC1048.
            status = self.world.web_pages.get(qwc.cert_url)
            if status != 200:
                why = f"the page answers HTTP {status}" if status else "the page cannot be reached"
                self._add_failed(
                    qwc, "QBWC1048", f"the certificate at <CertURL> {qwc.cert_url} could not be verified ({why})", "PG"
                )
        listed = [app for app in self.applications() if app.name.casefold() == qwc.app_name.casefold()]
        if listed and if_listed == "clone" and not qwc.app_unique_name:
            qwc = replace(qwc, app_name=self._clone_name(qwc.app_name))
        yield timeout(varied(ADD_DIALOG_SECONDS, ADD_DIALOG_SPREAD))
        log.say(LINE.connecting)
        # QBWC connects to the file open in QuickBooks; the SDK decides whether it may.
        desktop = host.quickbooks
        try:
            options = self.app_options(
                int(qwc.auth_flags, 0) if qwc.auth_flags else 0, qwc.is_read_only, qwc.unattended_mode_pref
            )
            session = desktop.request_processor.begin_session(
                qwc.app_name,
                qwc.owner_id,
                "",
                person_present=True,
                certificate_prompt=lambda: (access, login_as),
                options=options,
            )
        except QuickBooksError as error:
            yield timeout(varied(FAIL_SECONDS, FAIL_SPREAD))
            if error.hresult == hr.MODAL_DIALOG_SHOWING:
                log.say(
                    LINE.modal_dialog,
                    code="QBWC1053",
                    message="A modal dialog box is showing in the QuickBooks user interface.",
                )
                self._add_failed(
                    qwc, "QBWC1053", f"QuickBooks is showing a dialog ({error.code}: {error.message})", "PG"
                )
            # PG appendix A: a failure to connect while looking for the FileID shows QuickBooks' own message.
            self._add_failed(
                qwc,
                "QBWC1022",
                f"Web Connector could not connect to QuickBooks. QuickBooks returned: {error.message} ({error.code})",
                "PG",
            )
        except FileInUseError as error:  # the granted access could not be saved in the file
            self._add_failed(qwc, "QBWC1026", f"the company file could not be written ({error})", "PG")
        try:
            yield timeout(varied(ADD_CONNECT_SECONDS, ADD_CONNECT_SPREAD))
            log.say(LINE.connected)
            yield timeout(varied(ADD_PREPARE_SECONDS, ADD_PREPARE_SPREAD))
        except simpy.Interrupt:  # the computer stopped the add: QuickBooks' session ends with it
            desktop.request_processor.end_session(session)
            raise
        # FIELD (SHAPES.md section 4): everything from here to the disconnection, in this order.
        company = session.company
        try:
            log.say(LINE.adding, app=qwc.app_name)
            log.say(LINE.querying_file_id)
            major, minor = newest_qbxml(desktop.year)
            version = f"{major}.{minor}"
            log.say(LINE.latest_qbxml, version=version)
            log.say(LINE.querying_owner_file_id)
            log.dump(LINE.find_file_id_dump, own_qbxml.data_ext_def_query(qwc.owner_id, version))
            stamped = company.file_ids.get(qwc.owner_id)
            if stamped is not None:
                log.dump(LINE.find_file_id_dump, own_qbxml.answer("DataExtDefQueryRs", "0", "Status OK"))
                # FIELD: 1039 "unique OwnerID/FileID pair value required" when the file already
                # carries a FileID under this OwnerID, the same one or another.
                what = "this FileID" if stamped == qwc.file_id else f"another FileID ({stamped}) for this OwnerID"
                self._add_failed(
                    qwc,
                    "QBWC1039",
                    f"unique OwnerID/FileID pair value required (the company file already carries {what})",
                    "FIELD",
                )
            not_found = "A query request did not find a matching object in QuickBooks"
            log.dump(LINE.find_file_id_dump, own_qbxml.answer("DataExtDefQueryRs", "1", not_found, "Info"))
            log.say(LINE.find_file_id_status, message=not_found)
            log.say(LINE.creating_file_id)
            self._define_data_extension("FileID", qwc.owner_id, version)
            log.say(LINE.file_id_registered)
            log.dump(LINE.enter_data_ext_dump, own_qbxml.data_ext_add(qwc.owner_id, "FileID", qwc.file_id, version))
            company.file_ids[qwc.owner_id] = qwc.file_id
            try:
                desktop.save()
            except FileInUseError as error:
                self._add_failed(
                    qwc, "QBWC1026", f"the FileID could not be written to the company file ({error})", "PG"
                )
            log.dump(LINE.enter_data_ext_dump, own_qbxml.answer("DataExtAddRs", "0", "Status OK"))
            log.say(LINE.data_ext_value_created, name="FileID")
            log.say(LINE.file_id_entered)
            self._define_data_extension("AppLock", qwc.owner_id, version)
            log.say(LINE.app_lock_registered)
            unlocked = f"{company_file_lock.UNLOCKED}:{host.name}"
            log.dump(LINE.lock_def_add_dump, own_qbxml.data_ext_def_add(qwc.owner_id, "AppLock", version))
            log.dump(LINE.lock_def_add_dump, own_qbxml.answer("DataExtDefAddRs", "0", "Status OK"))
            log.dump(LINE.lock_add_dump, own_qbxml.data_ext_add(qwc.owner_id, "AppLock", unlocked, version))
            try:
                company_file_lock.initialize(self.world, session, host.name)
            except FileInUseError as error:
                self._add_failed(
                    qwc, "QBWC1026", f"the AppLock could not be written to the company file ({error})", "PG"
                )
            log.dump(LINE.lock_add_dump, own_qbxml.answer("DataExtAddRs", "0", "Status OK"))
            log.say(LINE.lock_initialized, host=host.name, owner_id=qwc.owner_id)
            log.say(LINE.app_added, app=qwc.app_name)
        finally:
            desktop.request_processor.end_session(session)
            log.say(LINE.disconnected)
        if listed and qwc.app_name.casefold() == listed[0].name.casefold():
            host.registry.delete_key(listed[0].key, user=self.user)
            self.world.record(
                host.name, "qbwc.app_replaced", source="PG", app=qwc.app_name, unique_name=bool(qwc.app_unique_name)
            )
        write_app(host, self.user, qwc, session.path)
        self.world.record(
            host.name,
            "qbwc.app_added",
            source="PG",
            app=qwc.app_name,
            user=self.user,
            company_file=session.path,
            file_id=qwc.file_id,
        )
        self._changed()
        return self.application(qwc.app_name)

    def _define_data_extension(self, name: str, owner_id: str, version: str) -> None:
        log = self.log
        log.say(LINE.creating_data_ext, name=name, owner_id=owner_id)
        log.dump(LINE.register_data_ext_dump, own_qbxml.data_ext_def_add(owner_id, name, version))
        log.dump(LINE.register_data_ext_dump, own_qbxml.answer("DataExtDefAddRs", "0", "Status OK"))
        log.say(LINE.data_ext_created)

    def _clone_name(self, name: str) -> str:
        """The name a clone gets (assumed: the PG offers cloning without naming the result)."""
        taken = {app.name.casefold() for app in self.applications()}
        number = 2
        while f"{name} ({number})".casefold() in taken:
            number += 1
        return f"{name} ({number})"

    def _add_failed(self, qwc: QwcFile, code: str, message: str, source: str) -> None:
        self.log.say(LINE.add_failed, code=code, app=qwc.app_name, message=message)
        self.world.record(self.host.name, "qbwc.add_failed", source=source, app=qwc.app_name, code=code, reason=message)
        raise QWCError(code, message, f"{self.host.name}: adding {qwc.app_name}")

    # --- settings ---------------------------------------------------------------------------
    def set_password(self, app_name: str, password: str) -> None:
        app = self.application(app_name)
        self.host.registry.set_value(app.key, "Password", obscure(password), user=self.user)
        self.world.record(self.host.name, "qbwc.password_set", app=app_name)

    def forget_password(self, app_name: str) -> None:
        """The stored password is gone (never saved, or QBWC's key lost, PG QBWC1030/1038)."""
        app = self.application(app_name)
        self.host.registry.set_value(app.key, "Password", "", user=self.user)
        self.world.record(self.host.name, "qbwc.password_lost", source="PG", app=app_name)

    def upgrade(self, version: str) -> None:
        """A new Web Connector release: a new version, signed with a new certificate."""
        self.version = version
        self.certificate = f"Intuit QBWC {version}"
        self.certificate_expired = False
        self.world.record(self.host.name, "qbwc.upgraded", source="FIELD", user=self.user, version=version)

    def lose_key(self, app_name: str) -> None:
        """QBWC's encryption key is lost (a new Windows profile, a restored registry): the stored
        password can no longer be read (PG appendix A: QBWC1029; QBWC1038 is the master-key prompt cancelled)."""
        app = self.application(app_name)
        self.host.registry.set_value(app.key, "Password", "!undecryptable!", user=self.user)
        self.world.record(self.host.name, "qbwc.key_lost", source="PG", app=app_name)

    def set_auto_run(self, app_name: str, enabled: bool = True, every_minutes: int | None = None) -> None:
        app = self.application(app_name)
        if every_minutes is not None:
            if every_minutes < 1:
                raise ConfigurationError(f"{app_name}: Every_Min must be at least 1 minute (the Web Connector's floor)")
            self.host.registry.set_value(app.key, "Every_Min", int(every_minutes), user=self.user)
            self.host.registry.set_value(app.key, "Every_Sec", int(every_minutes) * 60, user=self.user)
        self.host.registry.set_value(app.key, "Auto-Run", 1 if enabled else 0, user=self.user)
        self.world.record(
            self.host.name,
            "qbwc.auto_run",
            app=app_name,
            enabled=enabled,
            every_min=self.application(app_name).every_min,
        )
        self._changed()
        if enabled:
            self.scheduler.start()

    # --- updating --------------------------------------------------------------------------
    def transport_for(self, url: str, style: str = "Document") -> Transport:
        """How this Web Connector reaches the service at `url`: through the computer's security software."""
        return guarded(self._transport(url, style), self.host.security, WEB_CONNECTOR_PROGRAM)

    def _transport(self, url: str, style: str) -> Transport:
        if url in self.transports:
            transport = self.transports[url]
            if hasattr(transport, "style"):
                transport.style = style  # the QWC's Style shapes the envelopes on the wire
            return transport
        service = self.world.web_services.get(url)
        if service is None:
            raise TransportError("QBWC1012", f"could not connect to the web service at {url}")
        if hasattr(service, "open_session"):  # a real service standing in (sim.webconnector.service_endpoint)
            return service
        # A connection meets things in this order: nothing listening on the port, the TLS handshake (a
        # service that accepts no version this computer's .NET offers, sim.windows.dotnet_tls), then the
        # certificate and dropped connections (InProcessTransport), the web server's answer (HTTP 404),
        # and last the service and its SOAP text (sim.stratafolio.misbehaviour).
        if getattr(service, "endpoint", "") == "refused":
            return RefusedConnection()
        refusal = handshake_refusal(self.host, service, url) if is_https(url) else None
        if refusal is not None:
            return RefusedHandshake(self.host, url, refusal)
        if getattr(service, "misbehaviour", None) or getattr(service, "endpoint", ""):
            return self.world.misbehaving_transport(service, style)
        return InProcessTransport(service)

    def update(
        self, app_name: str, trigger: str = "manual", person_present: bool = True
    ) -> Generator[Any, Any, UpdateResult]:
        """One update. It waits for the global UpdateLock (one update at a time); one the
        service postpones (authenticate [2], Auto-Run on) resumes after the delay (PG). Nothing
        updates before the Web Connector's form has loaded."""
        if not self._loaded.triggered and self._starting is not None:
            yield self._loaded
            if not self.running:  # exited, or its session ended, before the form loaded (assumed: nothing runs)
                reason = f"Web Connector closed on {self.host.name} before its form loaded"
                self.world.record(self.host.name, "update.not_started", source="assumed", app=app_name, reason=reason)
                now = self.world.seconds
                return UpdateResult(app_name, trigger, "not started", message=reason, started=now, ended=now)
        result = yield from run_update(self, app_name, trigger, person_present)
        for _ in range(MAX_POSTPONES):
            if result.outcome != "postponed":
                break
            yield self.world.env.timeout(result.postpone_seconds)
            self.world.record(
                self.host.name, "update.resumed", source="PG", app=app_name, after_seconds=result.postpone_seconds
            )
            result = yield from run_update(self, app_name, trigger, person_present)
        return result

    def update_selected(self, app_names: Iterable[str] | str = "all") -> simpy.Process:
        """Tick the applications (or "all") and press Update Selected; the process's value
        is the list of results, in list order."""
        names = [a.name for a in self.applications()] if app_names == "all" else list(app_names)
        for name in names:
            self.application(name)
        if not self.running and self.host.has_session_of(self.user):
            raise HostUnavailableError(
                f"{self.host.name}: Web Connector is not running for {self.user}: nobody can press "
                "Update Selected (start it first)"
            )

        def run_all():
            results = []
            for name in names:
                result = yield from self.update(name, "manual", person_present=True)
                results.append(result)
                if result.outcome in ("interrupted", "not started"):
                    break  # the computer or the program stopped: the rest of the selection never runs
            return results

        return self.host.spawn(run_all(), "Web Connector: Update Selected", self.user)

    # --- removing ----------------------------------------------------------------------------
    def remove_application(self, app_name: str) -> bool:
        """Select the app and press Remove: needs a handshake with the company file it remembers."""
        self.host.require_session("remove an application", self.user)
        self.finish_starting()
        app = self.application(app_name)
        rp = self.host.quickbooks.request_processor
        try:
            session = rp.begin_session(app.name, app.owner_id, app.company_file, person_present=True)
        except QuickBooksError as error:
            self.log.say(
                LINE.remove_failed, app=app.name, path=app.company_file, code=error.code, message=error.message
            )
            self.world.record(
                self.host.name,
                "qbwc.remove_failed",
                source="ART",
                app=app.name,
                company_file=app.company_file,
                hresult=error.code,
            )
            return False
        rp.end_session(session)
        self.host.registry.delete_key(app.key, user=self.user)
        self.log.say(LINE.removed, app=app.name)
        self.world.record(self.host.name, "qbwc.app_removed", source="ART", app=app.name)
        self._changed()
        return True

    def force_removal(self, app_name: str) -> None:
        """Delete the app's key in regedit (ART: Force Removal from the Windows registry)."""
        self.host.registry.delete_key(f"{APPS_KEY}\\{app_name}", user=self.user)
        self.world.record(
            self.host.name, "registry.key_deleted", source="ART", key=f"{APPS_KEY}\\{app_name}", user=self.user
        )
        self._changed()

    # --- scheduler --------------------------------------------------------------------------------
    @property
    def scheduler(self):
        if self._scheduler is None:
            from sim.webconnector.scheduler import AutoRunScheduler

            self._scheduler = AutoRunScheduler(self)
        return self._scheduler

    def _changed(self) -> None:
        if self._scheduler is not None:
            self._scheduler.poke()
