"""The HTTP transport: the simulated Web Connector calling a real web service.

Each callback becomes a SOAP 1.1 POST with the SOAPAction header; the answer is
read tolerantly (sim.webconnector.soap). The service is a stranger, so everything
about the exchange is bounded: the whole session gets one wall-clock budget
(`timeout`, counted from the first call; every connect, send and read gets what is
left of it, and a worker that is still blocked when it runs out is abandoned), an
answer may be at most `max_response_bytes` long after decompression (gzip and
deflate are decompressed here, chunk by chunk, so a compression bomb stops at the
cap), and redirects are not followed. Anything that goes wrong on the wire becomes
a `TransportError` carrying the QBWC error the real client logs for a failure in
that callback (`CALLBACK_ERRORS`, PG appendix A). Text from the service is shown
escaped on one line; the password is never written to the transcript, nor one inside the
URL (`http://user:secret@host/`: shown as `masked_url` gives it).
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from sim.text import one_line
from sim.webconnector.contract import CALLBACK_ERRORS, CALLBACKS, TransportError
from sim.webconnector.soap import SoapError, SoapFault, build_call, read_result, soap_action

__all__ = ["HttpTransport", "DEFAULT_TIMEOUT_SECONDS", "MAX_RESPONSE_BYTES", "masked_url"]

DEFAULT_TIMEOUT_SECONDS = 60.0
#: The largest answer read from a service, decompressed (a qbXML request is a few KB).
MAX_RESPONSE_BYTES = 10_000_000


#: What stands for a password inside a URL wherever the URL is shown.
URL_PASSWORD_MASK = "MaskedForSecurity"


#: scheme://user:password@ (a password may hold '@'; the host part never holds '/', '?' or '#').
_USER_INFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:]*):[^/?#]*@")


def masked_url(url: str) -> str:
    """`url` with the password of its user information (if any) replaced by URL_PASSWORD_MASK,
    whether or not the rest of it is a valid URL."""
    secret, shown = _user_info(url)
    return url.replace(secret, shown, 1) if secret else url


def _user_info(url: str) -> tuple[str, str]:
    """("scheme://user:password@", "scheme://user:MaskedForSecurity@") of a URL with a password; ("", "") otherwise."""
    found = _USER_INFO.match(url)
    return (found.group(0), f"{found.group(1)}:{URL_PASSWORD_MASK}@") if found else ("", "")


class _Refused(Exception):
    """The answer broke one of the transport's bounds (size, time, encoding)."""


@dataclass
class HttpTransport:
    url: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS  # wall-clock seconds for the whole session
    max_response_bytes: int = MAX_RESPONSE_BYTES
    transcript: MutableSequence[str] = field(default_factory=list)
    #: httpx's own transport to send through (tests pass an `httpx.MockTransport`).
    network: httpx.BaseTransport | None = None
    #: The QWC's Style: the envelope each call is sent in (sim.webconnector.soap.STYLES).
    style: str = "Document"

    def __post_init__(self) -> None:
        self._client = self._new_client()
        #: When the session's budget runs out (time.monotonic()); set by the first call. A caller
        #: that carries several sessions through one transport (sim.webconnector.service_endpoint)
        #: sets it for each session's calls.
        self.deadline: float | None = None
        self._user_info = _user_info(self.url)
        self.shown_url = masked_url(self.url)

    def time_left(self) -> float:
        """Wall-clock seconds left of the session's budget (all of it before the first call)."""
        return self.timeout if self.deadline is None else self.deadline - time.monotonic()

    def _new_client(self) -> httpx.Client:
        return httpx.Client(
            follow_redirects=False, headers={"Accept-Encoding": "gzip, deflate"}, transport=self.network
        )

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, **arguments: Any) -> Any:
        code = CALLBACK_ERRORS.get(method, "QBWC1041")
        if method not in CALLBACKS:
            return self._fail(code, f"{method} is not a callback of the QBWC contract")
        shown = ", ".join(
            f"{k}={'<MaskedForSecurity>' if k == 'strPassword' else _short(v)}" for k, v in arguments.items()
        )
        self.transcript.append(f"-> {method}({shown})")
        if self.deadline is None:
            self.deadline = time.monotonic() + self.timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return self._fail(code, f"{method}: not called, the session's {self.timeout:g} seconds are used up")
        outcome: dict[str, Any] = {}
        worker = threading.Thread(
            target=self._post, args=(method, arguments, outcome), daemon=True, name=f"wcsim-http-{method}"
        )
        worker.start()
        worker.join(remaining + 0.25)
        if worker.is_alive():  # blocked on a read the server drip-feeds: abandon it
            self._client = self._new_client()
            return self._fail(
                code,
                f"{method}: no complete answer from {self.shown_url} within the session's {self.timeout:g} seconds",
            )
        error = outcome.get("error")
        if isinstance(error, (httpx.TimeoutException, _Timeout)):
            return self._fail(
                code,
                f"{method}: no complete answer from {self.shown_url} within the session's {self.timeout:g} seconds",
            )
        if isinstance(error, _Refused):
            return self._fail(code, f"{method}: answer refused: {error}")
        if isinstance(error, (httpx.HTTPError, OSError)):
            return self._fail(code, f"{method}: could not reach {self.shown_url} ({type(error).__name__}: {error})")
        if error is not None:
            return self._fail(code, f"{method}: the exchange failed ({type(error).__name__}: {error})")
        status, body = outcome["status"], outcome["body"]
        try:
            result = read_result(method, body)
        except SoapFault as fault:
            return self._fail(code, f"{method}: the service answered with a SOAP fault: {fault.message or fault.code}")
        except SoapError as error:
            return self._fail(code, f"{method}: HTTP {status}, unreadable answer ({error})")
        self.transcript.append(f"<- {method}: {_short(result)}")
        return result

    def _post(self, method: str, arguments: dict[str, Any], outcome: dict[str, Any]) -> None:
        """One POST, run in a worker thread; its status and body, or its error, go to `outcome`."""
        try:
            deadline = self.deadline or time.monotonic()
            request = build_call(method, arguments, self.style).encode("utf-8")
            headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": soap_action(method)}
            with self._client.stream(
                "POST", self.url, content=request, headers=headers, timeout=max(0.01, deadline - time.monotonic())
            ) as reply:
                outcome["status"] = reply.status_code
                outcome["body"] = self._read(reply, deadline)
        except Exception as error:  # noqa: BLE001 - handed to the caller's thread, which names it
            outcome["error"] = error

    def _read(self, reply: httpx.Response, deadline: float) -> bytes:
        encoding = reply.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding in ("identity", ""):
            decoder = None
        else:
            raise _Refused(f"content-encoding {one_line(encoding, 40)!r} is not one the Web Connector accepts")
        cap, parts, size = self.max_response_bytes, [], 0
        for chunk in reply.iter_raw():
            if time.monotonic() > deadline:
                raise _Timeout()
            if decoder is not None:
                try:
                    chunk = decoder.decompress(chunk, cap + 1 - size)  # never more than the cap allows
                except zlib.error as error:
                    raise _Refused(f"bad {encoding} data ({error})") from None
            size += len(chunk)
            if size > cap:
                raise _Refused(f"larger than {cap:,} bytes")
            parts.append(chunk)
        return b"".join(parts)

    def _fail(self, code: str, message: str):
        secret, shown = self._user_info
        if secret:  # an error's own text may quote the URL
            message = message.replace(secret, shown)
        message = one_line(message, 500)
        self.transcript.append(f"<- {code}: {message}")
        raise TransportError(code, message)


class _Timeout(Exception):
    """The session's wall-clock budget ran out while an answer was still arriving."""


def _short(value: Any, limit: int = 70) -> str:
    text = one_line(repr(value) if not isinstance(value, str) else value, 10_000)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"
