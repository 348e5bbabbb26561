"""The SOAP callback contract between Web Connector and a web service, and its transports.

`CALLBACKS` lists the callbacks (the eight of every session and the three of interactive mode) with their argument
names, in the order of
a session (DOMAIN.md section 3, PG ch.2 and ch.10). A transport carries one call
to a service and brings back its result; the in-process transport here calls a
Python object directly, and an HTTP transport (sim.webconnector.http, another
issue) sends the same calls as SOAP envelopes. The update session only ever talks
to a transport, so both are interchangeable. A transport that cannot reach the
service raises `TransportError`, which the session logs as the real client would.
`guarded` puts the computer's security software (sim.windows.security_software) in the
way of a transport. The SOAP in-process transport builds on this contract, so it lives
with the envelopes in sim.webconnector.soap.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from sim.errors import SimError
from sim.windows.dotnet_tls import SECURE_CHANNEL_FAILED, Refusal
from sim.windows.security_software import CLOSED_MESSAGE, SecuritySoftware

__all__ = [
    "CALLBACKS",
    "CALLBACK_ERRORS",
    "WebService",
    "Transport",
    "InProcessTransport",
    "FilteredTransport",
    "guarded",
    "TransportError",
    "CALL_SECONDS",
    "RefusedHandshake",
]

CALLBACKS: dict[str, tuple[str, ...]] = {
    "serverVersion": (),
    "clientVersion": ("strVersion",),
    "authenticate": ("strUserName", "strPassword"),
    "sendRequestXML": (
        "ticket",
        "strHCPResponse",
        "strCompanyFileName",
        "qbXMLCountry",
        "qbXMLMajorVers",
        "qbXMLMinorVers",
    ),
    "receiveResponseXML": ("ticket", "response", "hresult", "message"),
    "connectionError": ("ticket", "hresult", "message"),
    "getLastError": ("ticket",),
    "closeConnection": ("ticket",),
    # Interactive mode (PG ch.10), after getLastError answered "Interactive mode".
    "getInteractiveURL": ("wcTicket", "sessionID"),
    "interactiveDone": ("wcTicket",),
    "interactiveRejected": ("wcTicket", "reason"),
}

#: The QBWC error logged when a callback fails with an exception, an unreachable
#: service or an unreadable answer (PG appendix A). serverVersion has no code of its
#: own in the guide; a failure there is logged with authenticate's (assumed).
CALLBACK_ERRORS: dict[str, str] = {
    "serverVersion": "QBWC1012",
    "clientVersion": "QBWC1036",
    "authenticate": "QBWC1012",
    "sendRequestXML": "QBWC1041",
    "receiveResponseXML": "QBWC1042",
    "connectionError": "QBWC1045",
    "getLastError": "QBWC1043",
    "closeConnection": "QBWC1044",
    # The PG gives the interactive callbacks no codes of their own (assumed: sendRequestXML's).
    "getInteractiveURL": "QBWC1041",
    "interactiveDone": "QBWC1041",
    "interactiveRejected": "QBWC1041",
}

#: Round-trip time of one callback, in simulated seconds: typical and how far it varies either
#: way (FIELD: published logs, serverVersion to authenticate's answer in about a second, a
#: sendRequestXML answered within a second or so; the figures themselves assumed).
CALL_SECONDS = 0.45
CALL_SPREAD = 0.35


class TransportError(SimError):
    """The call did not reach the service or came back broken (refused, timeout, SOAP fault)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class WebService(Protocol):
    """What a QBWC web service answers (method names are the contract's)."""

    def serverVersion(self) -> str: ...
    def clientVersion(self, strVersion: str) -> str: ...
    def authenticate(self, strUserName: str, strPassword: str) -> list[str]: ...
    def sendRequestXML(
        self,
        ticket: str,
        strHCPResponse: str,
        strCompanyFileName: str,
        qbXMLCountry: str,
        qbXMLMajorVers: int,
        qbXMLMinorVers: int,
    ) -> str: ...
    def receiveResponseXML(self, ticket: str, response: str, hresult: str, message: str) -> int: ...
    def connectionError(self, ticket: str, hresult: str, message: str) -> str: ...
    def getLastError(self, ticket: str) -> str: ...
    def closeConnection(self, ticket: str) -> str: ...
    def getInteractiveURL(self, wcTicket: str, sessionID: str) -> str: ...
    def interactiveDone(self, wcTicket: str) -> str: ...
    def interactiveRejected(self, wcTicket: str, reason: str) -> str: ...


class Transport(Protocol):
    def call(self, method: str, **arguments: Any) -> Any: ...


class InProcessTransport:
    """Calls a service object in the same process."""

    def __init__(self, service: WebService) -> None:
        self.service = service

    def call(self, method: str, **arguments: Any) -> Any:
        code = CALLBACK_ERRORS.get(method, "QBWC1041")
        if method not in CALLBACKS:
            raise TransportError(code, f"{method} is not a callback of the QBWC contract")
        if tuple(arguments) != CALLBACKS[method]:
            raise TransportError(code, f"{method} takes {CALLBACKS[method]}, got {tuple(arguments)}")
        certificate = getattr(self.service, "certificate", "valid")
        if certificate != "valid" and is_https(str(getattr(self.service, "url", ""))):
            # A service with a URL (checked just above; not every service has one, so not in WebService).
            # TLS: the service's certificate cannot be verified (expired, untrusted): QBWC1048 (PG; FIELD qbwc/qbwc#30).
            raise TransportError(
                "QBWC1048",
                f"{method}: the certificate of {cast(Any, self.service).url} could not be verified ({certificate})",
            )
        if method in getattr(self.service, "drops_connection_during", ()):
            # FIELD (consolibyte/quickbooks-php#240): the service closes the connection mid-call.
            raise TransportError(
                code, f"{method}: The underlying connection was closed: An unexpected error occurred on a receive."
            )
        try:
            return getattr(self.service, method)(**arguments)
        except TransportError:  # the connection's own failure (a web server in front of the service): as it is
            raise
        except Exception as error:  # the service's failure: QBWC logs it as an exception inside that callback
            raise TransportError(code, f"exception in {method}: {type(error).__name__}: {error}") from None


def guarded(transport: Any, software: SecuritySoftware, program: str) -> Any:
    """The transport as `program` gets it on a computer with this security software: unchanged, or
    closed on every call while the software blocks the program."""
    return FilteredTransport(transport, software, program) if software.blocked else transport


class FilteredTransport:
    """A transport whose connections the computer's security software closes while it blocks the program."""

    def __init__(self, transport: Any, software: SecuritySoftware, program: str) -> None:
        self.transport, self.software, self.program = transport, software, program

    def __getattr__(self, name: str) -> Any:  # style and the rest, as the wrapped transport has them
        return getattr(self.transport, name)

    def call(self, method: str, **arguments: Any) -> Any:
        if self.software.closes(self.program):
            self.software.host.world.record(
                self.software.host.name, "windows.connection_closed", source="FIELD", program=self.program, call=method
            )
            raise TransportError(CALLBACK_ERRORS.get(method, "QBWC1041"), CLOSED_MESSAGE)
        return self.transport.call(method, **arguments)


#: .NET's words when nothing listens on the AppURL's port (FIELD: tests/data/dotnet_connection_errors.md).
REFUSED = (
    "Unable to connect to the remote server ---> No connection could be made because "
    "the target machine actively refused it"
)


def is_https(url: str) -> bool:
    """Whether a connection to `url` is made over TLS (the scheme is case-insensitive)."""
    return url.lower().startswith("https://")


class RefusedConnection:
    """An AppURL whose port nothing listens on: every call fails before any handshake."""

    def call(self, method: str, **arguments: Any) -> Any:
        raise TransportError(CALLBACK_ERRORS.get(method, "QBWC1041"), f"{method}: {REFUSED}")


class RefusedHandshake:
    """A connection whose TLS handshake the service refuses: every call fails before it is sent."""

    def __init__(self, host: Any, url: str, refusal: Refusal) -> None:
        self.host, self.url, self.offered, self.minimum = host, url, refusal.offered, refusal.minimum

    def call(self, method: str, **arguments: Any) -> Any:
        self.host.world.record(
            self.host.name,
            "windows.tls_handshake_refused",
            source="FIELD",
            url=self.url,
            offered=f"TLS {self.offered}",
            service_minimum=f"TLS {self.minimum}",
            call=method,
        )
        raise TransportError(CALLBACK_ERRORS.get(method, "QBWC1041"), f"{method}: {SECURE_CHANNEL_FAILED}")
