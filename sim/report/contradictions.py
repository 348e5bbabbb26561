"""Experiments that test one sentence's wording against the model, and can contradict it.

A claim can hold while a sentence explaining it says something the model does not do:
"Web Connector remembers your file by its exact name" sits beside a rename that breaks
the sync, but in the model (after the PG, ch.10) the path a sync opens is the one the web
service returns from authenticate. An experiment changes only what the sentence names
and sees whether the outcome follows; the report marks the sentence contradicted when it
does not, with the lines that show it. Run every time, like the claims.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sim.office import build_office
from sim.people.admin import rename_company_file

__all__ = ["Finding", "EXPERIMENTS", "findings"]


@dataclass(frozen=True)
class Finding:
    id: str
    question: str
    observed: str
    contradicts: bool
    evidence: tuple[str, ...]  # QWCLog.txt and trace lines that show it
    sources: tuple[tuple[str, str], ...] = ()


def _who_remembers_the_path(seed: int) -> Finding:
    """After a rename, tell STRATAFOLIO the new path and change nothing in Web Connector: if the sync
    then succeeds, it is not Web Connector's memory of the name that decides where a sync looks."""
    office = build_office(seed=seed)
    office.link_all()
    company, server = "Acme Properties", office.server
    old = office.files[company]
    new = rename_company_file(server, old, "Acme Properties 2026.QBW")
    office.integrations[company].computers[-1].company_file = new  # STRATAFOLIO's memory, as support would edit it
    world = office.world
    mark = len(world.trace)
    process = office.web_connector.update_selected([office.apps[company]])
    world.run_until_done(process, 120)
    result = (process.value or [None])[0]
    kept = office.web_connector.application(office.apps[company]).company_file
    succeeded = result is not None and result.succeeded
    told = [line for line in server.qwc_log.text().splitlines() if "authRet[1]" in line][-1:]
    events = world.trace.select("update.finished", since=mark)
    observed = (
        f"After the rename, only STRATAFOLIO was told the new path; Web Connector still lists {kept}. "
        f"The next sync {'succeeds' if succeeded else 'fails'}"
        + (
            f", opening {new} as authenticate named it (PG ch.10): the path is remembered by "
            "STRATAFOLIO, the web service, not by Web Connector."
            if succeeded
            else "."
        )
    )
    return Finding(
        "who-remembers-the-path",
        "Does Web Connector's memory of the file's name decide where a sync looks?",
        observed,
        succeeded and kept == old,
        tuple(told + [e.line() for e in events]),
        tuple(sorted({(e.source, e.kind) for e in events})),
    )


#: id -> the experiment.
EXPERIMENTS: dict[str, Callable[[int], Finding]] = {"who-remembers-the-path": _who_remembers_the_path}


@functools.lru_cache(maxsize=4)
def findings(seed: int = 0) -> dict[str, Finding]:
    return {name: run(seed) for name, run in EXPERIMENTS.items()}
