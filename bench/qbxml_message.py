"""Benchmark: one large qbXML message through the simulated QuickBooks (a script, not a test).

A service may send thousands of requests in one sendRequestXML; README's "Limits and
guarantees" quotes what they cost. Each case runs in a fresh process so its peak memory
is its own:

    python bench/qbxml_message.py adds 10000       # 10,000 CustomerAdd
    python bench/qbxml_message.py queries 10000    # 10,000 CustomerQuery, each the whole list
    python bench/qbxml_message.py adds 60000       # past the 10,000-request bound: refused
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests' session helper

from sim.errors import QuickBooksError  # noqa: E402
from tests.test_fuzz_xml_readers import unattended_session  # noqa: E402


def message(kind: str, count: int) -> str:
    if kind == "adds":
        body = "".join(
            f'<CustomerAddRq requestID="{n}"><CustomerAdd><Name>C{n}</Name></CustomerAdd></CustomerAddRq>'
            for n in range(count)
        )
    else:
        body = "".join(f'<CustomerQueryRq requestID="{n}"/>' for n in range(count))
    return (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
        f'onError="continueOnError">{body}</QBXMLMsgsRq></QBXML>'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("adds", "queries"))
    parser.add_argument("count", type=int)
    arguments = parser.parse_args()
    processor, session = unattended_session()
    text = message(arguments.kind, arguments.count)
    started = time.perf_counter()
    try:
        answer, _ = processor.process(session, text)
        outcome = f"answered with {len(answer):,} characters"
    except QuickBooksError as error:
        outcome = f"refused: {error.code}"
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{arguments.count:,} {arguments.kind} ({len(text):,} characters): {outcome} in "
        f"{took:.2f} s; peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
