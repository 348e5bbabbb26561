"""Every cache that speeds the simulation up is invalidated by the operation that changes its
source; each test here makes one cache stale on purpose and shows the run then goes differently."""

from sim.scenario import find_scenario, load_scenario
from sim.scenario_run import ScenarioRun
from sim.windows.registry import Registry


def run_trace(name: str) -> str:
    run = ScenarioRun(load_scenario(find_scenario(name)))
    run.run()
    return run.world.trace.jsonl()


def test_the_registry_memo_is_dropped_by_every_change(monkeypatch):
    fresh = run_trace("rename-company-file")

    def never_dropped(self, key, read, below=None, user=None):
        kept = self._memo.get(key)
        if kept is None:
            kept = self._memo[key] = (self.writes, read())
        return kept[1]

    monkeypatch.setattr(Registry, "memo", never_dropped)
    assert run_trace("rename-company-file") != fresh


def test_the_application_list_is_read_again_after_a_change_below_its_key_only(linked_office):
    from sim.webconnector import app_list

    connector, registry = linked_office.web_connector, linked_office.server.registry
    reads = []
    read_app = app_list._read_app
    app_list._read_app = lambda *arguments: reads.append(1) or read_app(*arguments)
    try:
        (app,) = connector.applications()
        registry.set_value(app.key, "Every_Min", 7, user=connector.user)  # in the list
        assert connector.application(app.name).every_min == 7 and len(reads) == 1
        registry.set_value(app_list.APPS_KEY, "UpdateLock", "True", user=connector.user)  # beside it
        assert connector.applications() == [connector.application(app.name)] and len(reads) == 1
        registry.set_value(app.key, "Every_Min", 9, user=connector.user)
        assert connector.application(app.name).every_min == 9 and len(reads) == 2
    finally:
        app_list._read_app = read_app


def test_a_registry_change_shows_in_the_application_list_at_once(linked_office):
    connector = linked_office.web_connector
    (app,) = connector.applications()
    connector.set_auto_run(app.name, True, 15)
    assert connector.application(app.name).auto_run and connector.application(app.name).every_min == 15
    linked_office.server.registry.delete_key(app.key, user=connector.user)
    assert connector.applications() == []


def test_path_lookups_are_dropped_when_files_or_folders_change(monkeypatch):
    from sim.windows.filesystem import HostFilesystem

    fresh = run_trace("rename-company-file")
    monkeypatch.setattr(HostFilesystem, "_tree_changed", lambda self: None)
    try:
        stale = run_trace("rename-company-file")  # the renamed file would still be found under its old name
    except AttributeError:  # or a file just created is not found at all
        stale = None
    assert stale != fresh


def test_a_renamed_file_is_no_longer_found_under_its_old_name(office):
    fs = office.server.fs
    path = office.files["Acme Properties"]
    assert fs.is_file(path)
    fs.rename(path, path.replace("Acme Properties.QBW", "Renamed.QBW"))
    assert not fs.is_file(path) and not fs.exists(path)


def test_deferred_company_file_writes_are_done_before_anything_reads_the_file(monkeypatch):
    from sim.windows.filesystem import HostFilesystem

    fresh = run_trace("quickbooks-upgrade-popup")
    monkeypatch.setattr(HostFilesystem, "_settle", lambda self, local=None: None)
    assert run_trace("quickbooks-upgrade-popup") != fresh  # the dismissed pop-up would still be in the file on disk


def test_a_saved_company_file_is_read_moved_and_copied_with_its_last_save(office):
    from sim.people.admin import copy_company_file, rename_company_file
    from sim.quickbooks.company_file import CompanyFile

    server, path = office.server, office.files["Acme Properties"]
    company = CompanyFile.load(server, path)
    company.popups.append("saved once")
    company.save(server, path)
    assert CompanyFile.load(server, path).popups == ["saved once"]
    company.popups.append("saved twice")
    company.save(server, path)
    moved = rename_company_file(server, path, "Moved.QBW")
    copy = copy_company_file(server, moved, r"D:\Backup")
    assert CompanyFile.load(server, copy).popups == ["saved once", "saved twice"]


def test_a_file_reopened_after_a_deferred_save_is_the_last_saved_content(office):
    from sim.quickbooks.company_file import CompanyFile
    from sim.windows.network import Location

    server, path = office.server, office.files["Acme Properties"]
    desktop = server.quickbooks
    desktop.open_company_file(path, "Admin")
    desktop.enter_transaction(
        "invoices", {"RefNumber": "R-1", "CustomerRef": "x", "TxnDate": "2026-01-05", "Subtotal": "1.00", "Memo": ""}
    )
    desktop.close_company_file()
    edited = CompanyFile.load(server, path)  # someone else edits the closed file
    edited.popups.append("edited afterwards")
    edited.save(server, path)
    reopened = office.world.open_company_files.content(Location(server, path), "test")
    assert reopened.popups == ["edited afterwards"] and any(
        r.get("RefNumber") == "R-1" for r in reopened.records["invoices"]
    )


def test_a_roll_over_after_the_log_was_read_keeps_what_was_already_on_disk(monkeypatch):
    # QWCLog.txt is kept as lines in memory and written out when read; a roll-over must move
    # the part on the disk to QWCLog1.txt with the rest: every line is in exactly one file.
    from sim.webconnector import log as qwclog
    from sim.world import World

    monkeypatch.setattr(qwclog, "ROLL_OVER_BYTES", 300)
    monkeypatch.setattr(qwclog, "FLUSH_BYTES", 1)
    host = World(seed=1).add_server("SRV", logged_in="Administrator")
    log = qwclog.QwcLog(host)
    log.write("m()", "line 0 " + "x" * 100)
    assert "line 0 " in log.text()  # now on the disk
    for number in range(1, 3):  # two lines to a file: the third rolls the first two over
        log.write("m()", f"line {number} " + "x" * 100)
    rolled, current = host.fs.read_text(qwclog.OLD_LOG_PATH), log.text()
    assert ["line 0 " in rolled, "line 1 " in rolled, "line 2 " in current] == [True, True, True]
    assert "line 0 " not in current and "line 2 " not in rolled


def test_a_company_files_information_is_made_once_and_again_after_any_change(monkeypatch):
    # CompanyFile.company_information keeps the CompanyRet's company part: made once for many
    # answers, made again when the name or the information changes, in place or replaced.
    from sim.quickbooks import company_file
    from sim.quickbooks.company_file import CompanyFile
    from sim.quickbooks.company_info import company_record

    made = []
    company_ret = company_file.company_ret
    monkeypatch.setattr(company_file, "company_ret", lambda *a, **k: made.append(1) or company_ret(*a, **k))
    company = CompanyFile("Acme Properties", [], company_info={"Phone": "217-555-0100"})
    first = company_record(company, "{OWNER}")
    assert company_record(company, "{OWNER}") == first and len(made) == 1
    company.company_info["Phone"] = "217-555-0199"  # changed in place
    assert "<Phone>217-555-0199</Phone>" in company_record(company, "{OWNER}") and len(made) == 2
    company.company_info = {"Email": "office@acme.com"}
    assert "<Email>office@acme.com</Email>" in company_record(company, "{OWNER}")
    company.company_name = "Acme Holdings"
    assert "<CompanyName>Acme Holdings</CompanyName>" in company_record(company, "{OWNER}", separator="")


def test_the_company_information_kept_without_a_copy_would_miss_a_change_in_place(monkeypatch):
    # The kept text is compared with a copy of the information: kept with the live dict itself,
    # an edit in place would compare equal to itself and the answer would stay stale.
    from sim.quickbooks import company_file
    from sim.quickbooks.company_file import CompanyFile

    def answers(company):
        before = company.company_information()
        company.company_info["Phone"] = "217-555-0199"
        return before, company.company_information()

    before, after = answers(CompanyFile("Acme", [], company_info={"Phone": "217-555-0100"}))
    assert before != after
    monkeypatch.setattr(company_file.copy, "deepcopy", lambda value: value)
    before, after = answers(CompanyFile("Acme", [], company_info={"Phone": "217-555-0100"}))
    assert before == after  # stale


def test_the_tls_versions_dotnet_offers_are_read_again_after_a_change_to_the_machines_registry(
    linked_office, monkeypatch
):
    # offered_tls is kept until something changes under HKEY_LOCAL_MACHINE; kept past that change,
    # the computer would go on refusing the service's handshake after TLS 1.2 was enabled for .NET.
    from sim.windows.dotnet_tls import offered_tls, set_dotnet_tls

    server = linked_office.server
    server.registry.set_value(r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector", "UpdateLock", "False", user="x")
    set_dotnet_tls(server, "1.0")
    assert offered_tls(server) == "1.0"
    server.registry.set_value(r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector", "UpdateLock", "True", user="x")
    assert offered_tls(server) == "1.0"
    set_dotnet_tls(server, "1.2")
    assert offered_tls(server) == "1.2"

    def never_dropped(self, key, read, below=None, user=None):
        kept = self._memo.get(key)
        if kept is None:
            kept = self._memo[key] = (self.writes, read())
        return kept[1]

    monkeypatch.setattr(Registry, "memo", never_dropped)
    server.registry._memo.clear()
    set_dotnet_tls(server, "1.0")
    assert offered_tls(server) == "1.0"
    set_dotnet_tls(server, "1.2")
    assert offered_tls(server) == "1.0"  # stale
