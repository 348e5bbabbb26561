"""`wcsim diagnose` on real published QWCLog.txt excerpts (tests/data/real_qwclog/, see tests/real_logs.py).

Every excerpt is a test. Tuning excerpts must be judged right: the established cause in the
top group, nothing claimed where the thread never found one. Held-out excerpts were never
looked at while building the diagnosis, and their expectations are never changed to fit its
results: how they are judged (right / not explained / wrong) is measured and reported in
README by `bench/diagnose_corpus.py`, not asserted here, so a miss shows there rather than
being tuned away. What every excerpt must get, on both halves: no wrong cause claimed, it is read
(no traceback, no refusal), a log that shows an error never gets "no failure", and a cause that is claimed
reproduces exactly the codes the log shows.
"""

import pytest

from sim.diagnose.diagnosis import diagnose
from sim.diagnose.log_reader import read_log
from tests.real_logs import EXPECTED, excerpts, judge, shows_an_error

EXCERPTS = {excerpt.name: excerpt for excerpt in excerpts()}


def test_every_excerpt_has_an_expectation():
    assert set(EXCERPTS) == set(EXPECTED)
    assert {excerpt.split for excerpt in EXCERPTS.values()} == {"tuning", "held-out"}


@pytest.mark.parametrize("name", sorted(EXCERPTS))
def test_a_real_log_is_read_and_judged(name):
    excerpt = EXCERPTS[name]
    diagnosis = diagnose(read_log(excerpt.text.encode("utf-8")), workers=1)
    verdict = judge(EXPECTED[name], diagnosis)
    if excerpt.split == "tuning":
        assert verdict == "right", (diagnosis.verdict, [(c.candidate.id, c.score) for c in diagnosis.ranked[:5]])
    # On both halves: a miss may be "not explained", never a wrong cause at or above the threshold.
    assert verdict != "wrong", [(c.candidate.id, c.score) for c in diagnosis.ranked[:5]]
    if shows_an_error(excerpt.text):
        assert diagnosis.verdict != "no failure"
        assert diagnosis.exit_code == (0 if diagnosis.verdict == "explained" else 1)
    for cause in diagnosis.ranked:
        if diagnosis.explained and diagnosis.target is not None and cause in diagnosis.top:
            assert set(cause.simulated.codes) == set(diagnosis.target.codes)
