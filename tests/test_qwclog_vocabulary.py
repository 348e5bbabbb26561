"""The simulated QWCLog.txt against the field: every line it writes is a line of the vocabulary
(sim/webconnector/vocabulary.py); every line the vocabulary says published logs show is found in
the real excerpts (tests/data/real_qwclog/, each with its source URL); every assumed line is
listed in README; and each session shape the excerpts show comes out of the simulation as the
same lines in the same order, names, tickets and times aside."""

import re
from pathlib import Path

import pytest

from sim.scenario import load_scenario
from sim.scenario_run import ScenarioRun
from sim.webconnector.vocabulary import ASSUMED_LINES, ASSUMED_PREFIXES, LINE, LINES, pattern_of
from tests.test_pg_session_rules import Interactive, update
from tests.test_update_session import ScriptedService

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "real_qwclog"
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A timestamped line as written, or as pasted (the tab become spaces, junk before the time).
STAMPED = re.compile(r"\d{8}\.\d{2}:\d{2}:\d{2} UTC[\t ]+: (.*)$")
# The most literal templates first, so a bare `{parameter}` line matches only what nothing else does.
PATTERNS = {
    name: pattern_of(LINES[name])
    for name in sorted(LINES, key=lambda n: -len(re.sub(r"\{\w+\}", "", LINES[n].message)))
}


def excerpt(name: str) -> str:
    """A real excerpt without its `# key: value` header."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1] if text.startswith("#") else text


def entries(text: str) -> list[str]:
    """`<prefix> : <message>` of every timestamped line."""
    found = []
    for line in text.splitlines():
        match = STAMPED.search(line)
        if match:
            found.append(match.group(1).rstrip("\r"))
    return found


def name_of(entry: str) -> str:
    for name, pattern in PATTERNS.items():
        if pattern.match(entry):
            return name
    return f"? {entry[:80]}"


def shape(text: str) -> list[str]:
    return [name_of(entry) for entry in entries(text)]


def window(names: list[str], first: str, last: str, containing: str = "") -> list[str]:
    """The names from a `first` to the next `last`, both included: the first such run that
    contains `containing`, when it is given."""
    start = names.index(first)
    while True:
        end = names.index(last, start) + 1
        if not containing or containing in names[start:end]:
            return names[start:end]
        start = names.index(first, end)


@pytest.fixture(scope="module")
def corpus_entries() -> list[str]:
    """Every timestamped entry of the real excerpts, and the lines users pasted without a
    timestamp (kept with a blank prefix, so a template is matched by its message alone)."""
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = excerpt(path.name)
        found.extend(entries(text))
        found.extend(f"? : {line.strip()}" for line in text.splitlines() if line.strip() and not STAMPED.search(line))
    assert len(found) > 400, "the real corpus is missing"
    return found


def seen_in(name: str, corpus: list[str]) -> bool:
    """Published logs show this line: whole, or cut short where the stored copy ends (`cut:`),
    or pasted as its message alone."""
    line = LINES[name]
    literal = re.split(r"\{\w+\}", line.message)[0]
    for entry in corpus:
        if PATTERNS[name].match(entry) or (
            entry.startswith(line.prefix + " : ")
            and len(literal) > 20
            and entry[len(line.prefix) + 3 :].startswith(literal)
        ):
            return True
        if entry.startswith("? : ") and "{" not in line.message and entry[4:] == line.message:
            return True
    return False


@pytest.fixture(scope="module")
def written() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        run = ScenarioRun(load_scenario(path))
        run.run()
        for host in run.world.hosts.values():
            lines.extend(entries(host.qwc_log.text()))
    return lines


def test_every_line_written_is_a_line_of_the_vocabulary(written):
    unknown = sorted({name_of(entry) for entry in written if name_of(entry).startswith("?")})
    assert unknown == []


def test_every_line_said_to_be_seen_is_in_a_published_log(corpus_entries):
    never = sorted(name for name, line in LINES.items() if line.seen and not seen_in(name, corpus_entries))
    assert never == []


def test_the_assumed_lines_and_prefixes_are_listed_in_readme():
    listed = README.split("## Codes and log lines the simulator can emit")[1].split("\n## ")[0]
    assert sorted(name for name in ASSUMED_LINES if f"`{name}`" not in listed) == []
    assert sorted(p for p in ASSUMED_PREFIXES if p.rsplit(".", 1)[-1] not in listed) == []


def test_interactive_mode_writes_only_vocabulary_lines(linked_office):
    update(linked_office, Interactive(), auto_run=False)
    names = shape(linked_office.server.qwc_log.text())
    assert "interactive_url_call" in names and [n for n in names if n.startswith("?")] == []


def test_an_nvu_answer_with_a_delay_is_written_as_the_field_writes_it(linked_office):
    real = window(shape(excerpt("nvu-postponed-33-conductor.txt")), "password_management_started", "some_error")
    update(linked_office, ScriptedService(authenticate=["", "NVU", "10", ""]), auto_run=True, minutes=1)
    simulated = window(shape(linked_office.server.qwc_log.text()), "password_management_started", "some_error")
    assert simulated == real


def test_a_none_answer_with_a_delay_is_written_as_the_field_writes_it(linked_office):
    real = window(
        shape(excerpt("none-postponed-after-nvu-33-conductor.txt")),
        "password_management_started",
        "some_error",
        "no_data",
    )
    update(linked_office, ScriptedService(authenticate=["", "NONE", "10", ""]), auto_run=True, minutes=1)
    simulated = window(
        shape(linked_office.server.qwc_log.text()), "password_management_started", "some_error", "no_data"
    )
    assert simulated == real


def test_a_missing_password_is_written_as_the_field_writes_it(linked_office):
    real = window(
        shape(excerpt("qbwc1030-password-not-set-33-conductor.txt")),
        "password_management_started",
        "password_management_ended",
    )
    linked_office.web_connector.forget_password(linked_office.apps["Acme Properties"])
    linked_office.web_connector.set_auto_run(linked_office.apps["Acme Properties"], True, 5)
    linked_office.world.run(minutes=1)
    simulated = window(
        shape(linked_office.server.qwc_log.text()), "password_management_started", "password_management_ended"
    )
    assert simulated == real == ["password_management_started", "no_password", "password_management_ended"]


def test_a_session_ends_with_quickbooks_first_then_close_connection_as_the_field_writes_it(linked_office):
    real = window(shape(excerpt("verbose-session-end-applock-moumita.txt")), "no_more", "update_session_ended")
    update(linked_office, ScriptedService(), auto_run=False)
    simulated = window(shape(linked_office.server.qwc_log.text()), "no_more", "update_session_ended")
    assert simulated == real


def test_a_verbose_request_cycle_is_written_as_the_field_writes_it(linked_office):
    # The excerpt is a later request of its session: HCPResponseXML is empty there.
    real = window(
        shape(excerpt("verbose-request-cycle-log-start-moumita.txt")), "asking_for_request", "receive_response_dump"
    )
    linked_office.server.registry.set_value(
        r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector", "Level", "VERBOSE", user="Administrator"
    )
    linked_office.web_connector.restart()
    two_requests = ScriptedService(receiveResponseXML=[50, 100])
    two_requests.answers["sendRequestXML"] = two_requests.answers["sendRequestXML"] * 2
    update(linked_office, two_requests, auto_run=False)
    text = linked_office.server.qwc_log.text()
    names = shape(text[text.rindex("level = VERBOSE") :])
    simulated = window(names[names.index("request_received") + 1 :], "asking_for_request", "receive_response_dump")
    assert simulated == real


def test_web_connector_33_starts_up_as_the_field_writes_it(linked_office):
    real = window(shape(excerpt("startup-33-conductor.txt")), "notify_window_on", "form_loaded")
    connector = linked_office.web_connector
    connector.upgrade("33.0.10015.91")
    connector.restart()
    linked_office.world.run(seconds=5)
    text = linked_office.server.qwc_log.text()
    simulated = window(shape(text[text.rindex("Log file initialized") :]), "notify_window_on", "form_loaded")
    assert simulated == real
    assert "QuickBooks Web Connector 33.0.10015.91 has started." in text


def _start_up_seconds(text: str) -> list[int]:
    """The second of each line of the last start-up block, from its NotifyWindowOn to its form loaded."""
    lines = text[text.rindex("Log file initialized") :].splitlines()
    stamps = [line[:17] for line in lines if STAMPED.search(line)]
    return [int(stamp[-2:]) + 60 * int(stamp[-5:-3]) for stamp in stamps]


def test_the_start_up_block_takes_a_second_or_two_as_the_published_one_does():
    # FIELD (startup-33-conductor.txt): 12:05:06 to 12:05:07, the second turning before ProcessArgs;
    # the simulated block's gaps come from the world's timing stream, so it varies with the seed.
    from sim.office import build_office

    spans, turns_at_the_window = [], 0
    for seed in range(12):
        office = build_office(seed=seed)
        office.server.web_connector_version = "33.0.10015.91"
        office.web_connector.restart()
        office.world.run(seconds=5)
        text = office.server.qwc_log.text()
        seconds = _start_up_seconds(text)
        names = shape(text[text.rindex("Log file initialized") :])
        spans.append(seconds[-1] - seconds[0])
        turns_at_the_window += seconds[names.index("process_args")] > seconds[names.index("process_args") - 1]
    assert max(spans) <= 3 and sum(span >= 1 for span in spans) >= 4 and len(set(spans)) > 1, spans
    assert turns_at_the_window >= 3


def test_nothing_updates_before_the_web_connectors_form_has_loaded(linked_office):
    connector = linked_office.web_connector
    connector.restart()
    connector.update_selected([linked_office.apps["Acme Properties"]])
    linked_office.world.run(minutes=2)
    names = shape(linked_office.server.qwc_log.text().rsplit("Log file initialized", 1)[1])
    assert names.index("form_loaded") < names.index("update_lock_read")


def test_a_log_begins_as_the_field_writes_it(linked_office):
    real = excerpt("verbose-request-cycle-log-start-moumita.txt").splitlines()[:7]
    simulated = linked_office.server.qwc_log.text().splitlines()[:7]
    assert (
        [bool(line) for line in simulated]
        == [bool(line) for line in real]
        == [False, False, True, True, True, True, False]
    )
    assert simulated[2].endswith(" UTC  ") and real[2].endswith(" UTC  ")


def test_a_written_line_that_no_template_matches_is_named_as_unknown():
    assert (
        name_of("QBWebConnector.SOAPWebService.do_nothing() : sings")
        == "? QBWebConnector.SOAPWebService.do_nothing() : sings"
    )
    assert name_of(LINE.got_lock.prefix + " : Got Lock = LOCKED:FILESRV:1") == "got_lock"


def test_a_scenario_names_the_web_connector_build_and_its_log_says_so(tmp_path):
    text = (ROOT / "scenarios" / "move-within-pc.toml").read_text(encoding="utf-8")
    text = text.replace(
        '[[hosts]]\nname = "FILESRV"', '[[hosts]]\nname = "FILESRV"\nweb_connector_version = "33.0.10015.91"', 1
    )
    assert "33.0.10015.91" in text
    path = tmp_path / "office-with-qbwc-33.toml"
    path.write_text(text, encoding="utf-8")
    run = ScenarioRun(load_scenario(path))
    run.run()
    log = run.world.host("FILESRV").qwc_log.text()
    assert "process_args" in shape(log) and '<productVersion="33.0.10015.91">' in log
    standalone = ScenarioRun(load_scenario(ROOT / "scenarios" / "move-within-pc.toml"))
    standalone.run()
    written = standalone.world.host("FILESRV").qwc_log.text()
    assert "form_loaded" in shape(written) and "process_args" not in shape(written)


def _answer_dumps(text: str) -> list[list[str]]:
    """The lines dumped after each `do_receiveResponseXML() : XML dump follows: -`."""
    dumps, current = [], None
    for line in text.splitlines():
        if STAMPED.search(line):
            current = [] if line.endswith("do_receiveResponseXML() : XML dump follows: -") else None
            if current is not None:
                dumps.append(current)
        elif current is not None:
            current.append(line)
    return dumps


def test_quickbooks_answers_are_dumped_one_element_to_a_line_as_the_field_shows_them(linked_office):
    [real] = _answer_dumps(excerpt("verbose-request-cycle-log-start-moumita.txt"))[:1]
    linked_office.server.registry.set_value(
        r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector", "Level", "VERBOSE", user="Administrator"
    )
    linked_office.web_connector.restart()
    linked_office.world.run(seconds=5)
    update(linked_office, ScriptedService(), auto_run=False)
    simulated = _answer_dumps(linked_office.server.qwc_log.text())[-1]
    for dump in (real, simulated):
        assert dump[:4] == ["", '<?xml version="1.0" ?>', "<QBXML>", "<QBXMLMsgsRs>"]
        assert all(line.count("<") <= 2 for line in dump)  # one element to a line
    # The stored excerpts are cut before an answer ends; SHAPES.md section 8 (read in the whole
    # published log): the answer ends with its own line break, then one blank line.
    assert simulated[-3:] == ["</QBXML>", "", ""]


def _parse_qwc_block(text: str) -> list[str]:
    """The lines `ParseQWC()` writes after "Contents of QWC file: -", up to the next stamped line."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if "Contents of QWC file: -" in line) + 1
    end = next(n for n in range(start, len(lines)) if STAMPED.search(lines[n]))
    return lines[start:end]


def _tag_shape(lines: list[str]) -> list[str]:
    """Each line's indentation and tag, values aside: `  <AppName>`, `  <AppID />`."""
    return [re.sub(r"^(\s*<[^>]+>).*$", r"\1", line) for line in lines]


def test_the_qwc_file_is_logged_as_web_connector_writes_it_back(linked_office):
    # FIELD (add-application-qbwc1053-modal-33-conductor.txt): no XML declaration, <QBWCXML>, each
    # child on its own line indented two spaces, an empty element as <AppID />.
    real = _parse_qwc_block(excerpt("add-application-qbwc1053-modal-33-conductor.txt"))
    simulated = _parse_qwc_block(linked_office.server.qwc_log.text())
    assert simulated[0] == real[0] == "<QBWCXML>" and simulated[-1] == real[-1] == "</QBWCXML>"
    assert "  <AppID />" in simulated and "  <AppID />" in real
    assert all(line.startswith("  <") for line in simulated[1:-1])
    # (the children come in the order of the service's own file, which differs from service to service)
    assert len(set(_tag_shape(real)) & set(_tag_shape(simulated))) >= 10


def _add_gaps(text: str) -> tuple[int, int, int]:
    """Seconds from ReadQWC to "Connecting" (its first try), from the try that connected to "Connected",
    and from that to AddToQuickBooks."""
    found = {}
    for line in text.splitlines():
        match = STAMPED.search(line)
        if match:
            for name, needle in (
                ("read", "ReadQWC"),
                ("connecting", "Connecting to QuickBooks"),
                ("connected", "Connected., Session started"),
                ("adding", "AddToQuickBooks() : Application name"),
            ):
                if needle in line and (
                    name not in found or name == "connecting" and "connected" not in found
                ):  # (the last try)
                    found[name] = int(line[9:11]) * 3600 + int(line[12:14]) * 60 + int(line[15:17])
    first = next(
        int(line[9:11]) * 3600 + int(line[12:14]) * 60 + int(line[15:17])
        for line in text.splitlines()
        if "Connecting to QuickBooks" in line and STAMPED.search(line)
    )
    return first - found["read"], found["connected"] - found["connecting"], found["adding"] - found["connected"]


def test_adding_an_application_takes_the_time_its_dialogs_and_quickbooks_take():
    # FIELD (add-application-qbwc1053-modal-33-conductor.txt): 10 s to connecting (dialogs), 34 s to
    # connected, 2 s to AddToQuickBooks; the simulated gaps come from the world's timing stream.
    from sim.office import build_office

    assert _add_gaps(excerpt("add-application-qbwc1053-modal-33-conductor.txt")) == (10, 34, 2)
    gaps = []
    for seed in range(6):
        office = build_office(seed=seed)
        office.link_all()
        gaps.append(_add_gaps(office.server.qwc_log.text()))
    assert all(4 <= dialog <= 16 and 20 <= connect <= 48 and 1 <= prepare <= 3 for dialog, connect, prepare in gaps), (
        gaps
    )
    assert len({connect for _, connect, _ in gaps}) > 2, gaps
