"""Shares, mapped drive letters and moving files between computers."""

import pytest

from sim.errors import ConfigurationError, NoSuchDriveError, NoSuchShareError
from sim.world import World


@pytest.fixture
def world():
    world = World(seed=1)
    server = world.add_server("FILESRV", drives=("C", "D"))
    station = world.add_workstation("WS1")
    unc = world.network.share(server, "QBData", r"D:\QBData")
    world.network.map_drive(station, "Q", unc)
    server.fs.write_text(r"D:\QBData\Acme\Acme.QBW", "x")
    return world


def test_mapped_letter_and_unc_lead_to_the_server_folder(world):
    station = world.host("WS1")
    for path in (r"Q:\Acme\Acme.QBW", r"\\FILESRV\QBData\Acme\Acme.QBW", r"\\filesrv\qbdata\acme\acme.qbw"):
        where = world.network.resolve(station, path)
        assert where.host.name == "FILESRV" and where.path.casefold() == r"d:\qbdata\acme\acme.qbw"


def test_renaming_the_folder_on_the_server_changes_what_the_letter_shows(world):
    world.host("FILESRV").fs.rename(r"D:\QBData\Acme", r"D:\QBData\Acme 2026")
    assert not world.network.exists(world.host("WS1"), r"Q:\Acme\Acme.QBW")
    assert world.network.exists(world.host("WS1"), r"Q:\Acme 2026\Acme.QBW")


def test_unmapped_letter_and_unknown_share_are_clear_errors(world):
    with pytest.raises(NoSuchDriveError, match="drive R: does not exist and is not mapped"):
        world.network.resolve(world.host("WS1"), r"R:\x.QBW")
    with pytest.raises(NoSuchShareError, match="no share named 'Data'"):
        world.network.resolve(world.host("WS1"), r"\\FILESRV\Data\x.QBW")
    with pytest.raises(NoSuchShareError, match="no computer named 'OLDSRV'"):
        world.network.resolve(world.host("WS1"), r"\\OLDSRV\QBData\x.QBW")


def test_a_sleeping_server_does_not_answer(world):
    world.host("FILESRV").sleep()
    assert not world.network.exists(world.host("WS1"), r"Q:\Acme\Acme.QBW")


def test_move_to_another_computer_is_copy_and_delete(world):
    station = world.host("WS1")
    world.network.move(station, r"Q:\Acme\Acme.QBW", r"C:\Local\Acme.QBW")
    assert station.fs.read_text(r"C:\Local\Acme.QBW") == "x"
    assert not world.host("FILESRV").fs.exists(r"D:\QBData\Acme\Acme.QBW")


def test_local_disk_letter_cannot_be_mapped(world):
    with pytest.raises(ConfigurationError, match="local disk"):
        world.network.map_drive(world.host("FILESRV"), "D", r"\\FILESRV\QBData")
