"""The step catalogue printed by `wcsim steps`, and the closest steps to a line that matches none.

Patterns come from pytest-bdd's registry of the plugin's step functions, written
for people: a regular expression's groups become `{name}`, its choices
`(this | that)`, its optional parts `[...]`. Each example is the first line of
the bundled features that the pattern matches (with its data table, if it has
one), or for a step they do not use, the line `SCENARIO_ACTIONS` gives for the
scenario-file action it does; a test holds every example to its step, so the
catalogue cannot drift from the library. Steps are grouped by Given/When/Then and
by topic, after a page on times: the formats a step accepts, the window a Then-step
looks at, and the timed form of every step. This module reads the steps registered (the step
modules use it for hints, so it imports none of them); sim.bdd.library registers them all first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["Step", "catalogue", "catalogue_text", "readable", "closest_steps", "TOPICS", "SCENARIO_ACTIONS", "TIMES"]

#: A topic is chosen by the first of these words its readable pattern contains.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Office and linking", ("office", "linked", "holds the company file")),
    (
        "Computers and Windows",
        ("sleep", "wakes", "switched", "restarts", "Windows", ".NET", "stays on", "drive", "write access"),
    ),
    ("Records and invoices", ("invoice", "record")),
    ("Web Connector", ("Web Connector", "Auto-Run", "QWC", "adding the application", "registry")),
    ("STRATAFOLIO", ("STRATAFOLIO", "Administrator", "authorized computer")),
    (
        "Company files and QuickBooks",
        ("company file", "folder", "QuickBooks", "works in", "pop-up", "cannot open", "slowdown"),
    ),
    ("Sync outcomes", ("sync",)),
    ("Time", ("simulation runs", 'at "{time}"')),
)

#: Every action of a scenario file's timeline (`sim.scenario_run.ACTIONS`) and a Gherkin line that does it
#: (a test keeps the two lists equal and each line matched by a step of the library).
SCENARIO_ACTIONS: dict[str, str] = {
    "rename_file": 'When the company file "Acme Properties" is renamed to "Acme 2026.QBW"',
    "rename_folder": 'When the folder "D:\\QBData\\Company Files" is renamed to "Files 2026"',
    "move_file": 'When the company file "Acme Properties" is moved to "D:\\Archive\\Acme Properties.QBW"',
    "copy_file": 'When the company file "Acme Properties" is copied to "D:\\Backup"',
    "sleep": "When the server goes to sleep",
    "wake": "When the server wakes up",
    "shut_down": "When the server is switched off",
    "boot": "When the server is switched on",
    "log_in": 'When "Administrator" logs in to Windows on the server',
    "log_out": "When the Windows user logs out of the server",
    "open": 'When the QuickBooks user "maria" opens "Acme Properties" on WS01',
    "open_single_user": 'When the QuickBooks Admin opens "Acme Properties" in single-user mode and leaves '
    "the pop-ups open",
    "close_quickbooks": "When QuickBooks is closed on the server",
    "dismiss_popups": "When the pop-ups of QuickBooks on the server are closed",
    "leave_popup": 'When a QuickBooks upgrade leaves the pop-up "Update your company file" in "Acme Properties"',
    "update_selected": 'When "Acme Properties" is synced in Web Connector',
    "remove": 'When the integration for "Acme Properties" is removed from Web Connector',
    "force_removal": 'When the integration for "Acme Properties" is force-removed from the registry',
    "authorize_computer": 'When an Administrator authorizes a new computer in STRATAFOLIO for "Acme Properties"',
    "download_qwc": 'When the QWC file for the new authorized computer of "Acme Properties" is downloaded',
    "add_qwc": 'When the QWC file is added in Web Connector for "Acme Properties" and the Admin grants access "always"',
    "set_password": 'When the password from STRATAFOLIO is entered in Web Connector for "Acme Properties"',
    "delete_authorized_computer": 'When the authorized computer for "Acme Properties" is deleted in STRATAFOLIO',
    "map_drive": 'When WS01 maps drive "R:" to "\\\\FILESRV\\QBData"',
    "unmap_drive": 'When WS01 unmaps drive "Q:"',
    "set_auto_run": 'Given Auto-Run syncs "Acme Properties" every 15 minutes',
    "create_invoices": 'Given STRATAFOLIO has 2 new invoices for "Acme Properties"',
    "forget_password": 'When Web Connector loses the password of "Acme Properties"',
    "exit_qbwc": "When Web Connector is exited on the server",
    "start_qbwc": "When Web Connector is started on the server",
    "set_qbwc_startup": "When Web Connector's Startup setting on the server is turned off",
    "restart": "When the server restarts for a Windows Update",
    "change_qb_password": 'When the QuickBooks Admin changes the password of "Admin" in "Acme Properties"',
    "delete_qb_user": 'When the QuickBooks Admin removes the user "li" from "Acme Properties"',
    "restrict_qb_user": 'When the QuickBooks Admin restricts the user "maria" in "Acme Properties"',
    "lose_qbwc_key": 'When Web Connector can no longer decrypt the password of "Acme Properties"',
    "service_certificate": "When STRATAFOLIO's certificate expires",
    "service_drops_connection": 'When STRATAFOLIO drops the connection during "authenticate"',
    "install_quickbooks": "When QuickBooks 2025 is installed on the server",
    "upgrade_company_file": 'When the QuickBooks Admin upgrades "Acme Properties" to QuickBooks 2025',
    "upgrade_qbwc": 'When Web Connector on the server is updated to version "2.3.0.230"',
    "expire_qbwc_certificate": "When Web Connector's code-signing certificate on the server expires",
    "deny_write": 'When "Administrator" loses write access to '
    '"C:\\ProgramData\\Intuit\\QBWebConnector\\log" on the server',
    "allow_write": 'When "Administrator" regains write access to '
    '"C:\\ProgramData\\Intuit\\QBWebConnector\\log" on the server',
    "run_as_administrator": "When QuickBooks on the server is set to run as administrator",
    "update_quickbooks": "When QuickBooks on the server installs a maintenance update",
    "grant_access_again": 'When the QuickBooks Admin approves the access of "Acme Properties" again in '
    "Integrated Applications",
    "close_company": "When the QuickBooks Admin closes the company file on the server and leaves QuickBooks open",
    "start_quickbooks": "When QuickBooks is started on the server with no company file open",
    "end_qbwc_task": 'When Web Connector on the server is ended in Task Manager during a sync of "Acme '
    'Properties" and started again',
    "end_quickbooks_process": "When the QuickBooks processes running in the background on the server are ended "
    "in Task Manager",
    "security_software": "When the security software on the server starts closing Web Connector's connections",
    "damage_qwclog": "When a power cut leaves QWCLog.txt on the server corrupt",
    "delete_qwclog": "When QWCLog.txt on the server is deleted and Web Connector restarted",
    "set_closing_date": 'When the QuickBooks Admin sets the closing date of "Acme Properties" to "2025-12-31"',
    "set_credit_limit": 'When the QuickBooks Admin sets the credit limit of customer 1 of "Acme '
    'Properties" to "500.00"',
    "deactivate_customer": 'When the QuickBooks Admin makes customer 1 of "Acme Properties" inactive',
    "change_invoice": 'When a STRATAFOLIO user changes the amount of invoice "INV-1001" of "Acme '
    'Properties" to "150.00"',
    "edit_invoice_in_quickbooks": 'When the QuickBooks user "maria" edits invoice "INV-1001" of "Acme Properties"',
    "service_misbehaves": 'When STRATAFOLIO\'s service misbehaves in "authenticate": "throws"',
    "dotnet_tls": "When the .NET Framework on the server offers only TLS 1.0",
    "service_minimum_tls": "When STRATAFOLIO accepts TLS 1.0 and newer",
}

#: The page on times `wcsim steps` opens with.
TIMES = """\
TIMES
  A time in a step is one of:
    "HH:MM" or "HH:MM:SS"   the first such moment from the point the step counts from (see below)
    "Mon HH:MM"              that weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun), the first from that point
    "YYYY-MM-DD HH:MM"       that moment exactly (a scenario starts on Monday 2026-01-05 at 07:00)
  When the simulation runs until "HH:MM": the next such moment from now (so "07:00" in the evening is
    the next morning).
  Any step, later: Given <a When- or Given-step> at "<time>". The first timed Given counts from the
    scenario's start, each next one from the timed Given before it, so
        Given the server goes to sleep at "19:00"
        And the server wakes up at "07:00"
    is Monday 19:00, then Tuesday 07:00.
  The window a Then-step about scheduled syncs looks at, written at its end:
    (nothing)                     the default: from the first When step of the last run of When steps
                                  (a When right after a Then starts a new one) until now
    after "12:00"                 from that time (counted from the start of the default window) until now
    before "12:00"                from the start of the default window until that time
    between "19:00" and "07:00"   from the first time until the next second one after it (overnight)
    since the <moment>            from the last <moment> until now: rename, move, pop-up, password change,
                                  Web Connector update, QuickBooks install, restart, sleep, wake-up, exit,
                                  start, removal, reconnection, last sync
    during the run                from the scenario's start until now
  A failure names the window it looked at, with its times, and prints that window's trace lines.
"""

_QUOTED_LIST = '(?P<names>(?:"[^"]+"(?:, | and )?)+)'


@dataclass(frozen=True)
class Step:
    kind: str  # given, when or then
    pattern: str  # readable
    example: str
    table: tuple[tuple[str, ...], ...] = ()
    topic: str = "Other"
    actions: tuple[str, ...] = ()  # the scenario-file actions it does


def readable(pattern: str) -> str:
    """A step pattern as a person reads it: no regular-expression syntax."""
    from sim.bdd.context import WINDOW

    text = pattern.removeprefix("^").removesuffix("$")
    if text == r'(?P<action>.+) at "(?P<moment>[^"]+)"':
        return '{a When- or Given-step} at "{time}"'
    text = text.replace(
        WINDOW,
        '[ (after "{time}" | before "{time}" | between "{time}" and "{time}" | since the {moment} | during the run)]',
    )
    text = text.replace(_QUOTED_LIST, '"{company}"[, "{company}" and "{company}"]')
    text = re.sub(r"\(\?P<(\w+)>WS\\d\\d\)", r"{\1}", text).replace(r"WS\d\d", "WS01")
    text = re.sub(r"\(\?P<(\w+)>(?:\\d\{\d\}|\[A-Z\])\)", r"{\1}", text)
    text = re.sub(r"\(\?:(\w+(?:\|\w+)+)\)", lambda m: m.group(1).replace("|", "/"), text)
    text = re.sub(r"\(\?P<(\w+)>\\d\+\)", r"{\1:d}", text)
    text = re.sub(r'"\(\?P<(\w+)>\[\^"\]\+\)"', r'"{\1}"', text)

    def choices(match: re.Match) -> str:
        name, body = match.group(1), match.group(2)
        return "(" + " | ".join(f'"{{{name}}}"' if part == '"[^"]+"' else part for part in body.split("|")) + ")"

    text = re.sub(r"\(\?P<(\w+)>((?:[^()|]+\|)+[^()|]+)\)", choices, text)
    text = re.sub(r"\(\?(?:P<\w+>|:)((?:[^()]|\([^()]*\))*)\)\?", r"[\1]", text)
    text = re.sub(r"(\w)s\?", r"\1(s)", text)
    return text.replace("\\'", "'")


def _topic(pattern: str) -> str:
    for topic, words in TOPICS:
        if any(word in pattern for word in words):
            return topic
    return "Other"


def _feature_steps() -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """Every step line of the bundled features with its data table, Scenario Outlines expanded."""
    from pytest_bdd.parser import FeatureParser

    from sim.claims import features_dir

    folder = features_dir()
    lines = []
    for path in sorted(folder.glob("*.feature")):
        feature = FeatureParser(str(folder), path.name).parse()
        for template in feature.scenarios.values():
            contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    table = (
                        tuple(tuple(cell.value for cell in row.cells) for row in step.datatable.rows)
                        if step.datatable
                        else ()
                    )
                    lines.append((step.name, table))
    return lines


def catalogue() -> list[Step]:
    """Every step of the library registered with pytest-bdd, in module order (sim.bdd.library
    registers them all; the plugin does under pytest)."""
    from pytest_bdd.steps import step_function_context_registry

    examples = _feature_steps()
    actions = {action: line.split(" ", 1)[1] for action, line in SCENARIO_ACTIONS.items()}
    rows = []
    for context in step_function_context_registry.values():
        if not context.step_func.__module__.startswith("sim.bdd."):
            continue
        does = tuple(
            action
            for action, line in actions.items()
            if context.parser.is_matching(line) and SCENARIO_ACTIONS[action].lower().startswith(context.type or "")
        )
        fallback = (actions[does[0]], ()) if does else ("(not used by the bundled features)", ())
        line, table = next(((line, table) for line, table in examples if context.parser.is_matching(line)), fallback)
        pattern = readable(context.parser.name)
        rows.append(Step(context.type or "step", pattern, line, table, _topic(pattern), does))
    return rows


def catalogue_text() -> str:
    steps = catalogue()
    out = [
        "Steps of the wcsim library. {name} is a value you write (quoted where the pattern quotes it),",
        "(a | b) a choice, [ ... ] an optional part; WS01 stands for any workstation's name (WS02, ...).",
        "Each example is taken from the bundled features (or, for a step they do not use, from the",
        "scenario-file action it does, named in brackets). Every Given adds to one office; a Given that",
        "contradicts it (two computers with one name, a file linked twice) fails saying so.",
        "",
        TIMES,
    ]
    for kind in ("given", "when", "then"):
        out.append(kind.upper())
        for topic in [t for t, _ in TOPICS] + ["Other"]:
            group = [s for s in steps if s.kind == kind and s.topic == topic]
            if not group:
                continue
            out.append(f"  {topic}")
            for step in group:
                out.append(
                    f"    {step.pattern}" + (f"   [scenario files: {', '.join(step.actions)}]" if step.actions else "")
                )
                out.append(f"        e.g. {kind.capitalize()} {step.example}")
                for row in step.table:
                    out.append("             | " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def closest_steps(line: str, count: int = 3) -> list[str]:
    """The library's steps most like `line`, each with its own keyword, ready to paste (an example from
    the bundled features, or the pattern for a step no bundled feature uses)."""

    def similarity(text: str) -> float:
        return difflib.SequenceMatcher(None, line.casefold(), text.casefold()).ratio()

    texts = {(s.pattern if s.example.startswith("(") else s.example): s.kind for s in catalogue()}
    ranked = sorted(texts, key=lambda text: -similarity(text))[:count]
    return [f"{texts[text].capitalize()} {text}" for text in ranked if similarity(text) > 0.3]
