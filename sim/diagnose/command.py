"""`wcsim diagnose QWCLog.txt|-`: read a customer's log, print the diagnosis, write the reproduction.

Exit codes: 0 a modelled cause explains the failure (or the log shows none), 1 no
modelled cause produces it, 2 bad input (no such file, binary data, bad arguments).
`--scenario FILE` writes the top cause's reproduction, which `wcsim run FILE` replays;
`--json` prints sessions, signature and ranked causes with scores and evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys

from sim.diagnose.diagnosis import diagnose
from sim.diagnose.log_reader import MAX_BYTES, LogReadError, read_log

__all__ = ["diagnose_command"]


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read(MAX_BYTES * 5 + 1)[-MAX_BYTES * 5 :]
    if not stat.S_ISREG(os.stat(name).st_mode):
        raise LogReadError(f"{name}: not a regular file")
    size = os.path.getsize(name)
    with open(name, "rb") as stream:
        if size > MAX_BYTES:
            stream.seek(size - MAX_BYTES - 1)
        return stream.read()


def diagnose_command(arguments: argparse.Namespace) -> int:
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
        sys.stderr.write(f"wcsim: error: {arguments.log}: no QWCLog.txt lines in it (lines look like '20260105.09:00:00 UTC : QBWebConnector... : ...')\n")
        return 2
    diagnosis = diagnose(log, workers=arguments.workers)
    if arguments.json:
        sys.stdout.write(json.dumps(diagnosis.as_dict(), indent=2, default=str) + "\n")
    else:
        sys.stdout.write(diagnosis.text())
    if arguments.scenario is not None and diagnosis.top:
        arguments.scenario.write_text(diagnosis.top[0].scenario, encoding="utf-8")
        sys.stderr.write(f"wrote {arguments.scenario}: replay it with `wcsim run {arguments.scenario}`\n")
    if diagnosis.target is None and not diagnosis.gaps:
        return 0
    return 0 if diagnosis.explained else 1
