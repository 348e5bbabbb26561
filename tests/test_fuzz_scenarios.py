"""Fuzzing scenario files: whatever a file says, wcsim runs it or refuses it in one located line."""

import time

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from sim.errors import SimError
from sim.scenario import ACTION_FIELDS, EXPECT_FIELDS, ScenarioError, parse_scenario
from sim.scenario_run import ScenarioRun


def mostly(valid: list, invalid: list) -> st.SearchStrategy:
    """Valid values most of the time, so most files get past validation and run. (Hypothesis
    favours small and boundary choices, so the invalid ones sit in the middle of the range.)"""
    return st.integers(0, 15).flatmap(lambda n: st.sampled_from(invalid if n == 7 else valid))


NAMES = mostly(["FILESRV", "FILESRV", "WS01"], ["filesrv", "SRV-2", "bad name", ""])
TIMES = mostly(
    ["Mon 08:00", "09:30", "Mon 10:15", "2026-01-05 10:00", "Mon 11:59"],
    ["25:00", "Tue 09:00", "2026-01-05 10:00+01:00", "soon", "Sun 07:00"],
)
PATHS = mostly(
    [r"D:\QBData\Acme.QBW", r"D:\QBData\Acme.QBW", r"C:\Users\Public\Acme.QBW", r"\\FILESRV\QB\Acme.QBW"],
    [r"Q:\Acme.QBW", "/srv/Acme.QBW", "Acme.QBW"],
)
FILES = mostly(["Acme", "Acme", "Other"], ["Nope"])
JUNK = st.recursive(
    st.none().map(lambda _: "") | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELD_VALUES = {
    "host": NAMES,
    "company_file": FILES,
    "to": st.sampled_from(["Acme 2026.QBW", r"E:\Acme.QBW", r"\\WS01\Share\Acme.QBW", ""]),
    "folder": st.sampled_from([r"D:\QBData", r"C:\Nope"]),
    "user": st.sampled_from(["Administrator", "Admin", "bob"]),
    "letter": st.sampled_from(["Q:", "C:", "Z"]),
    "share": st.sampled_from([r"\\FILESRV\QB", r"\\NOPE\X"]),
    "text": st.text(max_size=20),
    "minutes": st.integers(0, 120),
    "count": st.integers(0, 30),
    "access": st.sampled_from(["always", "no", "prompt each time"]),
    "company_files": st.lists(FILES, max_size=2),
    "qwc": st.sampled_from(["new", "old"]),
    "path": PATHS,
    "by": st.sampled_from(["admin@example.com", "x@y"]),
    "mode": st.sampled_from(["multi-user", "single-user"]),
    "enabled": st.booleans(),
    "password": st.text(max_size=10),
    "state": st.sampled_from(["valid", "expired", "untrusted", "broken"]),
    "callback": st.sampled_from(["authenticate", "serverVersion", "none", "nope"]),
    "year": st.integers(1990, 2110),
    "version": st.sampled_from(["2.3.0.230", "33.0", "x"]),
    "program": st.sampled_from(["quickbooks", "web_connector", "excel"]),
    "how": st.sampled_from(["corrupt", "too large", "shredded"]),
    "date": st.sampled_from(["2025-12-31", "", "31/12/2025"]),
    "customer": st.integers(0, 40),
    "amount": st.sampled_from(["950.00", "1", "-5", "lots"]),
    "ref": st.sampled_from(["SF-00001", "SF-99999", ""]),
}


@st.composite
def actions(draw):
    action = draw(st.sampled_from(sorted(ACTION_FIELDS)))
    item = {"at": draw(TIMES), "action": action}
    for name in ACTION_FIELDS[action]:
        if draw(st.integers(0, 15)) != 7:  # now and then a needed field is missing
            item[name] = draw(FIELD_VALUES.get(name, st.text(max_size=10)))  # a new action's field: any text
    return item


@st.composite
def expectations(draw):
    kind = draw(st.sampled_from(sorted(EXPECT_FIELDS)))
    item = {"kind": kind}
    values = {
        "company_file": FILES,
        "outcome": st.sampled_from(["succeeded", "failed", "any"]),
        "code": st.sampled_from(["0x80040408", "QBWC1012"]),
        "text": st.text(max_size=10),
        "person": st.sampled_from(["maria", "nobody"]),
        "listed": st.booleans(),
        "count": st.integers(-1, 3),
        "check": st.sampled_from(["all", "within-bounds", "nope"]),
    }
    for name in EXPECT_FIELDS[kind]:
        item[name] = draw(values[name])
    if draw(st.booleans()):
        item["between"] = [draw(TIMES), draw(TIMES)]
    return item


@st.composite
def scenario_files(draw):
    hosts = [{"name": "FILESRV", "role": "server", "drives": ["C", "D"], "logged_in": "Administrator"}]
    if draw(st.booleans()):
        hosts.append(
            {
                "name": draw(mostly(["WS01"], ["filesrv", "bad name"])),
                "role": draw(mostly(["workstation"], ["laptop"])),
                "drives": draw(st.lists(mostly(["C", "E"], ["CD"]), max_size=2, unique=True)),
            }
        )
    data = {
        "scenario": {
            "name": draw(mostly(["fuzz"], ["", "a\nHOLDS", "x" * 400])),
            "reproduces": "fuzz",
            "source": "assumed",
            "seed": draw(st.integers(0, 3)),
            "duration": draw(mostly(["6h", "12h", "1d"], ["0m", "99999d", "x"])),
        },
        "hosts": hosts,
        "company_files": [{"name": "Acme", "host": "FILESRV", "path": draw(PATHS)}],
    }
    if draw(st.booleans()):
        data["company_files"].append(
            {
                "name": draw(mostly(["Other"], ["Acme"])),
                "host": "FILESRV",
                "path": draw(mostly([r"D:\QBData\Other.QBW"], [r"D:\QBData\Acme.QBW"])),
                "users": {"Admin": draw(st.text(max_size=6))},
            }
        )
    if draw(st.booleans()):
        data["shares"] = [
            {"host": "FILESRV", "name": "QB", "folder": draw(mostly([r"D:\QBData"], [r"Q:\QBData", "/x"]))}
        ]
    if draw(st.booleans()):
        data["integrations"] = [
            {
                "company_file": draw(FILES),
                "linked_from": draw(NAMES),
                "auto_run_minutes": draw(st.integers(30, 240)),
                "access": draw(st.sampled_from(["always", "no", "prompt each time"])),
            }
        ]
    if draw(st.booleans()):
        data["people"] = [
            {
                "name": "maria",
                "host": draw(NAMES),
                "company_file": draw(FILES),
                "works": draw(st.sampled_from(["08:00-17:00", "07:30-09:00", "17:00-08:00", "25:00-99:99"])),
            }
        ]
    data["timeline"] = draw(st.lists(actions(), max_size=4))
    data["expect"] = draw(st.lists(expectations(), max_size=3))
    if draw(st.integers(0, 7)) == 3:  # and sometimes junk anywhere
        section = draw(st.sampled_from(sorted(data)))
        target = data[section][0] if isinstance(data[section], list) and data[section] else data[section]
        if isinstance(target, dict):
            target[draw(st.sampled_from(sorted(target) + ["extra"]))] = draw(JUNK)
    return tomli_w.dumps(data)


def check_error(error: ScenarioError) -> None:
    text = str(error)
    assert "\n" not in text and text.startswith("fuzz.toml"), text


@given(scenario_files())
def test_any_scenario_file_runs_or_is_refused_in_one_located_line(text):
    started = time.monotonic()
    try:
        scenario = parse_scenario(text, "fuzz.toml")
        run = ScenarioRun(scenario)
    except ScenarioError as error:
        check_error(error)
        return
    run.run()
    verdicts = run.verdicts()
    assert all(isinstance(v.holds, bool) for v in verdicts)
    assert time.monotonic() - started < 30


@given(st.text(max_size=400))
def test_arbitrary_text_is_refused_as_a_scenario_error(text):
    try:
        parse_scenario(text, "fuzz.toml")
    except ScenarioError as error:
        check_error(error)
    except SimError as error:  # pragma: no cover - the property's failure message
        raise AssertionError(f"not a ScenarioError: {error!r}") from None
