"""Every line prefix the simulated Web Connector writes is one a support engineer knows from real logs,
or is listed as assumed; the vocabulary is tests/data/qwclog_vocabulary.md, from published QWCLog.txt files."""

import re
from pathlib import Path

import pytest

from sim.scenario import load_scenario
from sim.scenario_run import ScenarioRun
from sim.webconnector.log import ASSUMED_PREFIXES
from tests.test_pg_session_rules import Interactive, update

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "tests" / "data" / "qwclog_vocabulary.md"
LINE = re.compile(r"^\d{8}\.\d{2}:\d{2}:\d{2} UTC\t: (\S+) : ", re.MULTILINE)


def known(prefix: str, text: str) -> bool:
    """The method (and the class, when the prefix names one) appear in the vocabulary."""
    parts = prefix.split(".")
    method = re.match(r"(\w+)\(", parts[-1]).group(1)
    classes = set(re.findall(r"QBWebConnector\.(\w+)", text))
    return method in set(re.findall(r"(\w+)\(", text)) and (len(parts) < 3 or parts[1] in classes)


@pytest.fixture(scope="module")
def vocabulary() -> str:
    assert VOCABULARY.is_file(), f"the log vocabulary is missing: {VOCABULARY}"
    return VOCABULARY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def written() -> set[str]:
    prefixes: set[str] = set()
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        run = ScenarioRun(load_scenario(path))
        run.run()
        for host in run.world.hosts.values():
            prefixes |= set(LINE.findall(host.qwc_log.text()))
    return prefixes


def test_every_prefix_written_is_in_the_vocabulary_or_listed_as_assumed(vocabulary, written):
    unknown = sorted(p for p in written if not known(p, vocabulary) and p not in ASSUMED_PREFIXES)
    assert unknown == []


def test_the_assumed_prefixes_are_really_missing_from_the_vocabulary(vocabulary):
    assert sorted(p for p in ASSUMED_PREFIXES if known(p, vocabulary)) == []


def test_interactive_mode_writes_only_listed_prefixes(vocabulary, linked_office):
    update(linked_office, Interactive(), auto_run=False)
    prefixes = set(LINE.findall(linked_office.server.qwc_log.text()))
    assert "QBWebConnector.SOAPWebService.do_getInteractiveURL()" in prefixes
    assert sorted(p for p in prefixes if not known(p, vocabulary) and p not in ASSUMED_PREFIXES) == []


def test_a_real_published_log_line_parses_with_the_same_pattern():
    line = "20210701.19:32:03 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : *** Calling serverVersion()."
    assert LINE.findall(line) == ["QBWebConnector.SOAPWebService.do_serverVersion()"]
