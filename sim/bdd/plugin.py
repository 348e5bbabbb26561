"""The Gherkin step library as a pytest plugin (entry point `pytest11`, name `wcsim`).

Installing the package makes every step of `sim.bdd.steps_given`, `steps_when`
and `steps_then` available to any pytest run, so a QA engineer binds their own
`.feature` files with one `scenarios(...)` call and copies no step code. The
`wcsim` fixture is the scenario's `ScenarioContext`; `--wcsim-seed` sets its seed; `--wcsim-service`
(sim.bdd.real_service) puts a real web service in STRATAFOLIO's place, its admin side reached through
the adapter the `pytest_wcsim_adapter` hook (sim.bdd.hookspecs) or `--wcsim-adapter` names.
After each scenario the evidence and the provenance of the mechanisms involved are
attached to the test report (user properties), where the claims report reads them.

It also mends three things users of pytest-bdd meet: a failing step's message
starts with its feature file and line; a missing step is reported failed (in
Cucumber JSON too) with the closest steps of the library to paste; and under
pytest-xdist (`-n 2`) each worker's scenario report travels with its test report,
so `--cucumberjson` written by the controller is complete.
"""

from __future__ import annotations

import json

import pytest
from pytest_bdd import reporting

from sim.bdd.context import ScenarioContext

pytest_plugins = ["sim.bdd.steps_given", "sim.bdd.steps_when", "sim.bdd.steps_then"]


def pytest_addhooks(pluginmanager):
    from sim.bdd import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser):
    group = parser.getgroup("wcsim")
    group.addoption("--wcsim-seed", type=int, default=0, help="seed of the simulated worlds of Gherkin scenarios (default 0)")
    group.addoption("--wcsim-service", metavar="URL", help="a real QBWC web service in place of the simulated STRATAFOLIO: every session goes to it over HTTP")
    group.addoption("--wcsim-user", help="the Web Connector user name it accepts (without an adapter)")
    group.addoption("--wcsim-password", help="its password")
    group.addoption("--wcsim-adapter", metavar="MODULE:CLASS", help="a sim.stratafolio.adapter.ServiceAdapter for its admin side (or implement the pytest_wcsim_adapter hook)")


def pytest_configure(config):
    from sim.bdd.real_service import service_from_options
    from sim.claims import CLAIMS

    config.wcsim_service = service_from_options(config)

    for claim in CLAIMS:
        config.addinivalue_line("markers", f"{claim.id}: {claim.text}")
    config.addinivalue_line("markers", "field-failure: a failure customers report (DOMAIN.md section 9) and its fix")


@pytest.fixture
def wcsim(request) -> ScenarioContext:
    context = ScenarioContext(seed=request.config.getoption("--wcsim-seed", default=0) or 0, service=getattr(request.config, "wcsim_service", None))
    yield context
    context.close()


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
    payload = {
        "trace": context.evidence.trace_lines, "log": context.evidence.log_lines, "provenance": sorted(provenance),
        "events": context.evidence.events, "measured": context.evidence.measured,
        "gherkin": [f"{step.keyword} {step.name}" for step in scenario.steps],
    }
    if context.office is not None:
        from sim.report.timeline import compact_events

        world = context.world
        payload.update(start=world.start.isoformat(), end=world.seconds, timeline=compact_events(world.trace))
    request.node.user_properties.append(("wcsim_evidence", json.dumps(payload)))


# --- failures that say where they are -------------------------------------------------------------
def _where(feature, step) -> str:
    return f"{feature.rel_filename}:{step.line_number}: {step.keyword} {step.name}"


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    if exception.args and isinstance(exception.args[0], str):
        exception.args = (f"{_where(feature, step)}\n{exception.args[0]}", *exception.args[1:])


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    from sim.bdd.catalogue import closest_steps

    suggestions = closest_steps(step.name)
    hint = "".join(f"\n    {text}" for text in suggestions) or "\n    (none close: see `wcsim steps`)"
    exception.args = (f"{_where(feature, step)}\nno step of the library matches this line. Closest steps:{hint}\n"
                      "Write the step yourself with pytest-bdd (`pytest --generate-missing --feature FILE` prints a skeleton).",)
    # pytest-bdd reports only the steps that ran: without this the scenario would show as passed
    # in Cucumber JSON, its missing step absent.
    scenario_report = reporting.scenario_reports_registry.get(request.node)
    if scenario_report is not None:
        scenario_report.add_step_report(reporting.StepReport(step=step))
        scenario_report.fail()


# --- Cucumber JSON under pytest-xdist --------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # its after-part runs last: after pytest-bdd's
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    context = reporting.test_report_context_registry.get(report)
    if context is not None and hasattr(item.config, "workerinput"):
        # A plain attribute travels to the controller with the report (xdist serializes its __dict__).
        report.wcsim_bdd_report = {"scenario": context.scenario, "name": context.name}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    carried = getattr(report, "wcsim_bdd_report", None)
    if carried and report not in reporting.test_report_context_registry:
        reporting.test_report_context_registry[report] = reporting.ReportContext(scenario=carried["scenario"], name=carried["name"])
