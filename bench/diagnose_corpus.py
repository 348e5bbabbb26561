"""Measure: `wcsim diagnose` on every real QWCLog.txt excerpt of tests/data/real_qwclog (a script, not a test).

Prints one line per excerpt (its split, what the thread established, wcsim's verdict and top
group, and the judgement of tests/real_logs.py: right / not explained / wrong), then the tally
of each half, tuning and held-out, for README.

    python bench/diagnose_corpus.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.diagnose.diagnosis import diagnose  # noqa: E402
from sim.diagnose.log_reader import read_log  # noqa: E402
from tests.real_logs import EXPECTED, NOT_CLAIMED, excerpts, judge  # noqa: E402


def main() -> None:
    tally: dict[str, Counter] = {"tuning": Counter(), "held-out": Counter()}
    for excerpt in excerpts():
        expected = EXPECTED.get(excerpt.name)
        diagnosis = diagnose(read_log(excerpt.text.encode("utf-8")), workers=2)
        verdict = judge(expected, diagnosis)
        tally[excerpt.split][verdict] += 1
        wanted = (
            ", ".join(sorted(expected))
            if expected
            else ("nothing claimed: " + NOT_CLAIMED.get(excerpt.name, excerpt.header.get("cause", "")[:40]))
        )
        top = ", ".join(cause.candidate.id for cause in diagnosis.top[:4]) + (" ..." if len(diagnosis.top) > 4 else "")
        score = f"{diagnosis.top[0].score:.2f}" if diagnosis.top else "-"
        print(
            f"{excerpt.split:<8}  {verdict:<13}  {excerpt.name:<62}  wcsim: "
            f"{diagnosis.verdict} ({score}: {top or '-'})  expected: {wanted}"
        )
    print()
    for split, counts in tally.items():
        print(
            f"{split:<8}  {sum(counts.values())} excerpts: {counts['right']} right, "
            f"{counts['not explained']} not explained, {counts['wrong']} wrong"
        )


if __name__ == "__main__":
    main()
