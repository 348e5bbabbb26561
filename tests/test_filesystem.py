"""A host's fake disks: Windows names, drives, file locks, sorted listings, simulated times."""

import pytest

from sim.errors import FileInUseError, FileOperationError, NoSuchDriveError
from sim.world import World


@pytest.fixture
def host():
    return World(seed=1).add_server("SRV", drives=("C", "D"))


def test_names_are_case_insensitive_with_backslashes_or_slashes(host):
    host.fs.write_text(r"D:\QBData\Acme.QBW", "x")
    assert host.fs.exists("d:/qbdata/ACME.qbw")
    assert host.fs.real_case(r"d:\qbdata\acme.qbw") == r"D:\QBData\Acme.QBW"


def test_a_drive_the_host_does_not_have_is_an_error(host):
    with pytest.raises(NoSuchDriveError, match="drive E: does not exist"):
        host.fs.write_text(r"E:\x.txt", "x")


def test_rename_of_a_held_file_or_its_folder_is_refused(host):
    host.fs.write_text(r"D:\QBData\Acme.QBW", "x")
    host.fs.hold(r"D:\QBData\Acme.QBW", "QuickBooks")
    with pytest.raises(FileInUseError, match="open in QuickBooks"):
        host.fs.rename(r"D:\QBData\Acme.QBW", r"D:\QBData\B.QBW")
    with pytest.raises(FileInUseError):
        host.fs.rename(r"D:\QBData", r"D:\Data")
    host.fs.release(r"D:\QBData\Acme.QBW", "QuickBooks")
    host.fs.rename(r"D:\QBData", r"D:\Data")
    assert host.fs.exists(r"D:\Data\Acme.QBW")


def test_rename_onto_an_existing_file_fails(host):
    host.fs.write_text(r"D:\a.txt", "a")
    host.fs.write_text(r"D:\b.txt", "b")
    with pytest.raises(FileOperationError, match="already exists"):
        host.fs.rename(r"D:\a.txt", r"D:\b.txt")


def test_listdir_is_sorted_whatever_the_creation_order(host):
    for name in ("zeta", "Alpha", "mid"):
        host.fs.write_text(f"D:\\F\\{name}.txt", "")
    assert host.fs.listdir(r"D:\F") == ["Alpha.txt", "mid.txt", "zeta.txt"]


def test_file_times_come_from_the_simulated_clock():
    world = World(seed=1)
    host = world.add_workstation("WS")
    world.run(minutes=30)
    host.fs.write_text(r"C:\t.txt", "x")
    stat = host.fs._os.stat(r"C:\t.txt")
    assert stat.st_mtime == world.start.timestamp() + 1800


def test_missing_file_read_names_the_path(host):
    with pytest.raises(FileOperationError, match="does not exist"):
        host.fs.read_bytes(r"D:\nothing.txt")


def test_relocated_follows_a_folder_rename():
    from sim.windows.filesystem import relocated

    assert relocated(r"D:\QBData\Clients\A.QBW", r"d:\qbdata", r"D:\QB Archive") == r"D:\QB Archive\Clients\A.QBW"
    assert relocated(r"D:\QBDataOld\A.QBW", r"D:\QBData", r"D:\X") is None


def test_a_deferred_write_moves_with_its_file_and_is_done_when_read_there(host):
    fs = host.fs
    fs.write_bytes(r"C:\Data\a.txt", b"old")
    made = []
    fs.write_later(r"C:\Data\a.txt", lambda: made.append(1) or b"new")
    fs.rename(r"C:\Data\a.txt", r"C:\Data\b.txt")
    assert made == [] and fs.written_later_by(r"C:\Data\b.txt") is not None and fs.written_later_by(r"C:\Data\a.txt") is None
    assert fs.read_bytes(r"C:\Data\b.txt") == b"new" and made == [1]


def test_a_deferred_write_below_a_renamed_folder_is_done_before_the_folder_moves(host):
    fs = host.fs
    fs.write_bytes(r"C:\Data\a.txt", b"old")
    fs.write_later(r"C:\Data\a.txt", lambda: b"new")
    fs.rename(r"C:\Data", r"C:\Moved")
    assert fs.read_bytes(r"C:\Moved\a.txt") == b"new"
