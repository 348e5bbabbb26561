"""Mixed, unlabelled QWCLog.txt excerpts for a blind reader: real ones from tests/data/real_qwclog/
beside simulated ones of the same situations, shuffled by a seed. Writes OUT/excerpts.md (for the
reader) and OUT/key.json (which is which). Issue 21's measure: a reader who knows the Web Connector
should do no better than chance.

The design keeps every difference but the Web Connector's own lines out of the reader's way:

- Each real excerpt is paired with a simulated one of the same situation, staged as fully as the
  model can: the same Web Connector build and qbXML version (the QuickBooks year that supports it)
  as the real excerpt shows, the same log level, and a day of the same year with the same UTC offset
  (US daylight saving or not), so the local times its lines carry differ from UTC as the real ones do.
- Every excerpt, real and simulated alike, is shifted in time to a seeded random time of day, its
  gaps kept and its local-time lines (the start-up banner, a postponement) moved with its stamps:
  the time of day says nothing about where an excerpt comes from, and the reader must judge each
  excerpt by its own lines, not by which excerpts share an hour.
- Masked alike in both: names, tickets, GUIDs, paths, URLs, dates; the company file's identity (its
  name, its details, whether it is Intuit's sample file); and the web service's identity, which is
  not the Web Connector's: its serverVersion, its closeConnection and getLastError answers (each
  service writes its own: "0.0.0" and "Complete!" from one vendor, STRATAFOLIO's from another).

    python bench/blind_excerpts.py OUT [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402

from sim.office import Office  # noqa: E402
from sim.office import build_office as _build_office  # noqa: E402
from sim.world import to_utc  # noqa: E402
from tests.test_pg_session_rules import update  # noqa: E402
from tests.test_qwclog_vocabulary import excerpt  # noqa: E402
from tests.test_update_session import ScriptedService  # noqa: E402

STAMP = re.compile(r"^\d{8}\.(\d{2}:\d{2}:\d{2}) UTC")
KEY = r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector"


def cut(text: str, first: str, last: str, occurrence: int = 0) -> str:
    """The lines from the `occurrence`-th line containing `first` to the next containing `last`."""
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if first in line]
    start = starts[occurrence]
    end = next(n for n in range(start, len(lines)) if last in lines[n])
    return "\n".join(lines[start : end + 1])


def mask(text: str) -> str:
    text = re.sub(r"'[^'\n]*' (has STARTED|has COMPLETED)", r"'<APP>' \1", text)
    text = re.sub(
        r"(for application = (?!')|AppName: |AppUniqueName \(if available\): "
        r"|CurrentWebServiceName has been set to )[^\n]+",
        r"\1<APP>",
        text,
    )
    text = re.sub(r"application named '[^']+'", "application named '<APP>'", text)
    text = re.sub(r"(Authenticating to application ')[^']+(', username = ')[^']+'", r"\1<APP>\2<USER>'", text)
    text = re.sub(r'userName="[^"]*"', 'userName="<USER>"', text)
    text = re.sub(r"(AppURL: )\S+", r"\1<URL>", text)
    # (the service's identity, not the Web Connector's: each service answers these its own way)
    text = re.sub(r'(serverVersionRet|ccResponse|getLastErrorRet)="[^"\n]*"', r'\1="<SERVICE>"', text)
    text = re.sub(r"(Response received from application = )[^\n]*", r"\1<SERVICE>", text)
    text = re.sub(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", "<GUID>", text)
    text = re.sub(r'cfn="[^"]*"', 'cfn="<PATH>"', text)
    text = re.sub(
        r"(LOCKED|UNLOCKED):[A-Z0-9-]+(:\d+)?",
        lambda m: f"{m.group(1)}:<HOST>" + (":<TICKS>" if m.group(2) else ""),
        text,
    )
    text = re.sub(r"\w+day, \w+ \d{1,2}, \d{4}", "<DATE>", text)
    text = re.sub(r"by '[^']+' for next", "by '<APP>' for next", text)
    text = re.sub(
        r"CheckCFNResponse\(\) : [^\n]+: Not a valid username", "CheckCFNResponse() : <APP>: Not a valid username", text
    )
    # (the company file's identity: its name, whether it is Intuit's sample file, its own details)
    text = re.sub(r"<(CompanyName|LegalCompanyName)>[^<]*<", r"<\1><COMPANY><", text)
    text = re.sub(r"<IsSampleCompany>[^<]*<", "<IsSampleCompany><MASKED><", text)
    text = re.sub(r"<(Addr\d|City|PostalCode|Phone|Fax|Email|CompanyWebSite|EIN)>[^<]*<", r"<\1><MASKED><", text)
    text = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", "<DATE>", text)
    return "\n".join(STAMP.sub(r"<DATE>.\1 UTC", line) for line in text.splitlines())


# --- time: every excerpt moved to a time of day of the seed's choosing ---------------------------
_FULL_STAMP = re.compile(r"^(\d{8}\.\d{2}:\d{2}:\d{2}) UTC", re.M)
_BANNER_TIME = re.compile(r"(\w+day, \w+ \d{1,2}, \d{4}) at (\d{1,2}:\d{2}:\d{2} [AP]M)")
_POSTPONED_TIME = re.compile(r"(postponed at )(\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M)")
#: The times of day (UTC) an excerpt's first line is moved to: an office's working day in US time.
EARLIEST, LATEST = 11 * 3600, 24 * 3600


def _clock(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


def shifted(text: str, seconds: float) -> str:
    """The excerpt moved `seconds` in time: its UTC stamps and the local times its lines carry alike."""
    delta = timedelta(seconds=seconds)
    text = _FULL_STAMP.sub(
        lambda m: f"{datetime.strptime(m.group(1), '%Y%m%d.%H:%M:%S') + delta:%Y%m%d.%H:%M:%S} UTC", text
    )

    def banner(match: re.Match) -> str:
        moment = datetime.strptime(f"{match.group(1)} {match.group(2)}", "%A, %B %d, %Y %I:%M:%S %p") + delta
        return f"{moment:%A}, {moment:%B} {moment.day}, {moment.year} at {_clock(moment)}"

    def postponed(match: re.Match) -> str:
        moment = datetime.strptime(match.group(2), "%m/%d/%Y %I:%M:%S %p") + delta
        return f"{match.group(1)}{moment.month}/{moment.day}/{moment.year} {_clock(moment)}"

    return _POSTPONED_TIME.sub(postponed, _BANNER_TIME.sub(banner, text))


def moved(text: str, draw: random.Random) -> str:
    """The excerpt shifted so that its first line falls at a random time of the working day."""
    first = _FULL_STAMP.search(text)
    began = datetime.strptime(first.group(1), "%Y%m%d.%H:%M:%S")
    return shifted(text, draw.randrange(EARLIEST, LATEST) - (began.hour * 3600 + began.minute * 60 + began.second))


# --- the situations, as the real excerpts show them -----------------------------------------------
@dataclass(frozen=True)
class Situation:
    """A real excerpt, where it is cut, and what it shows of the office that wrote it."""

    name: str
    file: str
    first: str
    last: str
    web_connector: str  # the build its log shows (or, where it shows none, one of its time)
    quickbooks_year: int  # a QuickBooks whose newest qbXML is the version the log shows
    day: date  # the day it was written (for its UTC offset)
    level: str
    #: How it is staged: the office's story (its QWCLog.txt text), the line the simulated excerpt begins at
    #: (the request cut at the session's second request, as the real one is cut inside a session) and
    #: which occurrence of it (the start-up block and the session's end after a restart).
    stage: Callable[[Office], str]
    simulated_first: str
    occurrence: int = 0


def _nvu(office) -> str:
    office.link_all()
    # (a service that answers nvu with a delay, as the real excerpt's does; otherwise STRATAFOLIO's answers)
    update(
        office,
        ScriptedService(authenticate=["", "NVU", "10", ""], serverVersion=office.world.stratafolio.version),
        auto_run=True,
        minutes=1,
    )
    return office.server.qwc_log.text()


def _password(office) -> str:
    office.link_all()
    office.web_connector.forget_password(office.apps["Acme Properties"])
    office.web_connector.set_auto_run(office.apps["Acme Properties"], True, 5)
    office.world.run(minutes=1)
    return office.server.qwc_log.text()


def _whole_session(office) -> str:
    office.link_all()
    office.web_connector.restart()
    office.web_connector.update_selected("all")  # a whole session with the simulated STRATAFOLIO
    office.world.run(minutes=5)
    return office.server.qwc_log.text()


def _start_up(office) -> str:
    _ = office.web_connector  # reading it starts it at the office's first moment; restarted a while later
    office.world.run(minutes=3)
    office.web_connector.restart()
    office.world.run(seconds=10)
    return office.server.qwc_log.text()


#: INDEX.md: the QBWC 33 log (33.0.10015.91, qbXML 16, May 2025, DEBUG) and the 2019 VERBOSE log
#: (qbXML 13 beside QuickBooks Enterprise 18.0, May 2019; its build is not in it: 2.3.0.215 assumed).
SITUATIONS = (
    Situation(
        "nvu",
        "nvu-postponed-33-conductor.txt",
        "Password management - Started",
        "QBWC1031",
        "33.0.10015.91",
        2024,
        date(2025, 5, 19),
        "DEBUG",
        _nvu,
        "Password management - Started",
    ),
    Situation(
        "password",
        "qbwc1030-password-not-set-33-conductor.txt",
        "Password management - Started",
        "Password management - Ended",
        "33.0.10015.91",
        2024,
        date(2025, 5, 19),
        "DEBUG",
        _password,
        "Password management - Started",
    ),
    Situation(
        "request",
        "verbose-request-cycle-log-start-moumita.txt",
        "Asking application to send request",
        "XML dump follows: -",
        "2.3.0.215",
        2018,
        date(2019, 5, 30),
        "VERBOSE",
        _whole_session,
        "Asking application to send request no. 2",
    ),
    Situation(
        "session-end",
        "verbose-session-end-applock-moumita.txt",
        "Done. No more to process.",
        "Update session has ended.",
        "2.3.0.215",
        2018,
        date(2019, 5, 30),
        "VERBOSE",
        _whole_session,
        "Done. No more to process.",
        1,
    ),
    Situation(
        "start-up",
        "startup-33-conductor.txt",
        "setNotifyWindowOn",
        "QBWC Form Loaded",
        "33.0.10015.91",
        2024,
        date(2025, 5, 19),
        "DEBUG",
        _start_up,
        "setNotifyWindowOn",
        1,
    ),
)


def _utc_offset(day: date) -> timedelta:
    noon = datetime(day.year, day.month, day.day, 12)
    return to_utc(noon) - noon


def build_office(situation: Situation, seed: int):
    """An office as the real excerpt's was: its Web Connector build, a QuickBooks of its qbXML version,
    its log level, and a day of its year (the seed's choice) with its UTC offset."""
    draw = random.Random(seed)
    offset = _utc_offset(situation.day)
    days = [
        day
        for day in (date(situation.day.year, 1, 1) + timedelta(days=n) for n in range(365))
        if _utc_offset(day) == offset
    ]
    day = draw.choice(days)
    start = datetime(day.year, day.month, day.day, draw.randrange(7, 18), draw.randrange(60), draw.randrange(60))
    office = _build_office(
        seed=seed, start=start, quickbooks_year=situation.quickbooks_year, web_connector_version=situation.web_connector
    )
    office.server.registry.set_value(KEY, "Level", situation.level, user="Administrator")
    return office


def simulated(seed: int) -> dict[str, str]:
    """The same situations as the real excerpts, each in an office of its own drawn from `seed`."""
    found = {}
    for number, situation in enumerate(SITUATIONS, 11):
        text = situation.stage(build_office(situation, seed * 100 + number))
        found[situation.name] = cut(text, situation.simulated_first, situation.last, situation.occurrence)
    return found


def real() -> dict[str, str]:
    return {situation.name: cut(excerpt(situation.file), situation.first, situation.last) for situation in SITUATIONS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    items = [("real", k, v) for k, v in real().items()] + [
        ("simulated", k, v) for k, v in simulated(arguments.seed).items()
    ]
    # (each excerpt's own time of day, from a stream of its own: which excerpts share an hour says nothing)
    items = [
        (origin, situation, mask(moved(text, random.Random(f"{arguments.seed}:{origin}:{situation}"))))
        for origin, situation, text in items
    ]
    random.Random(arguments.seed).shuffle(items)
    arguments.out.mkdir(parents=True, exist_ok=True)
    body = [
        f"# {len(items)} QWCLog.txt excerpts",
        "",
        "Names, tickets, GUIDs, paths, URLs, dates, the company file's identity and the "
        "web service's own answers (its version, its closing and error messages) are "
        "masked alike in every excerpt; every excerpt has been moved to a random time of "
        "day.",
        "",
    ]
    for number, (_, situation, text) in enumerate(items, 1):
        body += [f"## Excerpt {number} ({situation})", "", "```", text, "```", ""]
    (arguments.out / "excerpts.md").write_text("\n".join(body), encoding="utf-8")
    (arguments.out / "key.json").write_text(
        json.dumps({str(n): origin for n, (origin, _, _) in enumerate(items, 1)}, indent=1), encoding="utf-8"
    )
    print(f"{len(items)} excerpts written to {arguments.out / 'excerpts.md'}; the key is {arguments.out / 'key.json'}")


if __name__ == "__main__":
    main()
