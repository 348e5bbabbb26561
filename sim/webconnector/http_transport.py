"""The HTTP transport: the simulated Web Connector calling a real web service.

Each callback becomes a SOAP 1.1 POST with the SOAPAction header, answered within
a bounded timeout; the answer is read tolerantly (sim.webconnector.soap). Anything
that goes wrong on the wire becomes a `TransportError` carrying the QBWC error the
real client would log: QBWC1012 for a failure while authenticating (as real logs
show "QBWC1012: Authentication failed due to following error message"), and
QBWC1041 for one inside another callback (assumed: the guide lists QBWC1041-1045
for exceptions in callbacks without saying which is which). It never hangs: every
request has a timeout. Passwords are never written to the transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from sim.webconnector.contract import CALLBACKS, TransportError
from sim.webconnector.soap import SoapError, SoapFault, build_call, read_result, soap_action

__all__ = ["HttpTransport", "DEFAULT_TIMEOUT_SECONDS"]

DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass
class HttpTransport:
    url: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    transcript: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._client = httpx.Client(timeout=self.timeout, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, **arguments: Any) -> Any:
        if method not in CALLBACKS:
            raise TransportError("QBWC1041", f"{method} is not a callback of the QBWC contract")
        code = "QBWC1012" if method in ("serverVersion", "clientVersion", "authenticate") else "QBWC1041"
        shown = ", ".join(f"{k}={'********' if k == 'strPassword' else _short(v)}" for k, v in arguments.items())
        self.transcript.append(f"-> {method}({shown})")
        try:
            reply = self._client.post(
                self.url,
                content=build_call(method, arguments).encode("utf-8"),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": soap_action(method)},
            )
        except httpx.TimeoutException:
            return self._fail(code, f"{method}: no answer from {self.url} within {self.timeout:g} seconds")
        except httpx.HTTPError as error:
            return self._fail(code, f"{method}: could not reach {self.url} ({type(error).__name__}: {error})")
        try:
            result = read_result(method, reply.content)
        except SoapFault as fault:
            return self._fail(code, f"{method}: the service answered with a SOAP fault: {fault.message or fault.code}")
        except SoapError as error:
            return self._fail(code, f"{method}: HTTP {reply.status_code}, unreadable answer ({error})")
        self.transcript.append(f"<- {method}: {_short(result)}")
        return result

    def _fail(self, code: str, message: str):
        self.transcript.append(f"<- {code}: {message}")
        raise TransportError(code, message)


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"
