"""`wcsim diagnose QWCLog.txt|-`: read a customer's log, print the diagnosis, write the reproduction.

Exit codes: 0 one modelled cause (or several with one fix) explains the failure, or the
log shows no failure, no error and no missing run; 1 otherwise ("failed, not
explained", or several causes fit that need different fixes); 2 bad input (no such
file, binary data, bad arguments, an output path that would overwrite the log or
cannot be written). `--scenario FILE` writes the top cause's reproduction, which
`wcsim run FILE` replays, only when the verdict is "explained"; it is checked before
the diagnosis runs (never the log itself, never a FIFO, a device or a folder) and
written whole or not at all. `--json` prints sessions, signature and ranked causes
with scores and evidence. `--copied-at TIME` says when the log was copied (UTC), so
scheduled runs that stopped and had not come back by then are diagnosed. Standard input is read in chunks, at most
`MAX_STDIN_BYTES`, keeping its last `MAX_BYTES`.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
from collections import deque
from pathlib import Path

from sim.diagnose.diagnosis import diagnose
from sim.diagnose.log_reader import MAX_BYTES, LogReadError, read_log

__all__ = ["diagnose_command", "MAX_STDIN_BYTES"]

#: Standard input read at most (`yes x | wcsim diagnose -` ends); its end is kept.
MAX_STDIN_BYTES = 4 * MAX_BYTES
_CHUNK = 1 << 20


def _read_stdin(stream) -> tuple[bytes, bool]:
    """The last MAX_BYTES of at most MAX_STDIN_BYTES of `stream`, and whether it went on past that.
    Chunks are kept while the newest MAX_BYTES need them, so memory stays near MAX_BYTES."""
    chunks: deque[bytes] = deque()
    kept = read = 0
    while read < MAX_STDIN_BYTES:
        chunk = stream.read(min(_CHUNK, MAX_STDIN_BYTES - read))
        if not chunk:
            break
        read += len(chunk)
        chunks.append(chunk)
        kept += len(chunk)
        while kept - len(chunks[0]) >= MAX_BYTES:
            kept -= len(chunks.popleft())
    else:
        return b"".join(chunks)[-MAX_BYTES:], bool(stream.read(1))
    return b"".join(chunks)[-MAX_BYTES:], False


def _read_input(name: str) -> bytes:
    if name == "-":
        data, more = _read_stdin(sys.stdin.buffer)
        if more:
            sys.stderr.write(
                f"wcsim: standard input goes on past {MAX_STDIN_BYTES // 1_000_000} MB: diagnosing what came before\n"
            )
        return data
    if not stat.S_ISREG(os.stat(name).st_mode):
        raise LogReadError(f"{name}: not a regular file")
    size = os.path.getsize(name)
    with open(name, "rb") as stream:
        if size > MAX_BYTES:
            stream.seek(size - MAX_BYTES - 1)
        return stream.read(MAX_BYTES + 1)


def _check_output(target: Path, log: str) -> str:
    """Why `target` cannot take the reproduction ("" when it can): checked before the diagnosis runs."""
    if log != "-" and target.exists():
        try:
            if os.path.samefile(target, log):
                return f"--scenario {target}: that is the log being diagnosed; name another file"
        except OSError:
            pass
    if target.exists() or target.is_symlink():
        try:
            mode = os.stat(target).st_mode
        except OSError as error:
            return f"--scenario {target}: cannot use it ({error.strerror or error})"
        if not stat.S_ISREG(mode):
            return f"--scenario {target}: not a regular file (a folder, FIFO or device); name a .toml file"
        if not os.access(target, os.W_OK):
            return f"--scenario {target}: not writable"
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        return f"--scenario: folder {str(folder)!r} does not exist"
    if not os.access(folder, os.W_OK):
        return f"--scenario {target}: folder {str(folder)!r} is not writable"
    return ""


def _write_whole(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file in the same folder, replaced at once."""
    handle, temporary = tempfile.mkstemp(prefix=".wcsim-", suffix=".toml", dir=str(target.parent) or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def diagnose_command(arguments: argparse.Namespace) -> int:
    if arguments.scenario is not None:
        problem = _check_output(arguments.scenario, arguments.log)
        if problem:
            sys.stderr.write(f"wcsim: error: {problem}\n")
            return 2
    try:
        data = _read_input(arguments.log)
        log = read_log(data)
    except FileNotFoundError:
        sys.stderr.write(f"wcsim: error: {arguments.log}: no such file\n")
        return 2
    except OSError as error:
        sys.stderr.write(f"wcsim: error: {arguments.log}: cannot read it ({error.strerror or error})\n")
        return 2
    except LogReadError as error:
        sys.stderr.write(f"wcsim: error: {arguments.log}: {error}\n")
        return 2
    if not log.entries:
        sys.stderr.write(
            f"wcsim: error: {arguments.log}: no QWCLog.txt lines in it (lines look like "
            "'20260105.09:00:00 UTC : QBWebConnector... : ...', or pasted messages such as 'QBWC1012: ...')\n"
        )
        return 2
    diagnosis = diagnose(log, workers=arguments.workers, copied_at=arguments.copied_at)
    if arguments.json:
        sys.stdout.write(json.dumps(diagnosis.as_dict(), indent=2, default=str) + "\n")
    else:
        sys.stdout.write(diagnosis.text())
    if arguments.scenario is not None:
        if diagnosis.verdict == "explained":
            try:
                _write_whole(arguments.scenario, diagnosis.top[0].scenario)
            except OSError as error:
                sys.stderr.write(
                    f"wcsim: error: --scenario {arguments.scenario}: cannot write it ({error.strerror or error})\n"
                )
                return 2
            sys.stderr.write(f"wrote {arguments.scenario}: replay it with `wcsim run {arguments.scenario}`\n")
        else:
            sys.stderr.write(
                f"no reproduction written to {arguments.scenario}: the verdict is "
                f'"{diagnosis.verdict}", not one cause\n'
            )
    return diagnosis.exit_code
