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
    assert (
        made == []
        and fs.written_later_by(r"C:\Data\b.txt") is not None
        and fs.written_later_by(r"C:\Data\a.txt") is None
    )
    assert fs.read_bytes(r"C:\Data\b.txt") == b"new" and made == [1]


def test_a_deferred_write_below_a_renamed_folder_is_done_before_the_folder_moves(host):
    fs = host.fs
    fs.write_bytes(r"C:\Data\a.txt", b"old")
    fs.write_later(r"C:\Data\a.txt", lambda: b"new")
    fs.rename(r"C:\Data", r"C:\Moved")
    assert fs.read_bytes(r"C:\Moved\a.txt") == b"new"


def test_a_path_is_found_folder_by_folder_exactly_as_pyfakefs_finds_it(host):
    # HostFilesystem._object looks a path up in its folder's entries (cached) instead of asking pyfakefs
    # to resolve the whole path: the same object, or nothing, for every path, before and after changes.
    fs = host.fs
    fs.write_text(r"D:\QBData\Acme.QBW", "x")
    fs.makedirs(r"C:\Users\Public\Documents")
    queries = [
        r"C:\\",
        r"D:\\",
        r"D:\QBData",
        r"d:\qbdata\acme.qbw",
        r"D:\QBDATA\ACME.QBW",
        r"D:\QBData\Acme.QBW\inside",  # below a file
        r"D:\QBData\Missing\Acme.QBW",  # below a missing folder
        r"D:\Other.QBW",
        r"C:\Users\public\documents",
        r"C:\Users\Public\Documents\Intuit",
    ]

    def pyfakefs_finds(path):
        try:
            return fs._fs.get_object(path)
        except OSError:
            return None

    def agree():
        for query in queries:
            local = fs.local(query)
            assert fs._object(local) is pyfakefs_finds(local), query

    agree()
    fs.write_text(r"D:\QBData\Missing\Acme.QBW", "y")  # a folder and a file where nothing was
    fs.write_text(r"D:\Other.QBW", "z")
    agree()
    fs.rename(r"D:\QBData", r"D:\Moved")
    agree()
    fs.remove(r"C:\Users\Public")
    agree()


def test_the_files_below_a_folder_are_those_a_walk_of_the_disk_finds(host):
    fs = host.fs
    for path in (
        r"C:\Users\Admin\Downloads\Acme.qwc",
        r"C:\Users\Admin\Downloads\old\Acme (1).QWC",
        r"C:\Users\Admin\Downloads\notes.txt",
        r"C:\Users\Public\Stratafolio.qwc",
        r"C:\Users\Admin\Desktop\deep\er\still.qwc",
    ):
        fs.write_text(path, "x")
    fs.makedirs(r"C:\Users\Empty")

    def walked(folder, suffix):
        return sorted(
            (
                f"{root}\\{name}".replace("\\\\", "\\")
                for root, _, files in fs._os.walk(fs.local(folder))
                for name in files
                if name.casefold().endswith(suffix.casefold())
            ),
            key=str.casefold,
        )

    for folder, suffix in ((r"C:\Users", ".qwc"), (r"c:\users\admin", ""), ("C:\\", ".QWC"), (r"C:\Users\Empty", "")):
        assert fs.files_below(folder, suffix) == walked(folder, suffix)
    assert fs.files_below(r"C:\Users", ".qwc")[0] == r"C:\Users\Admin\Desktop\deep\er\still.qwc"
    assert fs.files_below(r"C:\Nowhere", ".qwc") == []
    assert fs.files_below(r"C:\Users\Admin\Downloads\notes.txt") == []  # a file is no folder to search


def test_a_drive_is_made_as_pyfakefs_makes_it_when_its_root_folder_is_created(host):
    # add_drive mounts the drive directly instead of os.makedirs("D:\\"): the same mount points,
    # device and inode numbers, and root folders as pyfakefs' own makedirs leaves.
    from pyfakefs import fake_filesystem, fake_os
    from pyfakefs.fake_filesystem import OSType

    host.fs.add_drive("E")
    expected = fake_filesystem.FakeFilesystem(path_separator="\\")
    expected.os = OSType.WINDOWS
    for letter in ("C", "D", "E"):
        fake_os.FakeOsModule(expected).makedirs(f"{letter}:\\", exist_ok=True)

    def shape(fs):
        folders = {
            name: (entry.name, entry.st_mode, entry.st_dev, entry.st_ino, entry.st_nlink, sorted(entry.entries))
            for name, entry in fs.root.entries.items()
        }
        return fs.mount_points, fs.last_dev, fs.last_ino, fs.root.st_ino, folders

    assert shape(host.fs._fs) == shape(expected)
    host.fs.write_text(r"E:\Backups\Acme.QBW", "x")
    assert host.fs.exists(r"e:\backups\acme.qbw") and host.fs.listdir("E:\\") == ["Backups"]


def test_a_very_deep_path_is_looked_up_without_recursion(host):
    # A fresh path of 5,000 folders (far past Python's recursion limit) is looked up level by level in a
    # loop: nothing there, as pyfakefs itself answers; then the same depth made, found, and a file below it.
    fs = host.fs
    deep = "D:\\" + "\\".join(f"f{n}" for n in range(5_000))
    assert not fs.exists(deep) and not fs.is_dir(deep + "\\below")
    try:
        pyfakefs_finds = fs._fs.get_object(fs.local(deep))
    except OSError:
        pyfakefs_finds = None
    assert pyfakefs_finds is None
    fs.makedirs(deep)
    fs.write_text(deep + "\\leaf.txt", "x")
    assert fs.is_dir(deep) and fs.read_bytes(deep.upper() + "\\LEAF.TXT") == b"x"
    assert fs._object(fs.local(deep)) is fs._fs.get_object(fs.local(deep))
