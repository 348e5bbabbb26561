"""Running Gherkin in this process, for tests: a feature's text (or one scenario of a file) through pytest
and the wcsim plugin, returning each scenario's call report (so a monkeypatch of the simulator reaches it)."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
from pytest_bdd import reporting


def run_feature(tmp_path: Path, feature: str | Path, scenario: str | None = None) -> dict[str, pytest.TestReport]:
    """Run every scenario of `feature` (Gherkin text, or a .feature file), or only the one titled `scenario`;
    the call reports by scenario title."""
    if isinstance(feature, str):
        path = tmp_path / "written.feature"
        path.write_text(feature, encoding="utf-8")
    else:
        path = feature
    module = tmp_path / "test_written_feature.py"
    if scenario is None:
        module.write_text(f"from pytest_bdd import scenarios\n\nscenarios({str(path)!r})\n", encoding="utf-8")
    else:
        module.write_text(
            f"from pytest_bdd import scenario\n\n@scenario({str(path)!r}, {scenario!r})\ndef test_it():\n    pass\n",
            encoding="utf-8",
        )
    reports: dict[str, pytest.TestReport] = {}

    class Keep:
        def pytest_runtest_logreport(self, report):
            context = reporting.test_report_context_registry.get(report)
            if report.when == "call" and context is not None:
                reports[context.scenario["name"]] = report

    arguments = [
        str(module),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-o",
        "addopts=",
        "--rootdir",
        str(tmp_path),
        "--import-mode=importlib",
    ]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(arguments, plugins=[Keep()])
    for name, loaded in list(sys.modules.items()):
        if str(getattr(loaded, "__file__", "") or "").startswith(str(tmp_path)):
            del sys.modules[name]
    return reports


def first_line(report: pytest.TestReport) -> str:
    return str(report.longrepr).splitlines()[0] if report.failed else ""
