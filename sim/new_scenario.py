"""`wcsim new scenario NAME`: a commented starting scenario file that runs as it is.

The file describes one server holding one company file linked to STRATAFOLIO with
Auto-Run every hour, one action on its timeline and two expectations, with comments
saying what each table is for and which actions and expectations exist (read from
the scenario format itself, so the list never goes stale).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from sim.scenario import ACTION_FIELDS, EXPECT_FIELDS

__all__ = ["new_scenario_text", "write_new_scenario"]

#: The whole name (fullmatch: `$` alone would let a name end in a newline).
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


def _catalogue(fields: dict[str, tuple[str, ...]], prefix: str) -> str:
    return "\n".join(f"#   {prefix}{name:<27} needs: {', '.join(needed)}" for name, needed in fields.items())


def new_scenario_text(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return textwrap.dedent(
        """\
        # Reproduces: (say here, in a sentence or two, the real situation this file reproduces: who did
        # what, when, and what the customer saw). Source: (ART, PG, SDK, FIELD with a link, or assumed).
        # Run it with `wcsim run {file}`; check it without running with `wcsim validate {file}`.

        [scenario]
        name = "{title}"
        reproduces = "(what the customer reported, in their words)"
        source = "assumed"
        seed = 1
        start = "2026-01-05 07:00"   # a Monday; timeline times may say "Tue 09:00" or "2026-01-06 09:00"
        duration = "1d"              # "12h", "2d", "1d6h" (at most 366 days)

        # Computers: a server holding the company file; add workstations with role = "workstation".
        [[hosts]]
        name = "FILESRV"
        role = "server"
        drives = ["C", "D"]
        windows_users = ["Administrator"]
        logged_in = "Administrator"

        # The company file, where it lives. Its QuickBooks users: users = {{ Admin = "" }} (values are passwords).
        [[company_files]]
        name = "Acme Properties"
        host = "FILESRV"
        path = 'D:\\QBData\\Acme Properties.QBW'

        # Linked to STRATAFOLIO from the Web Connector of linked_from, with Auto-Run every hour.
        [[integrations]]
        company_file = "Acme Properties"
        linked_from = "FILESRV"
        auto_run_minutes = 60

        # What happens, and when. The actions (besides "at" and "action"; "by" names who does it):
        {actions}
        [[timeline]]
        at = "Mon 12:00"
        action = "rename_file"
        by = "bookkeeper"
        company_file = "Acme Properties"
        to = "Acme Properties (renamed).QBW"

        # What must be true afterwards. The kinds:
        {expectations}
        [[expect]]
        kind = "sync"
        company_file = "Acme Properties"
        outcome = "succeeded"
        between = ["Mon 07:00", "Mon 11:59"]
        which = "all"

        [[expect]]
        kind = "sync"
        company_file = "Acme Properties"
        outcome = "failed"
        code = "0x80040408"
        between = ["Mon 12:00", "Mon 23:59"]
        which = "all"
        """
    ).format(
        file=f"{name}.toml",
        title=title,
        actions=_catalogue(ACTION_FIELDS, "action = "),
        expectations=_catalogue(EXPECT_FIELDS, "kind = "),
    )


def write_new_scenario(name: str, folder: Path) -> Path:
    """Write NAME.toml in `folder`; never over an existing file."""
    if not NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a scenario name (letters, digits, - and _, at most 80)")
    path = folder / f"{name}.toml"
    if path.is_symlink() and not path.exists():
        raise FileExistsError(
            f"{path} is a symbolic link to a file that does not exist: writing would create "
            "that file elsewhere; delete the link first"
        )
    try:
        # "x": created here or not at all, never through a link (O_EXCL) nor over a file made meanwhile.
        with open(path, "x", encoding="utf-8") as file:
            file.write(new_scenario_text(name))
    except FileExistsError:
        raise FileExistsError(f"{path} already exists: choose another name or delete it first") from None
    return path
