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
import functools
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators

from sim.errors import SimError
from sim.webconnector.session_moments import parse_moment
from sim.windows.filesystem import normalize

__all__ = [
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "parse_scenario",
    "schema",
    "ACTION_FIELDS",
    "EXPECT_FIELDS",
    "parse_duration",
    "LIMITS",
    "locate",
    "field_name",
    "scenarios_dir",
    "find_scenario",
    "toml_table",
]

#: Sizes a real office never reaches; beyond them a scenario is refused up front with
#: the limit named (the schema's own limits cover counts of items). They keep every
#: run bounded in time and memory: a year of an office runs in minutes at worst.
LIMITS = {
    "file_bytes": 1_000_000,
    "nesting": 32,
    "duration_days": 366,
    "scheduled_updates": 200_000,
    "invoices": 100_000,
}

#: The fields each timeline action needs (beyond "at" and "action").
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "rename_file": ("company_file", "to"),
    "rename_folder": ("host", "folder", "to"),
    "move_file": ("company_file", "to"),
    "copy_file": ("company_file", "to"),
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
    "forget_password": ("company_file",),
    "exit_qbwc": ("host",),
    "start_qbwc": ("host",),
    "set_qbwc_startup": ("host", "enabled"),
    "restart": ("host",),
    "change_qb_password": ("company_file", "user", "password"),
    "delete_qb_user": ("company_file", "user"),
    "restrict_qb_user": ("company_file", "user"),
    "lose_qbwc_key": ("company_file",),
    "service_certificate": ("state",),
    "service_drops_connection": ("callback",),
    "service_misbehaves": ("callback", "how"),
    "install_quickbooks": ("host", "year"),
    "upgrade_company_file": ("company_file", "year"),
    "upgrade_qbwc": ("host", "version"),
    "expire_qbwc_certificate": ("host",),
    "run_as_administrator": ("host", "program", "enabled"),
    "deny_write": ("host", "folder", "user"),
    "allow_write": ("host", "folder", "user"),
    "update_quickbooks": ("host",),
    "grant_access_again": ("company_file",),
    "close_company": ("host",),
    "start_quickbooks": ("host",),
    "end_qbwc_task": ("host",),
    "end_quickbooks_process": ("host",),
    "damage_qwclog": ("host", "how"),
    "delete_qwclog": ("host",),
    "security_software": ("host", "enabled"),
    "set_closing_date": ("company_file", "date"),
    "set_credit_limit": ("company_file", "customer", "amount"),
    "deactivate_customer": ("company_file", "customer"),
    "change_invoice": ("company_file", "ref", "amount"),
    "edit_invoice_in_quickbooks": ("host", "ref"),
    "dotnet_tls": ("host", "tls"),
    "service_minimum_tls": ("tls",),
}

#: The fields each kind of expectation needs.
EXPECT_FIELDS: dict[str, tuple[str, ...]] = {
    "sync": ("company_file", "outcome"),
    "error_seen": ("code",),
    "log_contains": ("text",),
    "records_once": ("company_file",),
    "records_missing": ("company_file",),
    "slowed_down": ("person",),
    "listed": ("company_file", "listed"),
    "cannot_open": ("person",),
    "blocked": ("person",),
    "rejected": ("company_file", "count"),
    "service_check": ("check",),
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


def _dispatch(subschema: Any) -> tuple[str, str] | None:
    """(key, value) when `subschema` is one of the schema's per-action rules: `{"if": {"properties": {key:
    {"const": value}}, "required": [key]}, "then": ...}` with a string value and no `else`; else None."""
    if not isinstance(subschema, dict) or set(subschema) != {"if", "then"}:
        return None
    condition = subschema["if"]
    if not isinstance(condition, dict) or set(condition) != {"properties", "required"}:
        return None
    properties, required = condition["properties"], condition["required"]
    if not isinstance(properties, dict) or len(properties) != 1 or required != list(properties):
        return None
    ((key, rule),) = properties.items()
    if not isinstance(rule, dict) or set(rule) != {"const"} or not isinstance(rule["const"], str):
        return None
    return key, rule["const"]


def _all_of(validator, all_of, instance, schema):
    """JSON Schema's allOf, as jsonschema checks it, without asking each per-action rule's `if` of an
    item whose action is another: for an object whose `key` is a string, a rule `if key == value then ...`
    (no else) whose value differs gives no error, so it is skipped; every other rule is checked as
    jsonschema checks it, in the same order, so the errors and their paths are the same. A diagnosis
    parses dozens of scenarios, each timeline item against some 60 rules (most of a parse's time)."""
    known = _DISPATCH.get(id(all_of))
    if known is None or known[0] is not all_of:
        known = _DISPATCH[id(all_of)] = (all_of, [_dispatch(subschema) for subschema in all_of])
    for index, (subschema, rule) in enumerate(zip(all_of, known[1], strict=True)):
        if rule is not None and isinstance(instance, dict) and isinstance(instance.get(rule[0]), str):
            if instance[rule[0]] != rule[1]:
                continue
        yield from validator.descend(instance, subschema, schema_path=index)


#: _dispatch of each allOf list's rules, by the list's id (the list is kept, so its id stays its own).
_DISPATCH: dict[int, tuple[list, list[tuple[str, str] | None]]] = {}


#: Draft 2020-12 with the allOf above (the same errors, found faster).
_ScenarioValidator = validators.extend(Draft202012Validator, {"allOf": _all_of})


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The schema's validator, made once: it keeps no state between files (a diagnosis parses dozens)."""
    return _ScenarioValidator(schema())


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?", text.strip())
    if not match or not text.strip():
        raise ValueError(f"duration {text!r} is not like 1d, 12h or 2d6h30m")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    seconds = days * 86400 + hours * 3600 + minutes * 60
    if seconds > LIMITS["duration_days"] * 86400:
        raise ValueError(f"duration {text!r} is longer than the limit of {LIMITS['duration_days']} days")
    return seconds


def scenarios_dir() -> Path:
    """The bundled reproductions: `sim/scenarios/` when installed, `scenarios/` in a checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "scenarios"
    return installed if any(installed.glob("*.toml")) else package.parent / "scenarios"


def find_scenario(name: str | Path) -> Path:
    """A scenario file by path, or a bundled one by name (`rename-company-file`)."""
    path = Path(name)
    if path.exists() or path.suffix == ".toml" or len(path.parts) > 1:
        return path
    bundled = scenarios_dir() / f"{path.name}.toml"
    return bundled if bundled.is_file() else path


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    limit = LIMITS["file_bytes"]
    try:
        # stat first: opening a FIFO would block, and a device never ends.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ScenarioError(str(path), 0, "", "not a regular file (a scenario is a .toml file on disk)")
        with open(path, "rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as error:
        raise ScenarioError(str(path), 0, "", f"cannot read the file ({error.strerror or error})") from None
    if len(raw) > limit:
        raise ScenarioError(str(path), 0, "", f"larger than the limit of {limit:,} bytes for a scenario file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(str(path), raw[: error.start].count(b"\n") + 1, "", "not UTF-8 text") from None
    return parse_scenario(text, str(path))


def _depth(data: Any) -> int:
    """How deeply arrays and tables nest in parsed TOML (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    if len(text) > LIMITS["file_bytes"]:
        raise ScenarioError(file, 0, "", f"larger than the limit of {LIMITS['file_bytes']:,} bytes for a scenario file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ScenarioError(file, int(line.group(1)) if line else 0, "", f"not valid TOML: {error}") from None
    except RecursionError:
        raise ScenarioError(
            file, 0, "", f"arrays or tables nested too deeply (the limit is {LIMITS['nesting']} levels)"
        ) from None
    if _depth(data) > LIMITS["nesting"]:
        raise ScenarioError(
            file, 0, "", f"arrays or tables nested {_depth(data)} levels deep (the limit is {LIMITS['nesting']})"
        )
    errors = sorted(
        _validator().iter_errors(data), key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path])
    )
    if errors:
        first = errors[0]
        path = list(first.absolute_path)
        field, message, extra = _explain(first)
        if extra:
            path.append(extra)
        raise ScenarioError(file, locate(text, path), field or field_name(path), message)
    _check_references(Scenario(file, text, data))
    return Scenario(file, text, data)


# --- explaining schema errors ---------------------------------------------------------------
def _closest(word: str, choices) -> str:
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean {found[0]!r}?)" if found else ""


def field_name(path: list) -> str:
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
        return (
            field_name(path + [unknown]),
            f"unknown field {unknown!r}{_closest(unknown, allowed)}; allowed: {', '.join(allowed)}",
            unknown,
        )
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        if "allOf" in error.schema_path and isinstance(error.instance, dict):  # the schema's per-action rules
            if "action" in error.instance:
                return field_name(path), f"action {error.instance['action']!r} needs the field {name!r}", ""
            if "kind" in error.instance:
                return (
                    field_name(path),
                    f"an expectation of kind {error.instance['kind']!r} needs the field {name!r}",
                    "",
                )
        return field_name(path), f"missing field {name!r}", ""
    if error.validator == "enum":
        return (
            field_name(path),
            f"{_shown(error.instance)} is not one of "
            f"{', '.join(map(str, error.validator_value))}{_closest(error.instance, error.validator_value)}",
            "",
        )
    if error.validator == "type":
        return field_name(path), f"{_shown(error.instance)} should be of type {error.validator_value}", ""
    if error.validator == "pattern":
        hint = error.schema.get("description") or f"the pattern {error.validator_value}"
        return field_name(path), f"{_shown(error.instance)} does not look right (expected {hint})", ""
    if error.validator in ("maxItems", "maxProperties"):
        return field_name(path), f"{len(error.instance):,} entries; the limit is {error.validator_value:,}", ""
    if error.validator == "maxLength":
        return field_name(path), f"{len(error.instance):,} characters; the limit is {error.validator_value:,}", ""
    if error.validator in ("maximum", "minimum"):
        word = "at most" if error.validator == "maximum" else "at least"
        return (
            field_name(path),
            f"{_shown(error.instance)} is out of range: it must be {word} {error.validator_value:,}",
            "",
        )
    return field_name(path), error.message[:200], ""


def _shown(value: object) -> str:
    """A value from the file as an error message shows it: quoted, escaped, short."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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
        raise ScenarioError(file, locate(text, path), field_name(path), message)

    from sim.world import EARLIEST_START, LATEST_END

    try:
        start = scenario.start
    except ValueError:
        fail(["scenario", "start"], f"{data['scenario']['start']!r} is not a date and time like 2026-01-05 07:00")
    try:
        duration = parse_duration(data["scenario"].get("duration", "1d"))
    except ValueError as error:
        fail(["scenario", "duration"], str(error))
    if not EARLIEST_START <= start <= LATEST_END - timedelta(seconds=duration):
        fail(
            ["scenario", "start"],
            f"{data['scenario']['start']!r}: the run must lie within the years {EARLIEST_START.year}-{LATEST_END.year}",
        )
    end = start + timedelta(seconds=duration)
    _check_work(fail, data, duration)
    hosts = [h["name"] for h in data["hosts"]]
    _no_duplicates(fail, hosts, "hosts", "a host named {!r} is already defined (computer names ignore case)")
    users = {h["name"]: h.get("windows_users", ["Administrator"]) for h in data["hosts"]}
    for index, host in enumerate(data["hosts"]):
        if "logged_in" in host and host["logged_in"] not in users[host["name"]]:
            fail(
                ["hosts", index, "logged_in"],
                f"{host['logged_in']!r} is not one of this host's "
                f"windows_users{_closest(host['logged_in'], users[host['name']])}",
            )
    files = [f["name"] for f in data["company_files"]]
    _no_duplicates(fail, files, "company_files", "a company file named {!r} is already defined", fold=False)
    for index, name in enumerate(files):
        # The name is the STRATAFOLIO integration's and so the Web Connector application's
        # ("STRATAFOLIO - NAME"), kept under a registry key of that name: '\' separates keys in
        # Windows, and the simulated registry (assumed) takes '/' as a separator too.
        if "\\" in name or "/" in name:
            fail(
                ["company_files", index, "name"],
                f"{name!r}: a company file's name becomes a registry key's name (its Web Connector "
                "application), which cannot hold '\\' or '/'",
            )
    seen_places: set[tuple[str, str]] = set()
    for index, item in enumerate(data["company_files"]):
        place = (item["host"].casefold(), normalize(item["path"]).casefold())
        if place in seen_places:
            fail(
                ["company_files", index, "path"],
                f"another company file already lives at {item['path']!r} on {item['host']}",
            )
        seen_places.add(place)
    shares = [f"\\\\{s['host']}\\{s['name']}".casefold() for s in data.get("shares", [])]
    people = [p["name"] for p in data.get("people", [])]

    def known(path: list, value: str, choices: list[str], what: str) -> None:
        if value not in choices:
            fail(path, f"unknown {what} {value!r}{_closest(value, choices)}; known: {', '.join(choices) or 'none'}")

    for section, fields in (
        ("shares", ("host",)),
        ("mapped_drives", ("host",)),
        ("company_files", ("host",)),
        ("integrations", ("linked_from", "company_file")),
        ("people", ("host", "company_file")),
    ):
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
        if _check_time(fail, ["timeline", index, "at"], item["at"], start) > end:
            fail(["timeline", index, "at"], f"{item['at']!r} is after the scenario ends ({end:%Y-%m-%d %H:%M})")
        if "after" in item:
            if index == 0:
                fail(
                    ["timeline", index, "after"],
                    "'after' counts from the timeline item before it, and this is the first",
                )
            try:
                wait = parse_duration(item["after"])
            except ValueError as error:
                fail(["timeline", index, "after"], str(error))
            if not 0 < wait <= duration:
                fail(
                    ["timeline", index, "after"],
                    f"{item['after']!r} must be longer than nothing and within the scenario's duration",
                )
        if "during" in item:
            try:
                moment = parse_moment(item["during"])
            except ValueError as error:
                fail(["timeline", index, "during"], str(error))
            if moment.host:
                known(["timeline", index, "during"], moment.host, hosts, "host")
    for index, item in enumerate(data.get("expect", [])):
        for name in EXPECT_FIELDS[item["kind"]]:
            if name not in item:
                fail(["expect", index], f"an expectation of kind {item['kind']!r} needs the field {name!r}")
        if "company_file" in item:
            known(["expect", index, "company_file"], item["company_file"], files, "company file")
        if "person" in item:
            known(["expect", index, "person"], item["person"], people, "person")
        window = [_check_time(fail, ["expect", index, "between"], moment, start) for moment in item.get("between", [])]
        if len(window) == 2 and window[1] < window[0]:
            fail(
                ["expect", index, "between"],
                f"the window ends ({window[1]:%Y-%m-%d %H:%M}) before it starts ({window[0]:%Y-%m-%d %H:%M})",
            )


def _no_duplicates(fail, names: list[str], section: str, message: str, fold: bool = True) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        key = name.casefold() if fold else name
        if key in seen:
            fail([section, index, "name"], message.format(name))
        seen.add(key)


def _check_work(fail, data: dict[str, Any], duration: int) -> None:
    """Refuse, before building anything, a run whose scheduled work is beyond the limits."""
    updates = invoices = 0
    for item in data.get("integrations", []):
        if item.get("auto_run_minutes"):
            updates += duration // (item["auto_run_minutes"] * 60)
        if item.get("invoices_every_minutes"):
            invoices += duration // (item["invoices_every_minutes"] * 60)
    invoices += sum(
        item.get("count", 0) for item in data.get("timeline", []) if item.get("action") == "create_invoices"
    )
    if updates > LIMITS["scheduled_updates"]:
        fail(
            ["integrations"],
            f"about {updates:,} scheduled updates over the run; the limit is "
            f"{LIMITS['scheduled_updates']:,} (a longer auto_run_minutes or a shorter "
            "duration)",
        )
    if invoices > LIMITS["invoices"]:
        fail(
            ["integrations"],
            f"about {invoices:,} STRATAFOLIO invoices over the run; the limit is {LIMITS['invoices']:,}",
        )


def _check_time(fail, path: list, spec: str, start: datetime) -> datetime:
    from sim.world import next_moment

    try:
        moment = next_moment(spec, start)
    except SimError as error:
        fail(path, str(error))
    if moment < start:
        fail(path, f"{spec!r} is before the scenario starts ({start:%Y-%m-%d %H:%M})")
    return moment


# --- writing scenario files ---------------------------------------------------------------
def _toml(value: Any) -> str:
    # JSON's string escapes are valid TOML basic strings; lists and numbers read the same.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def toml_table(name: str, items: dict, array: bool = True) -> str:
    """One table of a scenario file (`[[name]]`, or `[name]` when not `array`), as text."""
    lines = [f"[[{name}]]" if array else f"[{name}]"] + [f"{key} = {_toml(value)}" for key, value in items.items()]
    return "\n".join(lines) + "\n"
