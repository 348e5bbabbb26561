"""Scenario files (scenarios/*.toml): reading and validating them.

A scenario describes an office (hosts, shares, mapped drives, company files,
STRATAFOLIO, integrations, people), a timeline of actions and expectations; the
format is the JSON Schema in `sim/scenario_schema.json` (shipped for editors).
`load_scenario` checks the file against that schema and then checks every name
it refers to; a problem raises `ScenarioError` whose text names the file, the
line and the field, and suggests the closest valid name. Building and running a
loaded scenario is `sim.scenario_run`.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from sim.errors import SimError
from sim.windows.filesystem import normalize

__all__ = ["Scenario", "ScenarioError", "load_scenario", "parse_scenario", "schema", "ACTION_FIELDS", "EXPECT_FIELDS", "parse_duration"]

#: The fields each timeline action needs (beyond "at" and "action").
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "rename_file": ("company_file", "to"),
    "rename_folder": ("host", "folder", "to"),
    "move_file": ("company_file", "to"),
    "sleep": ("host",),
    "wake": ("host",),
    "shut_down": ("host",),
    "boot": ("host",),
    "log_in": ("host", "user"),
    "log_out": ("host",),
    "open": ("host", "company_file"),
    "open_single_user": ("company_file",),
    "close_quickbooks": ("host",),
    "dismiss_popups": ("host",),
    "leave_popup": ("company_file", "text"),
    "update_selected": ("host",),
    "remove": ("company_file",),
    "force_removal": ("company_file",),
    "authorize_computer": ("company_file",),
    "download_qwc": ("company_file",),
    "add_qwc": ("company_file",),
    "set_password": ("company_file",),
    "delete_authorized_computer": ("company_file",),
    "map_drive": ("host", "letter", "share"),
    "unmap_drive": ("host", "letter"),
    "set_auto_run": ("company_file", "minutes"),
    "create_invoices": ("company_file", "count"),
}

#: The fields each kind of expectation needs.
EXPECT_FIELDS: dict[str, tuple[str, ...]] = {
    "sync": ("company_file", "outcome"),
    "error_seen": ("code",),
    "log_contains": ("text",),
    "records_once": ("company_file",),
    "slowed_down": ("person",),
    "listed": ("company_file", "listed"),
}


class ScenarioError(SimError, ValueError):
    """A scenario file that cannot describe a run: file, line, field and what is wrong."""

    def __init__(self, file: str, line: int, field: str, message: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")
        self.file, self.line, self.field, self.message = file, line, field, message


@dataclass(frozen=True)
class Scenario:
    file: str
    text: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["scenario"]["name"]

    @property
    def seed(self) -> int:
        return int(self.data["scenario"].get("seed", 0))

    @property
    def start(self) -> datetime:
        return datetime.fromisoformat(self.data["scenario"].get("start", "2026-01-05 07:00"))

    @property
    def duration_seconds(self) -> int:
        return parse_duration(self.data["scenario"].get("duration", "1d"))


def schema() -> dict[str, Any]:
    return json.loads(resources.files("sim").joinpath("scenario_schema.json").read_text(encoding="utf-8"))


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?", text.strip())
    if not match or not text.strip():
        raise ValueError(f"duration {text!r} is not like 1d, 12h or 2d6h30m")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(str(path), 0, "", f"cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise ScenarioError(str(path), 0, "", "not UTF-8 text") from None
    return parse_scenario(text, str(path))


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ScenarioError(file, int(line.group(1)) if line else 0, "", f"not valid TOML: {error}") from None
    validator = Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
    if errors:
        error = errors[0]
        path = list(error.absolute_path)
        field, message, extra = _explain(error)
        if extra:
            path.append(extra)
        raise ScenarioError(file, locate(text, path), field or _field(path), message)
    _check_references(Scenario(file, text, data))
    return Scenario(file, text, data)


# --- explaining schema errors ---------------------------------------------------------------
def _closest(word: str, choices) -> str:
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean {found[0]!r}?)" if found else ""


def _field(path: list) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _explain(error) -> tuple[str, str, str]:
    """(field, message, extra path element) for one jsonschema error."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))[0]
        return _field(path + [unknown]), f"unknown field {unknown!r}{_closest(unknown, allowed)}; allowed: {', '.join(allowed)}", unknown
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        return _field(path), f"missing field {name!r}", ""
    if error.validator == "enum":
        return _field(path), f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}{_closest(error.instance, error.validator_value)}", ""
    if error.validator == "type":
        return _field(path), f"{error.instance!r} should be of type {error.validator_value}", ""
    if error.validator == "pattern":
        hint = error.schema.get("description") or f"the pattern {error.validator_value}"
        return _field(path), f"{error.instance!r} does not look right (expected {hint})", ""
    return _field(path), error.message, ""


def locate(text: str, path: list) -> int:
    """The 1-based line of a field of the TOML text (best effort; the section's line otherwise)."""
    lines = text.splitlines()
    if not path:
        return 1
    top = str(path[0])
    headers = [i for i, line in enumerate(lines) if line.strip() in (f"[[{top}]]", f"[{top}]")]
    if not headers:
        for i, line in enumerate(lines):
            if re.match(rf"^\s*{re.escape(top)}\s*=", line):
                return i + 1
        return 1
    rest = path[1:]
    start = headers[0]
    if rest and isinstance(rest[0], int):
        start = headers[min(rest[0], len(headers) - 1)]
        rest = rest[1:]
    if not rest:
        return start + 1
    key = str(rest[0])
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if re.match(rf'^\s*"?{re.escape(key)}"?\s*=', lines[i]):
            return i + 1
    return start + 1


# --- references between sections ---------------------------------------------------------------
def _check_references(scenario: Scenario) -> None:
    data, file, text = scenario.data, scenario.file, scenario.text

    def fail(path: list, message: str) -> None:
        raise ScenarioError(file, locate(text, path), _field(path), message)

    try:
        start = scenario.start
    except ValueError:
        fail(["scenario", "start"], f"{data['scenario']['start']!r} is not a date and time like 2026-01-05 07:00")
    try:
        parse_duration(data["scenario"].get("duration", "1d"))
    except ValueError as error:
        fail(["scenario", "duration"], str(error))
    hosts = [h["name"] for h in data["hosts"]]
    for index, name in enumerate(hosts):
        if hosts.index(name) != index:
            fail(["hosts", index, "name"], f"a host named {name!r} is already defined")
    users = {h["name"]: h.get("windows_users", ["Administrator"]) for h in data["hosts"]}
    for index, host in enumerate(data["hosts"]):
        if "logged_in" in host and host["logged_in"] not in users[host["name"]]:
            fail(["hosts", index, "logged_in"], f"{host['logged_in']!r} is not one of this host's windows_users{_closest(host['logged_in'], users[host['name']])}")
    files = [f["name"] for f in data["company_files"]]
    for index, name in enumerate(files):
        if files.index(name) != index:
            fail(["company_files", index, "name"], f"a company file named {name!r} is already defined")
    places = [(f["host"].casefold(), normalize(f["path"]).casefold()) for f in data["company_files"]]
    for index, place in enumerate(places):
        if places.index(place) != index:
            fail(["company_files", index, "path"], f"another company file already lives at {data['company_files'][index]['path']!r} on {data['company_files'][index]['host']}")
    shares = [f"\\\\{s['host']}\\{s['name']}".casefold() for s in data.get("shares", [])]
    people = [p["name"] for p in data.get("people", [])]

    def known(path: list, value: str, choices: list[str], what: str) -> None:
        if value not in choices:
            fail(path, f"unknown {what} {value!r}{_closest(value, choices)}; known: {', '.join(choices) or 'none'}")

    for section, fields in (("shares", ("host",)), ("mapped_drives", ("host",)), ("company_files", ("host",)), ("integrations", ("linked_from", "company_file")), ("people", ("host", "company_file"))):
        for index, item in enumerate(data.get(section, [])):
            for name in fields:
                if name == "company_file":
                    known([section, index, name], item[name], files, "company file")
                else:
                    known([section, index, name], item[name], hosts, "host")
    for index, item in enumerate(data.get("mapped_drives", [])):
        if item["share"].rstrip("\\").casefold() not in shares:
            fail(["mapped_drives", index, "share"], f"no share {item['share']!r} is defined in [[shares]]")
    for index, item in enumerate(data.get("timeline", [])):
        for name in ACTION_FIELDS[item["action"]]:
            if name not in item:
                fail(["timeline", index], f"action {item['action']!r} needs the field {name!r}")
        if "host" in item:
            known(["timeline", index, "host"], item["host"], hosts, "host")
        for name in ("company_file",):
            if name in item:
                known(["timeline", index, name], item[name], files, "company file")
        for name in item.get("company_files", []):
            known(["timeline", index, "company_files"], name, files, "company file")
        _check_time(fail, ["timeline", index, "at"], item["at"], start)
    for index, item in enumerate(data.get("expect", [])):
        for name in EXPECT_FIELDS[item["kind"]]:
            if name not in item:
                fail(["expect", index], f"an expectation of kind {item['kind']!r} needs the field {name!r}")
        if "company_file" in item:
            known(["expect", index, "company_file"], item["company_file"], files, "company file")
        if "person" in item:
            known(["expect", index, "person"], item["person"], people, "person")
        for moment in item.get("between", []):
            _check_time(fail, ["expect", index, "between"], moment, start)


def _check_time(fail, path: list, spec: str, start: datetime) -> None:
    from sim.world import next_moment

    try:
        if next_moment(spec, start) < start:
            fail(path, f"{spec!r} is before the scenario starts ({start:%Y-%m-%d %H:%M})")
    except SimError as error:
        fail(path, str(error))
