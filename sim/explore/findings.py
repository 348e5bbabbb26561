"""Writing what the explorer found: per broken invariant, the shrunk history as a scenario file
(replayable with `wcsim run`) and as a Gherkin scenario (with the library's steps, a comment
where a step has no Gherkin form), and the summary table.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sim.explore.explorer import Finding, Report
from sim.explore.histories import ENDS, START, scenario_text

__all__ = ["write_findings", "gherkin_text", "summary_rows"]

_C = '"Acme Properties"'
#: Each step kind in the library's own Gherkin (the office of `sim.office.build_office`).
GHERKIN: dict[str, list[str]] = {
    "rename_file": [f'the company file {_C} is renamed to "Acme Properties 2026.QBW"'],
    "rename_folder": ['the folder "D:\\QBData\\Company Files" is renamed to "Files 2026"'],
    "move_file": [f'the company file {_C} is moved to "D:\\Archive\\Acme Properties.QBW"'],
    "sleep": ["the server goes to sleep"],
    "wake": ["the server wakes up"],
    "shut_down": ["the server is switched off"],
    "boot": ["the server is switched on", '"Administrator" logs in to Windows on the server'],
    "restart": ["the server restarts for a Windows Update"],
    "log_out": ["the Windows user logs out of the server"],
    "log_in": ['"Administrator" logs in to Windows on the server'],
    "colleague_opens": [f'the QuickBooks user "maria" opens {_C}'],
    "admin_single_user": [f"the QuickBooks Admin opens {_C} in single-user mode and leaves the pop-ups open"],
    "admin_closes": ["the QuickBooks Admin closes QuickBooks"],
    "popup_left": [f'a QuickBooks upgrade leaves the pop-up "Update your company file" in {_C}'],
    "exit_qbwc": ["Web Connector is exited on the server"],
    "start_qbwc": ["Web Connector is started on the server"],
    "qb_password_changed": [f'the QuickBooks Admin changes the password of "Admin" in {_C}'],
    "qbwc_password_lost": [f"Web Connector loses the password of {_C}"],
    "qbwc_password_entered": [f"the password from STRATAFOLIO is entered in Web Connector for {_C}"],
    "recover": [
        f"the integration for {_C} is removed from Web Connector",
        f"the authorized computer for {_C} is deleted in STRATAFOLIO",
        f"the QuickBooks Admin opens {_C} in single-user mode and closes every pop-up",
        f"an Administrator authorizes a new computer in STRATAFOLIO for {_C}",
        f"the QWC file for the new authorized computer of {_C} is downloaded",
        f'the QWC file is added in Web Connector for {_C} and the Admin grants access "always"',
        f"the password from STRATAFOLIO is entered in Web Connector for {_C}",
        f"{_C} is synced in Web Connector",
        "the QuickBooks Admin closes QuickBooks",
    ],
}
#: What the Gherkin scenario expects at its end, per broken invariant (it fails while the finding stands).
THEN = {
    "recovery-does-not-restore": "every scheduled sync succeeds",
    "sync-does-not-resume": "every scheduled sync succeeds",
    "record-duplicated": f"every record of {_C} is present exactly once on both sides",
    "record-lost": f"every record of {_C} is present exactly once on both sides",
}


def gherkin_text(finding: Finding) -> str:
    lines = [
        f"  # Found by wcsim explore: {finding.invariant}. {finding.evidence[:160]}",
        f"  Scenario: {finding.invariant} after {', '.join(s.kind for s in finding.history) or 'nothing at all'}",
        f"    Given {_C} is linked to STRATAFOLIO and has synced once",
        "    And Auto-Run syncs every integration every 30 minutes",
    ]
    keyword = "When"
    for step in finding.history:
        moment = START + timedelta(seconds=step.seconds)
        lines.append(
            f'    {keyword} the simulation runs until "{moment:%a %H:%M:%S}"'
            if step.second
            else f'    {keyword} the simulation runs until "{moment:%a %H:%M}"'
        )
        keyword = "And"
        if step.during:
            lines.append(
                f"    # (then at {step.during}: no Gherkin step waits for a moment inside a "
                "session yet; the scenario file has it)"
            )
        for text in GHERKIN.get(step.kind, []):
            lines.append(f"    And {text}")
        if step.kind not in GHERKIN:
            lines.append(f"    # ({step.kind}: no Gherkin step yet; the scenario file has it)")
        if step.lasts:
            lines.append(f"    # ({step.lasts} minutes after that: {ENDS[step.kind]}; the scenario file has it)")
    lines.append(
        f"    {keyword} the simulation runs until "
        f'"{START + timedelta(seconds=finding.end) - timedelta(minutes=1):%a %H:%M}"'
    )
    then = THEN.get(finding.invariant)
    lines.append(f"    Then {then}" if then else f"    # Then: {finding.invariant} (no Then step checks it yet)")
    return "\n".join(lines) + "\n"


def file_name(key: str) -> str:
    """A finding's file name: "recovery-does-not-restore (exit_qbwc+sleep)" ->
    recovery-does-not-restore--exit_qbwc-sleep."""
    return key.replace(" (", "--").replace(")", "").replace("+", "-")


def write_findings(report: Report, out: Path) -> list[Path]:
    """A scenario file and a Gherkin scenario per finding, and findings.feature with all of them."""
    out.mkdir(parents=True, exist_ok=True)
    written, scenarios = [], []
    for name, finding in sorted(report.findings.items()):
        path = out / f"{file_name(name)}.toml"
        title = f"{name} after {', '.join(s.kind for s in finding.history) or 'nothing'}"
        path.write_text(scenario_text(finding.history, title, end=finding.end), encoding="utf-8")
        written.append(path)
        scenarios.append(gherkin_text(finding))
    if scenarios:
        feature = out / "findings.feature"
        feature.write_text("Feature: What wcsim explore found\n\n" + "\n".join(scenarios), encoding="utf-8")
        written.append(feature)
    return written


def summary_rows(report: Report, out: Path | None) -> list[tuple[str, str, str, str, str]]:
    """(invariant broken, explained by, failing runs seen, smallest history, example file) per finding."""
    rows = []
    for name, finding in sorted(report.findings.items()):
        causes = "; ".join(finding.explained_by) or "UNEXPLAINED"
        steps = ", ".join(str(s) for s in finding.history) or "(none)"
        rows.append(
            (
                finding.invariant,
                causes,
                str(finding.seen),
                f"{len(finding.history)}: {steps}",
                str(out / f"{file_name(name)}.toml") if out else "-",
            )
        )
    return rows
