"""The Gherkin step library as a pytest plugin (entry point `pytest11`, name `wcsim`).

Installing the package makes every step of `sim.bdd.steps_given`, `steps_when`
and `steps_then` available to any pytest run, so a QA engineer binds their own
`.feature` files with one `scenarios(...)` call and copies no step code. The
`wcsim` fixture is the scenario's `ScenarioContext`; `--wcsim-seed` sets its seed; `--wcsim-service`
(sim.bdd.real_service) puts a real web service in STRATAFOLIO's place, its admin side reached through
the adapter the `pytest_wcsim_adapter` hook (sim.bdd.hookspecs) or `--wcsim-adapter` names.
After each scenario the evidence and the provenance of the mechanisms involved are
attached to the test report (user properties), where the claims report reads them.

It also mends what users of pytest-bdd meet: a failing step's message starts with
its feature file and line, and with the default `--tb` it is the whole failure report
(pytest-bdd's own frames only with `--tb=long`); a missing step fails with the closest
steps of the library to paste; under pytest-xdist (`-n 2`) each worker's scenario report
travels with its test report, so `--cucumberjson` written by the controller is complete;
and that Cucumber JSON reads as Cucumber tools expect: a missing step `undefined` and the
steps after a failing or undefined one `skipped`, every step's `match.location` the step
definition's file and line, scenarios in file order whatever order the workers finished in.
It also starts each scenario's default observation window at the first When step of a run
of When steps (see `sim.bdd.context`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_bdd import reporting

from sim.bdd.context import ScenarioContext

pytest_plugins = ["sim.bdd.steps_given", "sim.bdd.steps_when", "sim.bdd.steps_then"]


def pytest_addhooks(pluginmanager):
    from sim.bdd import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser):
    group = parser.getgroup("wcsim")
    group.addoption(
        "--wcsim-seed", type=int, default=0, help="seed of the simulated worlds of Gherkin scenarios (default 0)"
    )
    group.addoption(
        "--wcsim-service",
        metavar="URL",
        help="a real QBWC web service in place of the simulated STRATAFOLIO: every session goes to it over HTTP",
    )
    group.addoption("--wcsim-user", help="the Web Connector user name it accepts (without an adapter)")
    group.addoption("--wcsim-password", help="its password")
    group.addoption(
        "--wcsim-adapter",
        metavar="MODULE:CLASS",
        help="a sim.stratafolio.adapter.ServiceAdapter for its admin side (or implement the pytest_wcsim_adapter hook)",
    )


def pytest_configure(config):
    from sim.bdd.real_service import service_from_options
    from sim.claims import CLAIMS

    config.wcsim_service = service_from_options(config)

    for claim in CLAIMS:
        config.addinivalue_line("markers", f"{claim.id}: {claim.text}")
    config.addinivalue_line("markers", "field-failure: a failure customers report (DOMAIN.md section 9) and its fix")
    if config.getoption("cucumber_json_path", default=None) and not hasattr(config, "workerinput"):
        config.pluginmanager.register(CucumberMender(), "wcsim-cucumber-mender")


@pytest.fixture
def wcsim(request) -> Iterator[ScenarioContext]:
    context = ScenarioContext(
        seed=request.config.getoption("--wcsim-seed", default=0) or 0,
        service=getattr(request.config, "wcsim_service", None),
    )
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
        "trace": context.evidence.trace_lines,
        "log": context.evidence.log_lines,
        "provenance": sorted(provenance),
        "events": context.evidence.events,
        "measured": context.evidence.measured,
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


def _location(function) -> str:
    """Where a step is defined, as Cucumber's match.location gives it: file and line."""
    code = getattr(function, "__code__", None)
    return f"{function.__module__.replace('.', '/')}.py:{code.co_firstlineno}" if code else ""


def pytest_bdd_before_step(request, feature, scenario, step, step_func):
    request.node.__dict__.setdefault("_wcsim_locations", {})[step.line_number] = _location(step_func)
    context = request.getfixturevalue("wcsim")
    context.step_where = _where(feature, step)
    if step.type == "when" and getattr(context, "_last_step_type", None) != "when":
        context.begin_window()
    context._last_step_type = step.type


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    where = _where(feature, step)
    if exception.args and isinstance(exception.args[0], str):
        if not exception.args[0].startswith(where):
            exception.args = (f"{where}\n{exception.args[0]}", *exception.args[1:])
        request.node._wcsim_failure = exception.args[0]
    else:
        request.node._wcsim_failure = f"{where}\n{type(exception).__name__}: {exception}"


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    from sim.bdd.catalogue import closest_steps

    suggestions = closest_steps(step.name)
    hint = "".join(f"\n    {text}" for text in suggestions) or "\n    (none close: see `wcsim steps`)"
    exception.args = (
        f"{_where(feature, step)}\nno step of the library matches this line. Closest steps:{hint}\n"
        "Write the step yourself with pytest-bdd (`pytest --generate-missing --feature FILE` prints a skeleton).",
    )
    request.node._wcsim_failure = exception.args[0]
    request.node._wcsim_undefined = step.line_number
    # pytest-bdd reports only the steps that ran: without this the scenario would show as passed
    # in Cucumber JSON, its missing step absent.
    scenario_report = reporting.scenario_reports_registry.get(request.node)
    if scenario_report is not None:
        scenario_report.add_step_report(reporting.StepReport(step=step))
        scenario_report.fail()


# --- the failing step's message first; Cucumber JSON as Cucumber tools read it --------------------------
@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # its after-part runs last: after pytest-bdd's
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    failure = getattr(item, "_wcsim_failure", None)
    if report.when == "call" and report.failed and failure and getattr(item.config.option, "tbstyle", "auto") == "auto":
        # The step's own message says where and why; pytest-bdd's frames above it say nothing more.
        report.longrepr = failure + "\n(pytest-bdd's traceback: run with --tb=long)"
    context = reporting.test_report_context_registry.get(report)
    if context is None or report.when != "call":
        return
    report.wcsim_steps = {"undefined": getattr(item, "_wcsim_undefined", None), "locations": _step_locations(item)}
    if hasattr(item.config, "workerinput"):
        # A plain attribute travels to the controller with the report (xdist serializes its __dict__).
        report.wcsim_bdd_report = {"scenario": context.scenario, "name": context.name}


def _step_locations(item) -> dict[str, str]:
    """Each step's definition, by the step's line: the one that ran, or for a step that never ran
    (after a failure) the one of the library that matches it."""
    from pytest_bdd.steps import step_function_context_registry

    ran = getattr(item, "_wcsim_locations", {})
    scenario_report = reporting.scenario_reports_registry.get(item)
    found = {}
    for step in scenario_report.scenario.steps if scenario_report else []:
        if step.line_number in ran:
            found[str(step.line_number)] = ran[step.line_number]
            continue
        match = next(
            (
                c
                for c in step_function_context_registry.values()
                if c.type == step.type and c.parser.is_matching(step.name)
            ),
            None,
        )
        if match is not None and step.line_number != getattr(item, "_wcsim_undefined", None):
            found[str(step.line_number)] = _location(match.step_func)
    return found


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    carried = getattr(report, "wcsim_bdd_report", None)
    if carried and report not in reporting.test_report_context_registry:
        reporting.test_report_context_registry[report] = reporting.ReportContext(
            scenario=carried["scenario"], name=carried["name"]
        )


class CucumberMender:
    """Registered on the process that writes `--cucumberjson`: gathers what pytest-bdd's Cucumber
    JSON lacks from each scenario's report, and mends the JSON before pytest-bdd writes it."""

    def __init__(self) -> None:
        self.steps: dict[tuple[str, str], dict] = {}

    def pytest_runtest_logreport(self, report):
        steps = getattr(report, "wcsim_steps", None)
        context = reporting.test_report_context_registry.get(report)
        if steps is not None and context is not None:
            self.steps[(context.scenario["feature"]["rel_filename"], context.name)] = steps

    @pytest.hookimpl(tryfirst=True)  # before pytest-bdd's writer writes the file
    def pytest_sessionfinish(self, session):
        writer = getattr(session.config, "_bddcucumberjson", None)
        if writer is None:
            return
        features = dict(sorted(writer.features.items(), key=lambda item: item[1]["uri"]))
        for feature in features.values():
            feature["elements"].sort(key=lambda element: element["line"])
            for element in feature["elements"]:
                _mend(element, self.steps.get((feature["uri"], element["id"]), {}))
        writer.features.clear()
        writer.features.update(features)


def _mend(element: dict, gathered: dict) -> None:
    """Statuses as Cucumber gives them (undefined, then skipped), and step definitions' locations."""
    locations = gathered.get("locations", {})
    stopped = False
    for step in element["steps"]:
        step["match"]["location"] = locations.get(str(step["line"]), "")
        if stopped:
            step["result"] = {"status": "skipped", "duration": 0}
        elif step["line"] == gathered.get("undefined"):
            step["result"]["status"] = "undefined"
            stopped = True
        elif step["result"]["status"] == "failed":
            stopped = True
