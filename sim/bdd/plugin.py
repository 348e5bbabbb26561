"""The Gherkin step library as a pytest plugin (entry point `pytest11`, name `wcsim`).

Installing the package makes every step of `sim.bdd.steps_given`, `steps_when`
and `steps_then` available to any pytest run, so a QA engineer binds their own
`.feature` files with one `scenarios(...)` call and copies no step code. The
`wcsim` fixture is the scenario's `ScenarioContext`; `--wcsim-seed` sets its seed.
After each scenario the evidence and the provenance of the mechanisms involved are
attached to the test report (user properties), where the claims report reads them.
"""

from __future__ import annotations

import json

import pytest

from sim.bdd.context import ScenarioContext

pytest_plugins = ["sim.bdd.steps_given", "sim.bdd.steps_when", "sim.bdd.steps_then"]


def pytest_addoption(parser):
    group = parser.getgroup("wcsim")
    group.addoption("--wcsim-seed", type=int, default=0, help="seed of the simulated worlds of Gherkin scenarios (default 0)")


def pytest_configure(config):
    from sim.claims import CLAIMS

    for claim in CLAIMS:
        config.addinivalue_line("markers", f"{claim.id}: {claim.text}")
    config.addinivalue_line("markers", "field-failure: a failure customers report (DOMAIN.md section 9) and its fix")


@pytest.fixture
def wcsim(request) -> ScenarioContext:
    return ScenarioContext(seed=request.config.getoption("--wcsim-seed", default=0) or 0)


def pytest_bdd_after_scenario(request, feature, scenario):
    context = request.getfixturevalue("wcsim") if "wcsim" in request.fixturenames else None
    if context is None:
        return
    provenance = []
    if context.office is not None:
        seen = set()
        for event in context.world.trace:
            if event.source and (event.source, event.kind) not in seen:
                seen.add((event.source, event.kind))
                provenance.append([event.source, event.kind])
    payload = {"trace": context.evidence.trace_lines, "log": context.evidence.log_lines, "provenance": sorted(provenance)}
    request.node.user_properties.append(("wcsim_evidence", json.dumps(payload)))
