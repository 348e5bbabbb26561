r"""The office network: shared folders, mapped drive letters and path resolution.

A server shares one of its local folders as `\\SERVER\Share`; a workstation maps a
drive letter to a share. Any path a program uses on a host (a local path, a mapped
letter, or a UNC path) resolves here to the host whose disk holds it and the local
path on that disk. A share is a view of the server's folder, so renaming that
folder on the server changes what every mapped letter shows, as on Windows.
Renaming across hosts is a copy and a delete, as Windows does it.
"""

from __future__ import annotations

import ntpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import (
    ConfigurationError,
    FileOperationError,
    HostUnavailableError,
    NoSuchDriveError,
    NoSuchShareError,
    UnknownHostError,
)
from sim.windows.filesystem import normalize

if TYPE_CHECKING:
    from sim.parts import World
    from sim.windows.host import Host

__all__ = ["Network", "Location"]


@dataclass(frozen=True)
class Location:
    """Where a path really is: the host whose disk holds it, and the local path there."""

    host: Host
    path: str

    def __str__(self) -> str:
        return f"{self.host.name}:{self.path}"


class Network:
    """Shares and drive mappings of one world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._shares: dict[tuple[str, str], tuple[str, str]] = {}  # (HOST, SHARE) -> (share name, local folder)
        self._mapped: dict[tuple[str, str], str] = {}  # (HOST, letter) -> UNC root

    def share(self, server: Host, share_name: str, folder: str) -> str:
        """Share `folder` of `server` as `\\\\SERVER\\share_name`; returns the UNC root."""
        local = server.fs.local(folder)
        server.fs.makedirs(local)
        key = (server.name.upper(), share_name.upper())
        self._shares[key] = (share_name, local)
        unc = f"\\\\{server.name}\\{share_name}"
        self.world.record(server.name, "share.created", unc=unc, folder=local)
        return unc

    def map_drive(self, host: Host, letter: str, unc: str) -> None:
        letter = letter.rstrip(":\\").upper()
        if len(letter) != 1 or not letter.isalpha():
            raise ConfigurationError(f"{host.name}: not a drive letter: {letter!r}")
        if letter in host.fs.drives:
            raise ConfigurationError(f"{host.name}: drive {letter}: is a local disk and cannot be mapped")
        self._share_of(normalize(unc))  # fail now on a share that does not exist
        self._mapped[(host.name.upper(), letter)] = normalize(unc)
        self.world.record(host.name, "drive.mapped", letter=f"{letter}:", unc=normalize(unc))

    def unmap_drive(self, host: Host, letter: str) -> None:
        letter = letter.rstrip(":\\").upper()
        if self._mapped.pop((host.name.upper(), letter), None) is None:
            raise NoSuchDriveError(f"{host.name}: drive {letter}: is not mapped")
        self.world.record(host.name, "drive.unmapped", letter=f"{letter}:")

    def resolve(self, host: Host, path: str) -> Location:
        """The host and local path that `path`, as used on `host`, refers to."""
        text = normalize(path)
        if text.startswith("\\\\"):
            return self._resolve_unc(text)
        drive, rest = ntpath.splitdrive(text)
        if len(drive) != 2 or drive[1] != ":":
            raise NoSuchDriveError(f"{host.name}: {path!r} is not an absolute Windows path")
        letter = drive[0].upper()
        if letter in host.fs.drives:
            return Location(host, host.fs.local(text))
        unc = self._mapped.get((host.name.upper(), letter))
        if unc is None:
            raise NoSuchDriveError(f"{host.name}: drive {letter}: does not exist and is not mapped (path {path!r})")
        return self._resolve_unc(unc + rest)

    def _share_of(self, unc: str) -> tuple[Host, str, str]:
        parts = unc.lstrip("\\").split("\\")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise NoSuchShareError(f"{unc!r} is not a \\\\SERVER\\Share path")
        try:
            server = self.world.host(parts[0])
        except UnknownHostError:
            raise NoSuchShareError(f"{unc!r}: no computer named {parts[0]!r} on the network") from None
        entry = self._shares.get((server.name.upper(), parts[1].upper()))
        if entry is None:
            raise NoSuchShareError(f"{unc!r}: {server.name} has no share named {parts[1]!r}")
        return server, entry[1], "\\".join(parts[2:])

    def _resolve_unc(self, unc: str) -> Location:
        server, folder, rest = self._share_of(unc)
        if not server.is_on:
            raise HostUnavailableError(f"{unc!r}: {server.name} is {server.power.value} and does not answer")
        return Location(server, normalize(ntpath.join(folder, rest)) if rest else folder)

    # --- operations across hosts ---------------------------------------------------
    def exists(self, host: Host, path: str) -> bool:
        """True if `path` as seen from `host` names an existing file or folder."""
        try:
            where = self.resolve(host, path)
        except (NoSuchDriveError, NoSuchShareError, HostUnavailableError):
            return False
        return where.host.fs.exists(where.path)

    def move(self, host: Host, source: str, target: str) -> None:
        """Rename or move a file or folder as a user on `host` would."""
        src, dst = self.resolve(host, source), self.resolve(host, target)
        if src.host is dst.host and src.path[:2].upper() == dst.path[:2].upper():
            src.host.fs.rename(src.path, dst.path)
            return
        if not src.host.fs.is_file(src.path):
            raise FileOperationError(
                f"{host.name}: moving folders between disks or computers is not modelled ({source!r})"
            )
        if dst.host.fs.exists(dst.path):
            raise FileOperationError(f"{host.name}: cannot move to {target!r}: it already exists")
        src.host.fs.require_not_held(src.path, "move")
        dst.host.fs.write_bytes(dst.path, src.host.fs.read_bytes(src.path))
        src.host.fs.remove(src.path)
