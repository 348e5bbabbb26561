"""QuickBooks Desktop: one file at a time, single- and multi-user modes, pop-ups, file locks."""

import pytest

from sim.errors import CompanyFileError, FileInUseError
from sim.people.admin import leave_popup, rename_company_file
from sim.quickbooks.open_files import MULTI_USER, SINGLE_USER


def test_single_user_admits_nobody_else(office):
    path = office.files["Acme Properties"]
    office.server.quickbooks.open_company_file(path, "Admin", mode=SINGLE_USER)
    with pytest.raises(CompanyFileError, match="single-user mode by Admin on FILESRV"):
        office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria")


def test_single_user_is_refused_while_others_are_in(office):
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria", mode=MULTI_USER)
    with pytest.raises(CompanyFileError, match="in use by maria on WS01"):
        office.server.quickbooks.open_company_file(office.files["Acme Properties"], "Admin", mode=SINGLE_USER)


def test_an_open_file_cannot_be_renamed(office):
    path = office.files["Acme Properties"]
    office.workstations[0].quickbooks.open_company_file(office.mapped_path("Acme Properties"), "maria")
    with pytest.raises(FileInUseError, match="QuickBooks@WS01"):
        rename_company_file(office.server, path, "New.QBW")


def test_pending_popup_shows_on_open_and_dismissing_clears_it(office):
    path = office.files["Acme Properties"]
    leave_popup(office.server, path, "Update your company file")
    desktop = office.server.quickbooks
    desktop.open_company_file(path, "Admin")
    assert desktop.dialogs == ["Update your company file"]
    desktop.dismiss_dialogs()
    desktop.close_company_file()
    desktop.open_company_file(path, "Admin")
    assert desktop.dialogs == []


def test_opening_a_second_file_closes_the_first(office):
    desktop = office.server.quickbooks
    desktop.open_company_file(office.files["Acme Properties"], "Admin")
    from sim.quickbooks.company_file import create_company_file

    create_company_file(office.world, office.server, r"D:\QBData\Other.QBW")
    desktop.open_company_file(r"D:\QBData\Other.QBW", "Admin")
    assert office.server.fs.holders(office.files["Acme Properties"]) == []


def test_missing_file_is_a_clear_error(office):
    with pytest.raises(CompanyFileError, match="cannot find the company file"):
        office.server.quickbooks.open_company_file(r"D:\QBData\Nope.QBW", "Admin")


def test_a_person_cannot_open_a_file_of_another_year_version_until_it_is_upgraded(office):
    import pytest

    from sim.errors import CompanyFileError
    from sim.people.admin import install_quickbooks, upgrade_company_file

    path = office.files["Acme Properties"]
    install_quickbooks(office.server, 2025)
    with pytest.raises(CompanyFileError, match="QuickBooks 2025 must upgrade"):
        office.server.quickbooks.open_company_file(path, "Admin")
    upgraded = upgrade_company_file(office.server, path, 2025)
    # In place, after a backup (every public guide; no source shows a renamed copy).
    assert upgraded == path and office.server.fs.is_file(path.removesuffix(".QBW") + " (before 2025 upgrade).QBB")
    assert office.server.quickbooks.open_company_file(upgraded, "Admin").path == path


def test_the_sdk_starts_the_year_version_a_person_last_started(office):
    from sim.people.admin import install_quickbooks

    desktop = office.server.quickbooks
    install_quickbooks(office.server, 2025)
    assert desktop.year == 2025  # the newest, before anyone chose
    desktop.open_company_file(office.files["Acme Properties"], "Admin", year=2024)
    desktop.close_company_file()
    assert desktop.year == 2024
    assert office.world.trace.select("quickbooks.started_version", year=2024)


def test_starting_a_year_version_that_is_not_installed_is_refused(office):
    from sim.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="QuickBooks 2019 is not installed"):
        office.server.quickbooks.open_company_file(office.files["Acme Properties"], "Admin", year=2019)
