"""The corpus of real QWCLog.txt excerpts (tests/data/real_qwclog/) and what `wcsim diagnose` must say of each.

Each excerpt was published by someone with a failing (or working) Web Connector; its header
gives the source, the cause the thread established (or "not established", "no failure") and
its `split`: `tuning` excerpts may be looked at while building the diagnosis, `held-out` ones
only run (INDEX.md says how they were chosen). `EXPECTED` turns each header's cause into what
wcsim can be held to:

- a set of candidate ids: the thread established a cause that a candidate models and the
  excerpt shows its failure: one of them must be in the top group (explained or not);
- None: nothing may be claimed (no candidate at or above the threshold): the thread never
  found the cause, or the excerpt shows no failure, or shows none of the failure the thread
  was about, or the cause it established is no candidate's (the reason is in NOT_CLAIMED).

`judge` sorts a diagnosis into right / not explained / wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "real_qwclog"

EXPECTED: dict[str, frozenset[str] | None] = {
    # tuning
    "add-application-qbwc1053-modal-33-conductor": frozenset({"popup-left-open"}),
    "exception-in-wsmanager-after-nvu-33-conductor": None,
    "manual-run-start-pastebin-AXr27fVS": None,
    "none-authret-line-broken-fragment-quickbooks-js-15": None,
    "none-postponed-after-nvu-33-conductor": None,
    "parse-error-0x80040400-line-element-order-qbwc-74": frozenset({"service-bad-qbxml"}),
    "qbpos-send-request-debug-pastebin-nf9HmHfL": None,
    "qbwc1012-connection-closed-fragment-php-240": None,
    "qbwc1012-dotnet7-session-start-qbsync-62": None,
    "qbwc1012-object-reference-php-soapserver-gist-hotestimator": None,
    "qbwc1030-password-not-set-33-conductor": frozenset({"password-lost"}),
    "qbwc1031-fragment-php-sql-typo-251": frozenset({"service-throws"}),
    "qbwc1051-http-url-not-added-fragment-quickbooks-js-26": frozenset({"qwc-url-not-https"}),
    "receive-response-verbose-dump-php-92": None,
    "request-verbose-slow-answer-php-226": None,
    "request-without-xml-declaration-verbose-qbwc-69": None,
    "scheduled-run-junk-before-timestamp-404-loopback-7": None,
    "scheduled-run-start-buildertrend-pastebin-ZpjLDKTX": None,
    "serverversion-connection-closed-myworks-pastebin-Mf7SbJSe": None,
    "session-end-applock-debug-pastebin-snuB000p": None,
    "session-end-complete-pastebin-dnSX8mZL": None,
    "session-start-php-devkit-2.1-pastebin-4uwH2vUh": None,
    "startup-33-conductor": None,
    "verbose-request-cycle-log-start-moumita": None,
    "verbose-session-end-applock-moumita": None,
    # held-out (expectations from the headers only)
    "nvu-postponed-33-conductor": None,
    "parse-error-0x80040400-fragment-journal-entry-sdk-samples-4": None,
    "qbwc1012-index-out-of-range-wcf-pastebin-LiD07kF9": None,
    "qbwc1012-index-outside-bounds-soapcore-248": frozenset({"service-answer-unreadable"}),
    # The service's handler failed (MySQL) and its answer was not well-formed XML.
    "qbwc1042-not-well-formed-dialog-php-mysql-248": frozenset({"service-answer-unreadable", "service-throws"}),
    "sendrequestxml-object-reference-noop-fragment-qbws-3": None,
}

#: Why an excerpt whose thread established a cause still may not be claimed.
NOT_CLAIMED = {
    "qbwc1012-dotnet7-session-start-qbsync-62": "the excerpt ends before the failure (the thread reports it)",
    "request-without-xml-declaration-verbose-qbwc-69": "the excerpt shows the request, not the failure it caused",
    "scheduled-run-junk-before-timestamp-404-loopback-7": "the excerpt ends before the 404s the thread reports",
    "sendrequestxml-object-reference-noop-fragment-qbws-3": (
        "no candidate models a service that lets a session start with nothing to send"
    ),
}


@dataclass(frozen=True)
class Excerpt:
    name: str
    header: dict[str, str]
    text: str

    @property
    def split(self) -> str:
        return self.header.get("split", "")


def excerpts() -> list[Excerpt]:
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        head, _, body = raw.partition("\n\n")
        header = dict(re.findall(r"^# ([\w-]+): (.*)$", head, re.M))
        found.append(Excerpt(path.stem, header, body))
    return found


#: What a log shows that is an error whatever the reader makes of it (QBWC1031 after "No data to
#: exchange" is the Web Connector's wording for NONE, not an error).
SHOWS_AN_ERROR = re.compile(
    r"QBWC1(?!031)\d{3}|Exception|HRESULT|Actual error received|Not a valid "
    r"username|Object reference not set|Index was outside the bounds|not well-formed"
)


def shows_an_error(text: str) -> bool:
    return bool(SHOWS_AN_ERROR.search(text)) or ("QBWC1031" in text and "No data to exchange" not in text)


def judge(expected: frozenset[str] | None, diagnosis) -> str:
    """ "right", "not explained" (a cause was established, wcsim claims none and has it not among
    its leads) or "wrong" (it claims a cause it should not)."""
    from sim.diagnose.diagnosis import MATCH_THRESHOLD

    top = {cause.candidate.id for cause in diagnosis.top}
    claimed = {cause.candidate.id for cause in diagnosis.ranked if cause.score >= MATCH_THRESHOLD}
    if expected is None:
        return "wrong" if claimed else "right"
    if claimed - expected:
        return "wrong"
    return "right" if top & expected else "not explained"
