"""Update sessions in a parsed QWCLog.txt, and the signature of how each one ended.

A session starts at "updateWS() for application = '<APP>' has STARTED" (Update
Selected), at a scheduled run's "Password management - Started" / "Performing
SCHEDULED UPDATE" / QBWC1030 lines, or at the QWC file's contents (adding an
application), and ends at the first of: its closing lines ("Update session has
ended.", "has COMPLETED", "Update completed with errors", QBWC1031, "has been added
to QuickBooks."), the next start, or a Web Connector restart (a header block or the
start-up lines). The lines a session writes while it closes follow in either order
(Web Connector 2.x writes QBWC1031 before "Update completed with errors", 33 after
it; the UpdateLock lines come between) and stay with it; any other line after the
close belongs to no session. Splitting is one pass over the entries.

From the lines of a session it gathers what a support engineer looks for: the
callbacks reached, the QBWC codes and HRESULTs (an HRESULT's SDK text without its
code counts as the code), what authenticate answered, the error text and what that
text says happened (`error_kinds`), and how the session ended. A session that
ends well after an error (a connection retried, an application added on the second
try) succeeded; its codes are kept as `recovered`. A `Signature` is the part of all
that which says *why* a session failed, so two logs can be compared by it;
`evidence_score` compares two signatures; `gaps` finds scheduled runs that never
happened.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sim.diagnose.dotnet_errors import DOTNET_PHRASES, DOTNET_WORDS
from sim.diagnose.log_reader import LogEntry, ParsedLog, is_startup
from sim.quickbooks.hresults import HRESULT_TEXT
from sim.quickbooks.hresults import code as hresult_code
from sim.webconnector.vocabulary import LINE, Line

__all__ = [
    "Session",
    "Signature",
    "Gap",
    "split_sessions",
    "gaps",
    "similarity",
    "step_of",
    "STEPS",
    "DOUBT",
    "error_kinds",
    "shows_an_error",
    "KIND_WORDS",
]


def _words(line: Line, tail: int = -1) -> re.Pattern[str]:
    """The message of a QWCLog.txt line the Web Connector writes (sim.webconnector.vocabulary), its
    `{app}` captured (at most 300 characters), `tail` characters of what follows it kept (-1: all, to
    the line's end)."""
    head, _, rest = line.message.partition("{app}")
    rest = rest if tail < 0 else rest[:tail]
    return re.compile(re.escape(head) + f"(.{{{0 if rest else 1},300}}?)" + (re.escape(rest) if rest else "$"))


_MANUAL = _words(LINE.manual_update_started)
_SCHEDULED = _words(LINE.scheduled_update)
_ADDING = re.compile(r"Parsing application configuration xml file|Contents of QWC file")
_ADDED_NAME = re.compile("^" + _words(LINE.adding).pattern)
# Real logs write more after the name ("Please set password for this application."): only its closing quote is kept.
_NO_PASSWORD = _words(LINE.no_password, tail=1)
_CALLING = re.compile(r"(?:\*\*\* Calling|Received from) (\w{1,40})\(\)")
_CODE = re.compile(r"\b(QBWC1\d{3})\b")
_HRESULT = re.compile(r"\b(0x8004[0-9A-Fa-f]{4})\b")
#: QuickBooks' qbXML status codes of errors: in a response dump, or quoted by the service.
_STATUS = re.compile(
    r'statusCode="([1-9]\d{3,4})"[^>]{0,40}statusSeverity="Error"|QuickBooks (?:status|error) (\d{4})\b'
)
#: A qbXML error status a service quotes in its getLastError answer: the number, then QuickBooks' message
#: ("invoice SF-00001: 3171 An attempt was made ...", "3100: The name ... is already in use."). SDK: qbXML's
#: error statuses are numbered from 3000 (those wcsim models are 3000-3260); assumed: a service quoting
#: one writes its number before QuickBooks' message. A DEBUG log cuts the response dumps (SHAPES.md), so
#: the service's words are often the only place the status shows.
_QUOTED_STATUS = re.compile(r"(?<![\w.:/-])(3\d{3}):? (?=[A-Z][a-z])")
_PATH = re.compile(r"(?:cfn=\"|Company file = '|authRet\[1\]=\")([A-Za-z]:\\[^\"']{1,300}|\\\\[^\"']{1,300})")
_AUTH = re.compile(r'authRet\[1\]="([^"]{0,300})"')
_APP_URL = re.compile(r"^AppURL: (\S{1,500})")
_QWC_APP_URL = re.compile(r"<AppURL>([^<]{1,500})</AppURL>")
_MORE = re.compile(r'more="(-?\d{1,9})"')
_VERSION = re.compile(r'productVersion="([\d.]{1,30})"')
#: Lines that close a session (the Web Connector's last words on it).
_CLOSING = re.compile(
    r"Update session has ended\.|has COMPLETED|Update completed with "
    r"errors|QBWC1031:|has been added to QuickBooks\.|There was a problem adding|"
    r"Exception in WSManager\.Update|No data to exchange for the application"
)
#: Lines written while a session closes, in whichever order; they stay with it.
_TRAILING = re.compile(
    r"Update session has ended\.|has COMPLETED|Update completed with "
    r"errors|QBWC1031:|No data to exchange for the application|"
    r"UpdateLock|Update session (?:un)?locked|update completed\.|Password management - "
    r"Ended|Session ended and connection closed|"
    r"Ending session to QuickBooks|Company file has been unlocked|CurrentWebServiceSessionTicket|SingleInstanceHandler|"
    r"closeConnection|CloseConnection called|Response received from application"
)
#: Words that say a line reports an error (the log "shows an error"): the Web Connector's codes and
#: words of failure, and .NET's phrases (sim.diagnose.dotnet_errors), which can come without any of them.
_ERROR = re.compile(
    r"QBWC1\d{3}|HRESULT|0x8004[0-9A-Fa-f]{4}|Exception|Actual error received|Update "
    r"completed with errors|Error (?:creating|saving|connecting)|"
    r"failed|Not a valid username and password|Enter a "
    r"password|error|getLastErrorRet=\"[^\"]|more=\"-|statusSeverity=\"Error\"|" + DOTNET_WORDS.pattern,
)

#: The simulated Web Connector's own wording of the same kinds (sim.webconnector, sim.stratafolio.misbehaviour),
#: where it differs from .NET's: its SOAP reader and transports word their failures so.
_SIMULATED_WORDS = {
    "certificate not trusted": r"certificate",
    "HTTP error status": r"\(\d{3}\) [A-Z][a-z]+|HTTP \d{3}\b",
    "service unreachable": r"could not connect to the web service",
    "timed out": r"operation has timed out",
    "service fault": r"SOAP fault|soap:Server|exception in \w+:|Internal Server Error",
    "answer could not be read": r"unreadable answer|expected an array|content type|was not expected",
}

#: What an error's text says happened, in the .NET client's words a real Web Connector writes and in
#: the simulated Web Connector's, so a customer's log and a simulated one are compared by what
#: happened, not by wording. Checked in this order: the first kind whose words appear wins. These
#: name observations, never causes.
KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(words + (f"|{_SIMULATED_WORDS[kind]}" if kind in _SIMULATED_WORDS else ""), re.I))
    for kind, words in DOTNET_PHRASES
)

#: The steps of a session in the order Web Connector takes them (PG ch.2; QWCLOG.md): a line's step
#: is read from its prefix or, in a paste without prefixes, from its words. A fragment of a session
#: covers a range of steps; two sessions are compared over the steps both show.
STEPS = ("start", "serverVersion", "clientVersion", "authenticate", "QuickBooks", "requests", "errors", "close", "end")
_STEP_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        8,
        re.compile(
            r"DoUpdate\(\)|QBWC1031|has COMPLETED|Update session has ended|Update completed "
            r"with|Exception in WSManager|No data to exchange for the application"
        ),
    ),
    (1, re.compile(r"serverVersion")),
    (2, re.compile(r"clientVersion")),
    (
        3,
        re.compile(
            r"authenticate|authRet|CheckCFNResponse|HandleDelayRequest|SessionTicket|Authentication "
            r"failed|QBWC1012|Not a valid username"
        ),
    ),
    (
        7,
        re.compile(
            r"closeConnection|CloseConnection|UpdateLock has been set to False|Update session "
            r"unlocked|unsetLock|Company file has been unlocked|Ending session to "
            r"QuickBooks|DisconnectFromQB|update completed\.|Response received from "
            r"application"
        ),
    ),
    (6, re.compile(r"getLastError|connectionError|Interactive|interactive")),
    (
        5,
        re.compile(
            r"sendRequestXML|ProcessRequestXML|receiveResponseXML|Sending error "
            r"message|HRESULT =|Processing request|Request xml"
        ),
    ),
    (
        4,
        re.compile(
            r"ConnectToQB|Connecting to QuickBooks|Session "
            r"started|QBWC1013|handleModalDialogError|AddToQuickBooks|findFileID|"
            r"registerDataExt|CompanyFileLock|enterDataExt|QBWC1053|has "
            r"been added"
        ),
    ),
    (
        0,
        re.compile(
            r"Password management|SCHEDULED UPDATE|has STARTED|QBWC1030|Enter a "
            r"password|UpdateLock|Update session "
            r"locked|instantiateWebService|AppName|AppURL|QWC|Parsing "
            r"application|CurrentWebServiceName"
        ),
    ),
)


_STEP_OF: dict[tuple[str, str], int | None] = {}


def step_of(entry: LogEntry, before: int) -> int:
    """The step of the session a line belongs to (`before`: the step of the line before it)."""
    key = (entry.prefix, entry.message)
    step = _STEP_OF.get(key, -1)
    if step == -1:
        step = next(
            (step for step, words in _STEP_WORDS if (key[0] and words.search(key[0])) or words.search(key[1])), None
        )
        if len(_STEP_OF) > 20_000:  # lines repeat (the same prefix and words each run); the memo stays small
            _STEP_OF.clear()
        _STEP_OF[key] = step
    return before if step is None else step


_NORMALIZE = re.compile(r"[^a-z0-9]+")
#: QuickBooks' SDK texts, normalized, to recognize an HRESULT whose hex code was not pasted.
_HRESULT_BY_TEXT = {
    _NORMALIZE.sub(" ", text.lower()).strip(): hresult_code(value) for value, text in HRESULT_TEXT.items()
}
#: QuickBooks' own wording where the simulated QuickBooks words it otherwise (SDK: QBXMLRP2 error
#: messages; FIELD: qbwc/qbwc#74, tests/logs/parse-error.txt).
_HRESULT_BY_TEXT[
    _NORMALIZE.sub(" ", "QuickBooks found an error when parsing the provided XML text stream.".lower()).strip()
] = "0x80040400"


@lru_cache(maxsize=4096)
def error_kinds(text: str) -> tuple[str, ...]:
    """What an error text says happened (KIND_WORDS), at most one kind (a failure repeats its words
    in session after session: the last answers are remembered)."""
    for kind, words in KIND_WORDS:
        if words.search(text):
            return (kind,)
    return ()


def shows_an_error(text: str, timed: bool = False) -> bool:
    """The text reports an error: a code, an exception, words of failure or of KIND_WORDS. Cheap
    tests of words first (most lines of a log report none): a line Web Connector wrote with a time
    has a code or words of failure when it reports an error, .NET's words alone only in a paste
    (`timed` False) or in the lines continuing one that has."""
    if (
        "QBWC1" in text
        or "0x8004" in text
        or "HRESULT" in text
        or "rror" in text
        or "ailed" in text
        or "xception" in text
        or "Not a valid" in text
        or "Enter a password" in text
        or 'more="-' in text
        or "bject reference" in text
        or "ndex was outside" in text
    ):
        return bool(_ERROR.search(text))
    return not timed and bool(_ERROR.search(text))


#: The most distinct codes one session keeps (a real one shows a handful).
MAX_CODES = 100


@dataclass(frozen=True)
class Signature:
    """Why a session ended as it did, in terms two logs can share."""

    outcome: str  # "succeeded", "no work", "invalid user", "no password", "failed", "postponed", "unfinished"
    codes: tuple[str, ...]  # QBWC codes and HRESULTs, sorted (QBWC1031 left out: it only says "some error")
    step: str  # the step of the session (STEPS) its first error line is in (its last line's, when it shows none)
    kinds: tuple[str, ...] = ()  # what its error text says happened, "where: kind"

    def text(self) -> str:
        if self.outcome in ("succeeded", "no work", "postponed", "unfinished") and not self.codes:
            return self.outcome
        said = f" ({'; '.join(self.kinds)})" if self.kinds else ""
        return f"{self.outcome} {' '.join(self.codes) or '-'} at {self.step}{said}"


@dataclass
class Session:
    app: str
    trigger: str  # "manual", "scheduled", "add" (adding an application), or "unknown" (lines outside a session's start)
    entries: list[LogEntry] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)  # the distinct callbacks called, in order
    last_callback: str = ""
    codes: list[str] = field(default_factory=list)  # distinct, in order
    path: str = ""
    auth_status: str = ""
    app_url: str = ""
    qbwc_version: str = ""
    errors: list[LogEntry] = field(default_factory=list)  # the lines that report an error (at most 20)
    error_texts: list[str] = field(default_factory=list)  # their words (message and continuation), at most 20
    error_callbacks: list[str] = field(default_factory=list)  # the last callback reached when each came
    closing: bool = False  # its closing lines have begun
    cut_by_restart: bool = False
    _flags: set[str] = field(default_factory=set)
    _open_codes: set[str] = field(default_factory=set)  # codes since QuickBooks last connected
    _seen_codes: set[str] = field(default_factory=set)  # `codes` as a set (a log may name thousands)
    _coded_error: bool = False  # `failed_at` is the step of an error line carrying a code
    _error_index: int | None = None  # the entry `failed_at` is the step of
    _steps: list[int] = field(default_factory=list)
    _signature: Signature | None = None

    @property
    def start(self) -> datetime | None:
        return next((e.time for e in self.entries if e.time), None)

    @property
    def end(self) -> datetime | None:
        return next((e.time for e in reversed(self.entries) if e.time), None)

    @property
    def recovered(self) -> tuple[str, ...]:
        """Codes seen in a session that then ended well (retried past them)."""
        return tuple(sorted(self._normal_codes())) if self.signature.outcome == "succeeded" else ()

    def _normal_codes(self) -> set[str]:
        return set(self.codes) - {"QBWC1031"}

    @property
    def signature(self) -> Signature:
        if self._signature is None:
            self._signature = self._sign()
        return self._signature

    def _sign(self) -> Signature:
        flags = self._flags
        codes = self._normal_codes()
        still_open = self._open_codes - {"QBWC1031"}
        status = self.auth_status.casefold()
        ended_well = (
            bool(flags & {"completed", "ended", "closed", "added"}) and not still_open and "negative more" not in flags
        )
        if status == "nvu" or "nvu" in flags:
            outcome = "invalid user"
        elif "QBWC1030" in codes or "no password" in flags:
            outcome = "no password"
        elif status == "none" or "no work" in flags:
            outcome = "no work"
        elif "added" in flags and not still_open:
            outcome = "succeeded"
        elif flags & {"errors", "exception"} or ("1031" in flags and not ended_well):
            outcome = "failed"
        elif ended_well:
            outcome = "succeeded"
        elif codes or flags & {"negative more", "serverVersion error"} or self.errors:
            outcome = "failed"
        elif "postponed" in flags:
            outcome = "postponed"
        else:
            outcome = "unfinished"
        if outcome == "succeeded":
            return Signature(outcome, (), STEPS[step_of(self.entries[-1], 0)] if self.entries else STEPS[0])
        return self._failure(outcome, codes)

    def error_signature(self) -> Signature:
        """The signature of the errors in the session, as if it had failed with them (for a session
        that ended well after an error: what it recovered from)."""
        outcome = self.signature.outcome
        return self.signature if outcome != "succeeded" else self._failure("failed", self._normal_codes())

    def _failure(self, outcome: str, codes: set[str]) -> Signature:
        kinds: set[str] = set()
        for entry, text, callback in zip(self.errors, self.error_texts, self.error_callbacks, strict=False):
            where = _where(entry, callback)
            if where in _ANSWERING:
                kinds.update(f"{where}: {kind}" for kind in error_kinds(text))
        step = self.failed_at if self.failed_at is not None else (self.steps[-1] if self.steps else 0)
        return Signature(outcome, tuple(sorted(codes)), STEPS[step], tuple(sorted(kinds)))

    @property
    def failed(self) -> bool:
        return self.signature.outcome in ("invalid user", "no password", "failed")

    # --- reading its lines ---------------------------------------------------------------------
    @property
    def steps(self) -> list[int]:
        """The step of each entry (STEPS), worked out when first asked for: only the sessions
        compared with another need them."""
        steps = self._steps
        for entry in self.entries[len(steps) :]:
            steps.append(step_of(entry, steps[-1] if steps else 0))
        return steps

    @property
    def span(self) -> tuple[int, int]:
        """The steps the session's lines cover (a whole session covers them all)."""
        steps = self.steps
        return (min(steps), max(steps)) if steps else (0, len(STEPS) - 1)

    @property
    def failed_at(self) -> int | None:
        """The step of its first error line (or of the first one carrying a code); None without one."""
        return None if self._error_index is None else self.steps[self._error_index]

    def projected(self, span: tuple[int, int]) -> Session:
        """The session as a fragment covering only the steps `span` would show."""
        low, high = span
        part = Session(self.app, self.trigger)
        for entry, step in zip(self.entries, self.steps, strict=False):
            if low <= step <= high:
                part.add(entry)
                part._steps.append(step)
        return part

    def _note(self, code: str) -> None:
        """A code the session shows: kept once, in order, at most MAX_CODES of them (a hostile log's
        session naming thousands of HRESULTs is read in linear time)."""
        if code not in self._seen_codes and len(self.codes) < MAX_CODES:
            self._seen_codes.add(code)
            self.codes.append(code)
        self._open_codes.add(code)

    def add(self, entry: LogEntry) -> None:
        """Read one more line of the session. Cheap tests on words first: most lines say nothing
        about a failure, and a long log has hundreds of thousands of them."""
        self.entries.append(entry)
        message, more = entry.message, entry.more
        # The words that matter are in the message and the first lines continuing it (exception
        # text, HRESULT and Message lines); a dump's XML after them is looked at for statuses only.
        head = message if not more else " ".join([message, *more[:3]])
        flags = self._flags
        callback, routine = _prefix_info(entry.prefix)
        called: list[str] | tuple[str, ...]
        if "Calling" in message or "Received from" in message:
            called = _CALLING.findall(message)
        else:
            called = (callback,) if callback else ()
        for name in called:  # a callback's own lines (its prefix) show it was reached, in a fragment too
            if name not in self.callbacks:
                self.callbacks.append(name)
            self.last_callback = name
        coded = False
        if "QBWC1" in head or "0x" in head:
            for code in _CODE.findall(head) + _HRESULT.findall(head):
                code = "0x" + code[2:].upper() if code.lower().startswith("0x") else code
                coded = True
                self._note(code)
        if (
            more
            and any('statusSeverity="Error"' in line for line in more)
            or "QuickBooks status" in head
            or "QuickBooks error" in head
        ):
            for pair in _STATUS.findall(entry.text):
                code = f"status {pair[0] or pair[1]}"
                coded = True
                self._note(code)
        if "getLastErrorRet=" in message:
            for number in _QUOTED_STATUS.findall(message[message.index("getLastErrorRet=") :]):
                code = f"status {number}"
                coded = True
                self._note(code)
        if (
            ("Message:" in head or ('message="' in head and 'message=""' not in head) or "QBWC1" in head)
            and len(self.errors) < 20
            and not _HRESULT.search(head)
        ):
            # QuickBooks' own message without its HRESULT (a paste, a receiveResponseXML parameter line,
            # Web Connector quoting QuickBooks in its own error): the message says which HRESULT it is.
            said = _NORMALIZE.sub(" ", head[:600].lower())
            for text, known in _HRESULT_BY_TEXT.items():
                if text[:40] in said and known not in self._seen_codes:
                    self._note(known)
                    coded = True
        if "more=" in message:
            count = _MORE.search(message)
            if count and int(count.group(1)) < 0:
                flags.add("negative more")
        if not self.path and ("cfn=" in head or "authRet" in message or "Company file = " in message):
            path = _PATH.search(head)
            if path:
                self.path = path.group(1).strip()
        if len(self.errors) < 20 and shows_an_error(head, entry.time is not None) and not _harmless(message):
            if self._error_index is None or (coded and not self._coded_error):
                # Where it failed: its first error line, or the first that carries a code.
                self._error_index, self._coded_error = len(self.entries) - 1, coded
            self.errors.append(entry)
            self.error_callbacks.append(self.last_callback)
            self.error_texts.append(_STACK.split(head[:2000], 1)[0])
        if routine:
            return  # the request cycle's own lines: none of the words below come in them
        if "Session started" in message:
            self._open_codes.clear()  # QuickBooks answered after all: what came before was retried past
        if "Connecting to QuickBooks" in message:
            flags.add("connecting")
        if "QBWC1031" in message:
            flags.add("1031")
        if "authRet" in head:
            auth = _AUTH.search(head)
            if auth:
                self.auth_status = auth.group(1)
        if (
            "valid" in message
            or "password" in message
            or "No data" in message
            or "postponed" in message
            or "Update " in message
            or "Exception" in message
            or "Actual error" in message
            or "COMPLETED" in message
            or "ccResponse" in message
            or "added" in message
        ):
            for words, flag in _FLAGS:
                if words in message:
                    flags.add(flag)
        if not self.app_url and message.startswith("AppURL:"):
            url = _APP_URL.match(message)
            self.app_url = url.group(1) if url else ""
        elif not self.app_url and "Contents of QWC file" in message and more:
            url = _QWC_APP_URL.search(" ".join(more))
            self.app_url = url.group(1).strip() if url else ""
        if "productVersion" in message and not self.qbwc_version:
            version = _VERSION.search(message)
            self.qbwc_version = version.group(1) if version else ""


#: The methods whose lines are the request cycle's and the locks': a session's start, end, answer
#: from authenticate or QuickBooks' connection never come in them (errors and codes may).
_ROUTINE = {
    "do_sendRequestXML",
    "ProcessRequestXML",
    "do_receiveResponseXML",
    "getUpdateLock",
    "setUpdateLock",
    "getLock",
    "unsetLock",
    "Send_CompanyQueryRqXML",
    "Send_DataExtModRqXML",
    "Send_DataExtDefAddRqXML",
    "Send_DataExtAddRqXML",
    "setCurrentWebServiceName",
}
_PREFIX_INFO: dict[str, tuple[str, bool]] = {}


def _prefix_info(prefix: str) -> tuple[str, bool]:
    """(the callback a `do_<callback>()` prefix names or "", whether its lines are routine), remembered."""
    info = _PREFIX_INFO.get(prefix)
    if info is None:
        method = prefix.rsplit(".", 1)[-1].removesuffix("()") if prefix.endswith("()") else ""
        info = (method[3:] if method.startswith("do_") else "", method in _ROUTINE)
        if len(_PREFIX_INFO) > 10_000:
            _PREFIX_INFO.clear()
        _PREFIX_INFO[prefix] = info
    return info


#: Words of a line that tell how its session went, and the flag each sets.
_FLAGS = (
    ("Not a valid username and password", "nvu"),
    ("Enter a password", "no password"),
    ("No data to exchange", "no work"),
    ("has been postponed", "postponed"),
    ("Update completed with errors", "errors"),
    ("Exception in WSManager", "exception"),
    # Web Connector carries on after a serverVersion error (for old services)
    ("Actual error received from web service", "serverVersion error"),
    ("has COMPLETED", "completed"),
    ("Update session has ended.", "ended"),
    ("ccResponse=", "closed"),
    ("has been added to QuickBooks.", "added"),
)


_STACK = re.compile(r"More info:|StackTrace|\s+at [A-Z]\w+\.")


def _harmless(message: str) -> bool:
    """Lines with error words that report none: the closing words of a session answered NONE."""
    return (
        message.startswith(("QBWC1031", "Update completed with errors"))
        or 'hresult=""' in message
        or message.startswith("hresult=")
    )


#: Where an error's words tell what a callback's answer (or the lack of one) was; elsewhere (the
#: registry, QuickBooks' own messages) the codes tell it.
_ANSWERING = {
    "serverVersion",
    "clientVersion",
    "authenticate",
    "sendRequestXML",
    "receiveResponseXML",
    "getLastError",
    "connectionError",
    "closeConnection",
    "WSManager.Update",
    "update",
}


def _where(entry: LogEntry, last_callback: str) -> str:
    """The callback or step an error line belongs to."""
    prefix = entry.prefix
    if "do_" in prefix:
        return prefix.rsplit("do_", 1)[1].removesuffix("()")
    if "serverVersion" in entry.message:
        return "serverVersion"
    if "WSManager" in entry.message:
        return "WSManager.Update"
    if "ConnectToQB" in prefix or "QBWC1013" in entry.message or "handleModalDialogError" in prefix:
        return "connecting to QuickBooks"
    if "ProcessRequestXML" in prefix:
        return "QuickBooks' answer"
    if "Registry" in prefix:
        return "registry"
    return last_callback or "update"


@dataclass(frozen=True)
class Gap:
    app: str
    after: datetime
    before: datetime  # the run that came back, or (resumed False) when the log was copied
    usual_minutes: float
    restarted: bool = False  # the Web Connector (re)started during the gap
    resumed: bool = True  # the runs came back (False: none from `after` until the log was copied)


def split_sessions(log: ParsedLog) -> list[Session]:
    """The log's update sessions, in order: one pass over the entries."""
    sessions: list[Session] = []
    current: Session | None = None

    def begin(app: str, trigger: str) -> Session:
        session = Session(app, trigger)
        sessions.append(session)
        return session

    for entry in log.entries:
        if entry.restart and current is not None:
            if not current.closing:
                current.cut_by_restart = True
            current = None  # the Web Connector restarted: the session being read is over
        if entry.restart and is_startup(entry):
            continue  # the start-up block belongs to no session
        text = entry.message
        starts = (
            "Password management - Started" in text
            or "SCHEDULED UPDATE" in text
            or "QBWC1030" in text
            or "has STARTED" in text
            or "QWC" in text
            or "Parsing application" in text
        )
        if starts:
            manual = _MANUAL.search(text)
            scheduled = _SCHEDULED.search(text) or _NO_PASSWORD.search(text)
            just_begun = (
                current is not None and current.trigger == "scheduled" and not current.callbacks and not current.closing
            )
            if "Password management - Started" in text:
                current = begin("?", "scheduled")  # named by the lines that follow
            elif _ADDING.search(text):
                if not (
                    current is not None
                    and current.trigger == "add"
                    and not current.closing
                    and "connecting" not in current._flags
                ):
                    current = begin("?", "add")  # adding an application, named by "Application name = "
            elif manual:
                current = begin(manual.group(1), "manual")
            elif scheduled:
                app = scheduled.group(1).strip()
                if (
                    just_begun and current is not None and current.app in ("?", app)
                ):  # just_begun says current is not None
                    current.app = app
                else:
                    current = begin(app, "scheduled")
        if current is not None and current.closing and not _TRAILING.search(text):
            current = None  # the session has closed: this line is outside it
        if current is None:
            current = begin("?", "unknown")
        named = _ADDED_NAME.search(text) if current.app == "?" and "Application name" in text else None
        if named:
            current.app = named.group(1).strip()
        if current.app == "?" and text.startswith("AppName: "):
            current.app = text[9:].strip()[:300]
        current.add(entry)
        if (
            (
                "Update " in text
                or "COMPLETED" in text
                or "QBWC1031" in text
                or "adding" in text
                or "added" in text
                or "WSManager" in text
                or "No data" in text
            )
            and _CLOSING.search(text)
        ) or (current.trigger == "scheduled" and "Password management - Ended" in text and "QBWC1030" in current.codes):
            current.closing = True
    return [s for s in sessions if s.app != "?" or s.callbacks or s.codes or s.errors or s.trigger != "unknown"]


def gaps(
    sessions: list[Session],
    restarts: list[datetime] | None = None,
    factor: float = 3.0,
    copied_at: datetime | None = None,
) -> list[Gap]:
    """Scheduled runs that never happened: a pause between two scheduled runs of an app
    more than `factor` times its usual interval; `restarted` when a restart falls in it. With
    `copied_at` (when the log was copied, which the log itself cannot tell: the Web Connector
    writes nothing while no run is due), a pause from an app's last run until then counts too."""
    found = []
    by_app: dict[str, list[datetime]] = {}
    for session in sessions:
        if session.trigger == "scheduled" and session.start:
            by_app.setdefault(session.app, []).append(session.start)
    moments = sorted(restarts or [])
    for app, times in by_app.items():
        times.sort()
        intervals = [(b - a).total_seconds() / 60 for a, b in zip(times, times[1:], strict=False) if b > a]
        if len(intervals) < 3:
            continue
        usual = statistics.median(intervals)
        index = 0
        ends = [*times[1:], copied_at] if copied_at is not None and copied_at > times[-1] else times[1:]
        for a, b in zip(times, ends, strict=False):
            if usual > 0 and (b - a) > timedelta(minutes=usual * factor):
                while index < len(moments) and moments[index] <= a:
                    index += 1
                found.append(
                    Gap(app, a, b, usual, index < len(moments) and moments[index] <= b, resumed=b is not copied_at)
                )
    found.sort(key=lambda gap: gap.after)
    return found


#: How much each part of a signature weighs as evidence. The outcome and the codes say most;
#: what the error text says happened nearly as much; the step of the session it failed at least.
WEIGHTS = {"outcome": 1.0, "code": 1.0, "kind": 0.8, "step": 0.5}
#: The doubt a log leaves however well a cause matches it: what a cause reproduces is counted over
#: what the log shows plus this much, so a log that shows little (one line, an outcome and nothing
#: else) cannot be explained, only narrowed down. Half the weight of an outcome.
DOUBT = 0.5


def _features(signature: Signature) -> dict[str, float]:
    features = {f"outcome:{signature.outcome}": WEIGHTS["outcome"], f"step:{signature.step}": WEIGHTS["step"]}
    for code in signature.codes:
        features[f"code:{code}"] = WEIGHTS["code"]
    for kind in signature.kinds:
        features[f"kind:{kind}"] = WEIGHTS["kind"]
    return features


def similarity(a: Signature, b: Signature, doubt: float = DOUBT) -> float:
    """0..1, the share of the evidence two signatures have in common: the weight of what both
    show over the weight of what either shows plus `doubt` (each code, error kind, the outcome and
    the last callback one piece of evidence). What one shows and the other does not counts
    against, on either side."""
    mine, theirs = _features(a), _features(b)
    shared = sum(weight for name, weight in mine.items() if name in theirs)
    either = sum(mine.values()) + sum(weight for name, weight in theirs.items() if name not in mine)
    return round(shared / (either + doubt), 3)
