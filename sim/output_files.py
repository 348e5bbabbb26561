"""Files a command writes (`--output`, `--html`, `--trace-file`): checked before the work, written in one line's worth
of error.

A command that will run for minutes and then write a file checks the path first, so
that a mistake is one line and exit 2 at once, not an error after the whole run: the
folder must exist, the path must not be a folder, a device, a FIFO or a socket
(writing to a FIFO blocks until someone reads it; `/dev/full` fails; `/dev/null`
loses what is read back), it must be writable (tried: opened for appending), and it
must not be one of the command's own input files (`wcsim run X.toml --html X.toml` would overwrite the
scenario). What cannot be known before (a disk that fills up) is caught when
writing and reported in the same one-line form.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["output_problem", "output_folder_problem", "write_output", "OutputError"]


class OutputError(Exception):
    """An output file that cannot be written; its text is the one line to show."""


def output_problem(option: str, path: Path, inputs: tuple[tuple[str, Path], ...] = ()) -> str:
    """Why `path` cannot be written as the output of `option` ("" if it can).
    `inputs`: (what, path) of files the command reads or writes otherwise, never to be overwritten."""
    shown = repr(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        return f"{option} {shown}: {error.strerror or error}"
    folder = path.parent if str(path.parent) else Path(".")
    if info is None:
        if path.is_symlink():
            return f"{option} {shown}: a symbolic link to a file that does not exist"
        if not folder.is_dir():
            return f"{option} {shown}: folder {str(folder)!r} does not exist"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"{option} {shown}: folder {str(folder)!r} is not writable"
    else:
        if stat.S_ISDIR(info.st_mode):
            return f"{option} {shown}: is a folder (name a file in it)"
        if not stat.S_ISREG(info.st_mode):
            return f"{option} {shown}: not a regular file (a device, a FIFO or a socket); name a file on disk"
        if not os.access(path, os.W_OK):
            return f"{option} {shown}: not writable"
    for what, other in inputs:
        if other is not None and _same_file(path, other):
            return f"{option} {shown}: is {what}; it would be overwritten"
    # Permissions say little to root or on special file systems: try it (appending changes nothing;
    # a file made only to try is removed).
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as error:
        return f"{option} {shown}: cannot write: {error.strerror or error}"
    if info is None:
        path.unlink(missing_ok=True)
    return ""


def output_folder_problem(option: str, path: Path) -> str:
    """Why files cannot be written in the folder `path` (made if missing), or ""."""
    import tempfile

    if path.exists() and not path.is_dir():
        return f"{option} {str(path)!r}: is a file, not a folder"
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        return f"{option} {str(path)!r}: cannot write there: {error.strerror or error}"
    return ""


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist yet: compare where they would be
        return Path(os.path.abspath(one)) == Path(os.path.abspath(other)) or one.resolve() == other.resolve()


def write_output(option: str, path: Path, text: str) -> None:
    """Write `text` to `path`, or raise OutputError with the one line to show."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"{option} {str(path)!r}: cannot write: {error.strerror or error}") from None
