"""Mixed, unlabelled QWCLog.txt excerpts for a blind reader: real ones from tests/data/real_qwclog/
beside simulated ones of the same situations, with names, tickets, GUIDs, paths, URLs and dates
masked alike in both, shuffled by a seed. Writes OUT/excerpts.md (for the reader) and OUT/key.json
(which is which). Issue 21's measure: a reader who knows the Web Connector should do no better
than chance.

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

from datetime import datetime, timedelta  # noqa: E402

from sim.office import build_office as _build_office  # noqa: E402
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
    text = re.sub(r"(for application = (?!')|AppName: |AppUniqueName \(if available\): |CurrentWebServiceName has been set to )[^\n]+", r"\1<APP>", text)
    text = re.sub(r"application named '[^']+'", "application named '<APP>'", text)
    text = re.sub(r"(Authenticating to application ')[^']+(', username = ')[^']+'", r"\1<APP>\2<USER>'", text)
    text = re.sub(r'userName="[^"]*"', 'userName="<USER>"', text)
    text = re.sub(r"(AppURL: )\S+", r"\1<URL>", text)
    text = re.sub(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", "<GUID>", text)
    text = re.sub(r'cfn="[^"]*"', 'cfn="<PATH>"', text)
    text = re.sub(r"(LOCKED|UNLOCKED):[A-Z0-9-]+(:\d+)?", lambda m: f"{m.group(1)}:<HOST>" + (":<TICKS>" if m.group(2) else ""), text)
    text = re.sub(r"\w+day, \w+ \d{1,2}, \d{4}", "<DATE>", text)
    text = re.sub(r"by '[^']+' for next", "by '<APP>' for next", text)
    text = re.sub(r"CheckCFNResponse\(\) : [^\n]+: Not a valid username", "CheckCFNResponse() : <APP>: Not a valid username", text)
    text = re.sub(r"<(CompanyName|LegalCompanyName)>[^<]*<", r"<\1><COMPANY><", text)
    # (the company's own details are names too: masked alike, whatever their shape)
    text = re.sub(r"<(Addr\d|City|PostalCode|Phone|Fax|Email|CompanyWebSite|EIN)>[^<]*<", r"<\1><MASKED><", text)
    text = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", "<DATE>", text)
    return "\n".join(STAMP.sub(r"<DATE>.\1 UTC", line) for line in text.splitlines())


#: The pairings of Web Connector and QuickBooks the real excerpts show, each with the years it was
#: seen in (INDEX.md, SHAPES.md sections 5 and 14): 33.0.10015.91 beside QuickBooks 2024 and qbXML 16
#: (2025); the standalone 2.x builds beside QuickBooks years that support qbXML 13 (2017, 2019) and
#: 2.3.0.215 in 2022. The QuickBooks years of the 2.x logs are not in them: those drawn are assumed.
PAIRINGS = (("33.0.10015.91", 2024, (2025,)), ("2.3.0.215", 2020, (2019, 2021)), ("2.3.0.215", 2022, (2022, 2023)), ("2.3.0.215", 2019, (2017, 2019)))


def build_office(seed: int):
    """An office as a real log's would be: a day of the year and a time of the seed's choosing (the
    real excerpts' dates run from January to November, so some are UTC-5 and most UTC-4), and one of
    the Web Connector and QuickBooks pairings the real excerpts show."""
    draw = random.Random(seed)
    version, quickbooks_year, log_years = draw.choice(PAIRINGS)
    day = datetime(draw.choice(log_years), 1, 1) + timedelta(days=draw.randrange(365))
    start = day.replace(hour=draw.randrange(6, 20), minute=draw.randrange(60), second=draw.randrange(60))
    return _build_office(seed=seed, start=start, quickbooks_year=quickbooks_year, web_connector_version=version)


def simulated(seed: int) -> dict[str, str]:
    """The same situations as the real excerpts, each in an office of its own drawn from `seed`."""
    found = {}
    office = build_office(seed=seed * 100 + 11)
    office.link_all()
    # (a service that answers nvu with a delay, as the real excerpt's does; otherwise STRATAFOLIO's answers)
    update(office, ScriptedService(authenticate=["", "NVU", "10", ""], serverVersion=office.world.stratafolio.version), auto_run=True, minutes=1)
    found["nvu"] = cut(office.server.qwc_log.text(), "Password management - Started", "QBWC1031")
    office = build_office(seed=seed * 100 + 12)
    office.link_all()
    office.web_connector.forget_password(office.apps["Acme Properties"])
    office.web_connector.set_auto_run(office.apps["Acme Properties"], True, 5)
    office.world.run(minutes=1)
    found["password"] = cut(office.server.qwc_log.text(), "Password management - Started", "Password management - Ended")
    office = build_office(seed=seed * 100 + 13)
    office.server.registry.set_value(KEY, "Level", "VERBOSE", user="Administrator")
    office.link_all()
    office.web_connector.restart()
    office.web_connector.update_selected("all")  # a whole session with the simulated STRATAFOLIO
    office.world.run(minutes=5)
    text = office.server.qwc_log.text()
    found["request"] = cut(text, "Asking application to send request no. 2", "XML dump follows: -", 0)
    found["session-end"] = cut(text, "Done. No more to process.", "Update session has ended.", 1)
    office = build_office(seed=seed * 100 + 14)
    office.web_connector  # (started at the office's first moment, restarted a while later)
    office.world.run(minutes=3)
    office.web_connector.restart()
    office.world.run(seconds=10)
    found["start-up"] = cut(office.server.qwc_log.text(), "setNotifyWindowOn", "QBWC Form Loaded", 1)
    return found


def real() -> dict[str, str]:
    return {
        "nvu": cut(excerpt("nvu-postponed-33-conductor.txt"), "Password management - Started", "QBWC1031"),
        "password": cut(excerpt("qbwc1030-password-not-set-33-conductor.txt"), "Password management - Started", "Password management - Ended"),
        "request": cut(excerpt("verbose-request-cycle-log-start-moumita.txt"), "Asking application to send request", "XML dump follows: -"),
        "session-end": cut(excerpt("verbose-session-end-applock-moumita.txt"), "Done. No more to process.", "Update session has ended."),
        "start-up": cut(excerpt("startup-33-conductor.txt"), "setNotifyWindowOn", "QBWC Form Loaded"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    items = [("real", k, mask(v)) for k, v in real().items()] + [("simulated", k, mask(v)) for k, v in simulated(arguments.seed).items()]
    random.Random(arguments.seed).shuffle(items)
    arguments.out.mkdir(parents=True, exist_ok=True)
    body = [f"# {len(items)} QWCLog.txt excerpts", "", "Names, tickets, GUIDs, paths, URLs and dates are masked alike in every excerpt.", ""]
    for number, (_, situation, text) in enumerate(items, 1):
        body += [f"## Excerpt {number} ({situation})", "", "```", text, "```", ""]
    (arguments.out / "excerpts.md").write_text("\n".join(body), encoding="utf-8")
    (arguments.out / "key.json").write_text(json.dumps({str(n): origin for n, (origin, _, _) in enumerate(items, 1)}, indent=1), encoding="utf-8")
    print(f"{len(items)} excerpts written to {arguments.out / 'excerpts.md'}; the key is {arguments.out / 'key.json'}")


if __name__ == "__main__":
    main()
