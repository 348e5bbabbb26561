"""The article's claims, checked by running their Gherkin scenarios, and the report.

Each claim of `web-connector-dos-and-donts` has a stable id, which is also the tag
of the scenarios in `features/` that check it. `check_claims` runs those scenarios
in-process through pytest and the wcsim plugin every time (no stored verdicts), and
a claim holds when it has scenarios and all of them pass. The report gives, per
claim, the claim in plain words, the verdict, the decisive trace and QWCLog lines
the Then-steps collected, and the provenance (PG, ART, SDK or assumed) of every
mechanism that acted in those scenarios. The report is written by sim.report.claims_report
(the report depends on the claims, never the reverse).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import ConfigurationError

__all__ = ["Claim", "CLAIMS", "ClaimVerdict", "check_claims", "features_dir", "service_arguments", "ADAPTER_MISSING"]

ARTICLE = "Web Connector do's and don'ts (STRATAFOLIO help article)"


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    text: str


#: What each claim says, in the article's order. How far each holds, and on what it rests, is not
#: written here: the report works it out from the runs (sim.report.tiers).
CLAIMS = [
    Claim(
        "claim-normal-link",
        "Before you begin",
        "Linking a file the normal way (authorize a computer, download its QWC, add it in "
        "Web Connector, the Admin grants access, set the password) makes the first sync "
        "succeed.",
    ),
    Claim(
        "claim-admin-needed",
        "Before you begin",
        "The recovery steps need Administrator access in STRATAFOLIO and in the QuickBooks company file.",
    ),
    Claim(
        "claim-rename-file",
        "Don'ts",
        "Renaming the company file makes every sync attempt fail, manual and scheduled, "
        "because Web Connector keeps looking for the old name.",
    ),
    Claim(
        "claim-rename-blocks-removal",
        "Don'ts",
        "After a rename the integration cannot be removed normally; a Force Removal from "
        "the registry removes it, and renaming the file back restores sync and a normal "
        "removal.",
    ),
    Claim("claim-rename-folder", "Don'ts", "Renaming any folder in the file's path breaks the sync the same way."),
    Claim(
        "claim-move-file",
        "Don'ts",
        "Moving the file to another folder, or to a new computer or server, breaks the sync.",
    ),
    Claim(
        "claim-scheduler-conditions",
        "Don'ts",
        "The scheduler only succeeds while nobody uses QuickBooks and the computer is on "
        "and awake; off or asleep it does not run, and with someone working it fails and "
        "slows them down.",
    ),
    Claim(
        "claim-full-sync-while-working",
        "Don'ts",
        "A full sync of all integrations while someone uses QuickBooks fails for all of "
        "them and slows that person's computer.",
    ),
    Claim(
        "claim-full-sync-nobody-working",
        "Do's",
        "With nobody in QuickBooks, selecting all integrations and syncing succeeds for every one.",
    ),
    Claim("claim-single-user-sync", "Do's", "Logged in to one file as a single user, syncing only that file succeeds."),
    Claim(
        "claim-recovery-restores",
        "Recovery",
        "The six recovery steps, in order, restore sync after a rename, a folder rename "
        "or a move, with no record lost or duplicated.",
    ),
    Claim(
        "claim-recovery-order",
        "Recovery",
        "Each recovery step matters: skipping one or changing the order leads to a specific failure.",
    ),
]


@dataclass
class ScenarioResult:
    name: str
    passed: bool
    evidence: dict = field(default_factory=dict)
    failure: str = ""
    #: Why it could not be checked against a real service (a step its adapter does not implement), or "".
    not_checked: str = ""


@dataclass
class ClaimVerdict:
    claim: Claim
    scenarios: list[ScenarioResult]

    @property
    def holds(self) -> bool:
        return bool(self.scenarios) and all(s.passed for s in self.scenarios)

    @property
    def not_checked(self) -> str:
        """Against a real service: why the claim could not be checked (every scenario that did not
        pass needed a step the service's adapter lacks), or ""."""
        failed = [s for s in self.scenarios if not s.passed]
        return failed[0].not_checked if failed and all(s.not_checked for s in failed) else ""

    @property
    def provenance(self) -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        for scenario in self.scenarios:
            for source, kind in scenario.evidence.get("provenance", []):
                found.setdefault(source, set()).add(kind)
        return {source: sorted(kinds) for source, kinds in sorted(found.items())}


def features_dir() -> Path:
    """The bundled features: `sim/features/` when installed (the wheel maps the
    repository's `features/` there), `features/` in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "features"
    if any(installed.glob("*.feature")):
        return installed
    return package.parent / "features"


class _Collector:
    """A pytest plugin object that keeps each scenario's outcome, tags and evidence."""

    def __init__(self) -> None:
        self.tags: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}
        self.results: dict[str, ScenarioResult] = {}

    def pytest_collection_modifyitems(self, items):
        for item in items:
            self.tags[item.nodeid] = [m.name for m in item.iter_markers() if m.name.startswith("claim-")]
            # pytest-bdd documents each scenario test as "<feature>: <scenario>".
            doc = getattr(getattr(item, "obj", None), "__doc__", None) or item.name
            self.names[item.nodeid] = doc.partition(": ")[2] or doc

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when == "setup" and report.failed):
            evidence = dict(report.user_properties).get("wcsim_evidence")
            name = self.names.get(report.nodeid, report.nodeid)
            params = report.nodeid.partition("[")[2][:-1]
            failure = "" if report.passed else _failure_line(report)
            self.results[report.nodeid] = ScenarioResult(
                name=f"{name} [{params}]" if params else name,
                passed=report.passed,
                evidence=json.loads(evidence) if evidence else {},
                failure=failure,
                not_checked=failure if ADAPTER_MISSING in str(report.longrepr or "") else "",
            )


def _failure_line(report) -> str:
    crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = text.strip().splitlines()
    if not lines:
        return "failed"
    # The plugin puts the failing step's file and line first: the reason is on the next line.
    return (f"{lines[0]} — {lines[1].strip()}" if len(lines) > 1 and ".feature:" in lines[0] else lines[0])[:300]


#: What a step says when a real service's adapter lacks the action it needs (sim.stratafolio.adapter).
ADAPTER_MISSING = "needs the service's adapter to implement"


def service_arguments(
    url: str, user: str | None = None, password: str | None = None, adapter: str | None = None
) -> list[str]:
    """The pytest options that put the real service at `url` in STRATAFOLIO's place (sim.bdd.plugin)."""
    given = [
        ("--wcsim-service", url),
        ("--wcsim-user", user),
        ("--wcsim-password", password),
        ("--wcsim-adapter", adapter),
    ]
    return [text for option, value in given if value is not None for text in (option, value)]


def check_claims(seed: int = 0, features: Path | None = None, service: list[str] | None = None) -> list[ClaimVerdict]:
    """Run every claim's scenarios now and return the verdicts, in the article's order. `service`
    (service_arguments) runs them against a real web service instead of the simulated STRATAFOLIO."""
    import pytest

    folder = Path(features or features_dir())
    collector = _Collector()
    if not any(folder.glob("*.feature")):
        raise ConfigurationError(f"no .feature files in {str(folder)!r}")
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "test_article_claims.py"
        module.write_text(f"from pytest_bdd import scenarios\nscenarios({str(folder)!r})\n", encoding="utf-8")
        # Only the scenarios tagged with a claim: the features' other scenarios decide no verdict.
        tagged = " or ".join(claim.id for claim in CLAIMS)
        arguments = [
            str(module),
            "-p",
            "no:terminal",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "--rootdir",
            tmp,
            "-o",
            "addopts=",
            "--wcsim-seed",
            str(seed),
            "-m",
            tagged,
            *(service or []),
        ]
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = pytest.main(arguments, plugins=[collector])
        # pytest keeps the imported test module; the next run must import its own.
        for name, loaded in list(sys.modules.items()):
            if str(getattr(loaded, "__file__", "") or "").startswith(tmp):
                del sys.modules[name]
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or not collector.results:
        last = (output.getvalue().strip().splitlines() or ["no output"])[-1]
        raise ConfigurationError(f"the claims' scenarios could not run (pytest exit {int(code)}): {last}")
    verdicts = []
    for claim in CLAIMS:
        scenarios = [
            collector.results[node]
            for node, tags in collector.tags.items()
            if claim.id in tags and node in collector.results
        ]
        verdicts.append(ClaimVerdict(claim, scenarios))
    return verdicts
