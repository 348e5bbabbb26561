"""One Windows host's disks: a pyfakefs filesystem with Windows path semantics.

Each host gets its own `FakeFilesystem` in Windows mode (drive letters,
backslashes, case-insensitive names), created without patching the real `os` of
the test process, so any number of hosts and worlds coexist. Only the host's own
drives exist here; shares and mapped letters are resolved by `sim.windows.network`.
Windows refuses to rename or move a file that a program holds open, and pyfakefs
has no such locks, so open handles (QuickBooks holding a company file) are kept
here and checked by every rename, move and delete.
"""

from __future__ import annotations

import errno
import functools
import ntpath
from collections.abc import Callable
from stat import S_IFREG
from typing import TYPE_CHECKING, Any

from pyfakefs import fake_filesystem, fake_os
from pyfakefs.fake_file import FakeDirectory, FakeFile
from pyfakefs.fake_filesystem import OSType
from pyfakefs.helpers import PERM_DEF, PERM_DEF_FILE

from sim.errors import ConfigurationError, FileInUseError, FileOperationError, NoSuchDriveError

if TYPE_CHECKING:
    from sim.parts import World

__all__ = ["HostFilesystem", "normalize", "same_path", "is_below", "relocated"]


def normalize(path: str) -> str:
    """A Windows path with backslashes, no `.`/`..`, no trailing separator."""
    if not isinstance(path, str) or not path.strip():
        raise ConfigurationError(f"not a Windows path: {path!r}")
    return _normalized(path)


@functools.lru_cache(maxsize=4096)
def _normalized(path: str) -> str:
    # A pure function of the text, asked of the same few paths all the time.
    text = ntpath.normpath(path.strip().replace("/", "\\"))
    if len(text) > 3 and text.endswith("\\"):
        text = text.rstrip("\\")
    return text


def same_path(a: str, b: str) -> bool:
    """Windows compares names without regard to case."""
    return normalize(a).casefold() == normalize(b).casefold()


def is_below(path: str, folder: str) -> bool:
    """True if `path` is `folder` itself or anything inside it."""
    p, f = normalize(path).casefold(), normalize(folder).casefold().rstrip("\\")
    return p == f or p.startswith(f + "\\")


def relocated(path: str, old_folder: str, new_folder: str) -> str | None:
    """Where `path` is after `old_folder` became `new_folder` (None if it was not below it)."""
    if not is_below(path, old_folder):
        return None
    return normalize(new_folder) + normalize(path)[len(normalize(old_folder).rstrip("\\")) :]


class HostFilesystem:
    """The local disks of one host."""

    def __init__(self, world: World, host_name: str, drives: tuple[str, ...] = ("C",)) -> None:
        self.world = world
        self.host_name = host_name
        self._fs = fake_filesystem.FakeFilesystem(path_separator="\\")
        self._fs.os = OSType.WINDOWS
        # pyfakefs shuffles listdir() with the global random by default: never here.
        self._fs.shuffle_listdir_results = False
        self._os = fake_os.FakeOsModule(self._fs)
        #: pyfakefs objects by path (None: nothing there), valid while no file or folder is created,
        #: renamed or removed: pyfakefs resolves each path anew, and runs look paths up constantly.
        #: A file or folder created makes only the cached absences stale (`_missing`, their keys).
        self._objects: dict[str, object] = {}
        self._missing: set[str] = set()
        #: Whole-file writes not yet done: path -> (the file, what gives its bytes). See write_later.
        self._later: dict[str, tuple[Any, Callable[[], bytes]]] = {}
        self.drives: tuple[str, ...] = ()
        for letter in drives:
            self.add_drive(letter)
        self._handles: dict[str, list[str]] = {}
        #: Folders some Windows users may not write in (a minimal ACL: folder -> users denied).
        self._write_denied: dict[str, set[str]] = {}

    # --- permissions ------------------------------------------------------------
    def deny_write(self, folder: str, user: str) -> None:
        """Take write permission on `folder` (and below) away from a Windows user."""
        self._write_denied.setdefault(self.local(folder).rstrip("\\").casefold(), set()).add(user.casefold())

    def allow_write(self, folder: str, user: str) -> None:
        self._write_denied.get(self.local(folder).rstrip("\\").casefold(), set()).discard(user.casefold())

    def can_write(self, path: str, user: str) -> bool:
        """Whether `user` may write `path`: no folder on its way denies it."""
        target = self.local(path).casefold()
        return not any(
            user.casefold() in users and (target == folder or target.startswith(folder + "\\"))
            for folder, users in self._write_denied.items()
        )

    # --- drives and paths ----------------------------------------------------
    def add_drive(self, letter: str) -> None:
        letter = letter.rstrip(":\\").upper()
        if len(letter) != 1 or not letter.isalpha():
            raise ConfigurationError(f"{self.host_name}: not a drive letter: {letter!r}")
        if letter not in self.drives:
            self.drives = tuple(sorted(self.drives + (letter,)))
            self._tree_changed()
            # A drive is a pyfakefs mount point with its root folder: what os.makedirs("C:\\") makes
            # on a Windows fake filesystem, made directly (makedirs resolves the path several times).
            self._fs.add_mount_point(f"{letter}:", can_exist=True)

    def local(self, path: str) -> str:
        """Check that `path` is an absolute path on one of this host's own drives."""
        text = normalize(path)
        drive, _ = ntpath.splitdrive(text)
        if len(drive) != 2 or drive[1] != ":":
            raise NoSuchDriveError(f"{self.host_name}: {path!r} is not a path on a local drive")
        if drive[0].upper() not in self.drives:
            raise NoSuchDriveError(
                f"{self.host_name}: drive {drive.upper()} does not exist (drives: "
                f"{', '.join(d + ':' for d in self.drives)})"
            )
        return text

    # --- queries ---------------------------------------------------------------
    def exists(self, path: str) -> bool:
        return self._object(self.local(path)) is not None

    def is_file(self, path: str) -> bool:
        found = self._object(self.local(path))
        return isinstance(found, FakeFile) and not isinstance(found, FakeDirectory)

    def is_dir(self, path: str) -> bool:
        return isinstance(self._object(self.local(path)), FakeDirectory)

    def listdir(self, path: str) -> list[str]:
        return sorted(self._call(self._os.listdir, path), key=str.casefold)

    def real_case(self, path: str) -> str:
        """The path as the filesystem spells it (the case the names were created with)."""
        text = self.local(path)
        drive, rest = ntpath.splitdrive(text)
        current = drive.upper() + "\\"
        for part in [p for p in rest.split("\\") if p]:
            names = {n.casefold(): n for n in self._os.listdir(current)} if self._os.path.isdir(current) else {}
            current = ntpath.join(current, names.get(part.casefold(), part))
        return current

    def files_below(self, folder: str, suffix: str = "") -> list[str]:
        """Every file under `folder` (sorted), optionally only those ending in `suffix`."""
        # The folders' own entries (what os.walk lists, there being no links here), without pyfakefs
        # resolving each folder's path again: the admin's Downloads are searched once per office built.
        found, end = [], suffix.casefold()
        local = self.local(folder)
        start = self._object(local)
        stack = [(local, start)] if isinstance(start, FakeDirectory) else []
        while stack:
            root, directory = stack.pop()
            for name, entry in directory.entries.items():
                if isinstance(entry, FakeDirectory):
                    stack.append((ntpath.join(root, name), entry))
                elif name.casefold().endswith(end):
                    found.append(ntpath.join(root, name))
        return sorted(found, key=str.casefold)

    # --- content ---------------------------------------------------------------
    def read_bytes(self, path: str) -> bytes:
        # Whole-file reads and writes go straight to pyfakefs' file objects: its
        # open() wrapper costs several times more, and month-long runs do thousands.
        local = self.local(path)
        self._settle(local)
        found = self._object(local)
        if found is None or isinstance(found, FakeDirectory):
            raise FileOperationError(f"{self.host_name}: {local!r}: it does not exist")
        return found.byte_contents or b""

    def read_text(self, path: str) -> str:
        return self.read_bytes(path).decode("utf-8")

    def write_bytes(self, path: str, data: bytes, by: str | None = None) -> None:
        """Write a whole file; `by` names the program writing it, which may hold it open."""
        local = self.local(path)
        self.require_not_held(local, "overwrite", allowed=by)
        self._later.pop(local.casefold(), None)  # written now: a deferred write is overtaken
        found = self._object(local)
        if isinstance(found, FakeDirectory):
            raise FileOperationError(f"{self.host_name}: {local!r}: it is a folder")
        (found or self._new_file(local)).set_contents(data)
        self._stamp(local)

    def write_later(self, path: str, produce: Callable[[], bytes], by: str | None = None) -> None:
        """Write a whole existing file whose bytes `produce()` gives, as a write-back cache would:
        checked and time-stamped now, its bytes made when something next reads, copies, moves or
        deletes the file. QuickBooks saves a company file after every transaction, and making
        megabytes of bytes each time that nobody reads before the next save is what long runs
        spent most on. A file that does not exist yet is written now."""
        local = self.local(path)
        self.require_not_held(local, "overwrite", allowed=by)
        found = self._object(local)
        if found is None or isinstance(found, FakeDirectory):
            self.write_bytes(path, produce(), by=by)
            return
        self._later[local.casefold()] = (found, produce)
        self._stamp(local)

    def written_later_by(self, path: str) -> Callable[[], bytes] | None:
        """What will make the bytes of `path` if a write of it is still deferred (None if not)."""
        later = self._later.get(self.local(path).casefold())
        return None if later is None else later[1]

    def _settle(self, local: str | None = None) -> None:
        """Do the deferred writes of `local` and everything below it (all of them if None)."""
        if not self._later:
            return
        if local is not None and local.casefold() in self._later:  # a file: only its own write
            keys = [local.casefold()]
        else:
            keys = [k for k in self._later if local is None or is_below(k, local)]
        for key in keys:
            found, produce = self._later.pop(key)
            stamps = (found.st_atime, found.st_mtime)
            found.set_contents(produce())
            found.st_atime, found.st_mtime = stamps  # as of the save, not of this late write

    def write_text(self, path: str, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def append_text(self, path: str, text: str) -> None:
        local = self.local(path)
        found = self._object(local)
        if isinstance(found, FakeDirectory):
            raise FileOperationError(f"{self.host_name}: {local!r}: it is a folder")
        found = found or self._new_file(local)
        found.set_contents((found.byte_contents or b"") + text.encode("utf-8"))
        self._stamp(local)

    def makedirs(self, path: str) -> None:
        local = self.local(path)
        if isinstance(self._object(local), FakeDirectory):
            return
        # Folder by folder from the drive's root, with pyfakefs' objects: its makedirs resolves
        # the whole path again for each folder, and building an office makes dozens.
        drive, rest = ntpath.splitdrive(local)
        folder, current = self._object(drive + "\\"), drive + "\\"
        for name in [part for part in rest.split("\\") if part]:
            current = ntpath.join(current, name)
            found = self._object(current)
            if found is None:
                found = FakeDirectory(name, PERM_DEF & ~self._fs.umask, filesystem=self._fs)
                folder.add_entry(found)
                self._entry_added()
            elif not isinstance(found, FakeDirectory):
                raise FileOperationError(f"{self.host_name}: {current!r}: it is a file, not a folder")
            folder = found

    def _new_file(self, local: str) -> FakeFile:
        """An empty file at `local` (which does not exist), its folders made as needed."""
        self.makedirs(ntpath.dirname(local))
        found = FakeFile(ntpath.basename(local), S_IFREG | (PERM_DEF_FILE & ~self._fs.umask), filesystem=self._fs)
        self._object(ntpath.dirname(local)).add_entry(found)
        self._entry_added()
        return found

    # --- changes an admin makes ---------------------------------------------
    def rename(self, source: str, target: str) -> None:
        """Rename or move within this host, as Explorer or `move` would."""
        src, dst = self.local(source), self.local(target)
        if self._object(src) is None:
            raise FileOperationError(f"{self.host_name}: cannot rename {source!r}: it does not exist")
        if self._object(dst) is not None and not same_path(src, dst):
            raise FileOperationError(f"{self.host_name}: cannot rename to {target!r}: it already exists")
        self.require_not_held(src, "rename or move")
        moved = self._later.pop(src.casefold(), None)  # a file's deferred write moves with it
        self._settle(src)  # what is below a folder is written before the folder moves
        self.makedirs(ntpath.dirname(dst))
        self._tree_changed()
        self._call(self._os.rename, src, dst)
        if moved is not None:
            self._later[dst.casefold()] = (self._object(dst), moved[1])

    def remove(self, path: str) -> None:
        local = self.local(path)
        self.require_not_held(local, "delete")
        for key in [k for k in self._later if is_below(k, local)]:
            del self._later[key]  # nothing left to write
        self._tree_changed()
        if self._os.path.isdir(local):
            for child in self.listdir(local):
                self.remove(ntpath.join(local, child))
            self._call(self._os.rmdir, local)
        else:
            self._call(self._os.remove, local)

    # --- handles (Windows file locks) -----------------------------------------
    def hold(self, path: str, holder: str) -> None:
        self._handles.setdefault(self.local(path).casefold(), []).append(holder)

    def release(self, path: str, holder: str) -> None:
        key = self.local(path).casefold()
        holders = self._handles.get(key, [])
        if holder in holders:
            holders.remove(holder)
        if not holders:
            self._handles.pop(key, None)

    def holders(self, path: str) -> list[str]:
        """Programs holding `path` or anything below it open."""
        local = self.local(path)
        return [h for key in sorted(self._handles) if is_below(key, local) for h in self._handles[key]]

    def require_not_held(self, local: str, action: str, allowed: str | None = None) -> None:
        # `allowed` names a program family: every QuickBooks sharing a file in
        # multi-user mode writes to it (through its database server).
        holders = [h for h in self.holders(local) if not (allowed and (h == allowed or h.startswith(allowed + "@")))]
        if holders:
            raise FileInUseError(
                f"{self.host_name}: cannot {action} {local!r}: it is open in {', '.join(sorted(set(holders)))}"
            )

    # --- helpers ------------------------------------------------------------------
    def _stamp(self, local: str) -> None:
        # pyfakefs would take the wall clock; the simulated clock keeps traces reproducible.
        stamp = self.world.start.timestamp() + self.world.seconds
        found = self._object(local)
        found.st_atime = found.st_mtime = stamp

    def _tree_changed(self) -> None:
        self._objects.clear()
        self._missing.clear()

    def _entry_added(self) -> None:
        """A new file or folder: every path cached as found still names what it did (nothing moved
        or went away); only the paths cached as absent may name something now."""
        for key in self._missing:
            del self._objects[key]
        self._missing.clear()

    def _object(self, local: str):
        """What pyfakefs' get_object finds at `local` (None: nothing), for a path without links (there are
        none here), looked up entry by entry in each folder instead of resolving the whole path again.
        A loop, so a path of any depth costs no recursion: up to the nearest level already cached (or
        the drive's root), then down, caching each level on the way; bounded by the path's length."""
        objects = self._objects
        key = local.casefold()
        if key in objects:
            return objects[key]
        below: list[tuple[str, str]] = []  # (key, path) of the levels under the one found, deepest first
        current = local
        while key not in objects:
            parent = ntpath.dirname(current)
            if parent == current:  # a drive's root: pyfakefs knows its drives
                try:
                    root = self._fs.get_object(current)
                except OSError:
                    root = None
                self._remember(key, root)
                break
            below.append((key, current))
            current, key = parent, parent.casefold()
        found = objects[key]
        for key, path in reversed(below):
            try:
                found = found.get_entry(ntpath.basename(path)) if isinstance(found, FakeDirectory) else None
            except KeyError:
                found = None
            self._remember(key, found)
        return found

    def _remember(self, key: str, found) -> None:
        if found is None:
            self._missing.add(key)
        self._objects[key] = found

    def _call(self, function, path: str, *args, **kwargs):
        local = self.local(path)
        try:
            return function(local, *args, **kwargs)
        except OSError as error:
            reasons: dict[int | None, str] = {
                errno.ENOENT: "it does not exist",
                errno.EEXIST: "it already exists",
                errno.EACCES: "access is denied",
            }
            reason = reasons.get(error.errno, error.strerror or str(error))
            raise FileOperationError(f"{self.host_name}: {local!r}: {reason}") from None
