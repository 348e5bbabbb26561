"""A web service that misbehaves, reached as real services are: through its endpoint and SOAP text.

For causes of a failure on the service's side, not in QuickBooks or the Web Connector
(issue 23; FIELD: the threads of tests/data/real_qwclog/). The misbehaviour is the
service's own state (`misbehaviour`: what it does wrong in which callback; `endpoint`:
what its address does to every call), set by `misbehave`; a Web Connector meets it
through `ServiceTransport`, which `WebConnector._transport` hands out for a service in
such a state. A call first meets the endpoint (nothing listening on the AppURL's port),
then the usual certificate and
connection-drop checks of `InProcessTransport`, then the web server (no SOAP endpoint
at the AppURL's path: HTTP 404), and last the service itself: the call is written as
the envelope a real Web Connector POSTs, handed to the service, and its answer read
back with the same tolerant, bounded reader as a real service's over HTTP, so what
the session logs is what the simulated Web Connector makes of such an answer.
Callbacks it does not misbehave on are answered by the service as usual.

The endpoint failures are worded as .NET's HTTP client (which Web Connector is built
on) words them: FIELD, the excerpts and URLs in tests/data/dotnet_connection_errors.md;
where Web Connector puts them in QWCLog.txt is the failing callback's error line (as
consolibyte/quickbooks-php#240 shows for a closed connection; assumed for the others).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.webconnector.contract import CALLBACK_ERRORS, CALLBACKS, InProcessTransport, TransportError
from sim.webconnector.soap import SoapInProcessTransport, build_fault, build_result, read_call

if TYPE_CHECKING:
    from sim.parts import World

__all__ = ["MISBEHAVIOURS", "ENDPOINT_STATES", "misbehave", "soap_dispatch", "ServiceTransport"]

#: What a misbehaving service does in one callback, and why a real one does it (FIELD: published threads).
MISBEHAVIOURS = {
    "throws": "its handler throws: a SOAP fault (a bug in the service, a database error)",
    "unreadable": "its answer is no SOAP Web Connector can read (an error page, a SOAP stack "
    "answering in another shape)",
    "bad_qbxml": "its sendRequestXML answer is qbXML QuickBooks cannot parse",
    "none": "it behaves again",
}

#: What the service's address does to every call (the `callback` of `misbehave` is ignored for these).
ENDPOINT_STATES = {
    # FIELD (NodeGeeks/loopback-connector-quickbooks#7): the service answered on another path than the AppURL's.
    "not_found": "no SOAP endpoint at the AppURL's path: the web server answers HTTP 404",
    # FIELD (.NET's socket error 10061; tests/data/dotnet_connection_errors.md): nothing listens on the AppURL's port.
    "refused": "nothing listens on the AppURL's port: the connection is refused",
}

#: An answer that is no SOAP envelope at all: what a crashed service's web server sends.
ERROR_PAGE = (
    "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"
)

#: .NET's words for each endpoint failure (FIELD: tests/data/dotnet_connection_errors.md, with URLs).
NOT_FOUND = "The request failed with HTTP status 404: Not Found."


def _bad_qbxml(request: str) -> str:
    """The request with its message element misnamed: well-formed XML, but no qbXML QuickBooks can parse."""
    return request.replace("QBXMLMsgsRq", "QBXMLMsgRq") if request else request


def soap_dispatch(service: Any) -> Callable[[str], str]:
    """The service as "SOAP text in, SOAP text out", misbehaving as its `misbehaviour` says."""

    def dispatch(envelope: str) -> str:
        method, arguments = read_call(envelope)
        how = getattr(service, "misbehaviour", {}).get(method, "")
        if how == "throws":
            return build_fault(f"Server was unable to process request. ---> the service failed while handling {method}")
        result = getattr(service, method)(**arguments)
        if how == "unreadable":
            return ERROR_PAGE
        if how == "bad_qbxml" and method == "sendRequestXML":
            result = _bad_qbxml(str(result or ""))
        return build_result(method, result)

    return dispatch


def misbehave(world: World, callback: str, how: str) -> None:
    """From now on the STRATAFOLIO service misbehaves `how` on `callback`, or its endpoint is in
    state `how` (ENDPOINT_STATES, every callback); "none": it behaves again."""
    service = world.stratafolio
    if how in ENDPOINT_STATES:
        service.endpoint = how
    else:
        service.misbehaviour = {} if how == "none" else {callback: how}
        if how == "none":
            service.endpoint = ""
    world.record("STRATAFOLIO", "stratafolio.misbehaves", source="FIELD", callback=callback, how=how)


class _OnTheWire:
    """The service as `InProcessTransport` sees it (its certificate, URL and the connections it
    drops, read from the service itself), each callback answered by the web server at its
    address and then through its SOAP text."""

    def __init__(self, service: Any, soap: SoapInProcessTransport) -> None:
        self._service, self._soap = service, soap

    def __getattr__(self, name: str) -> Any:
        if name not in CALLBACKS:
            return getattr(self._service, name)

        def answer(**arguments: Any) -> Any:
            if getattr(self._service, "endpoint", "") == "not_found":
                raise TransportError(CALLBACK_ERRORS[name], f"{name}: {NOT_FOUND}")
            return self._soap.call(name, **arguments)

        return answer


class ServiceTransport:
    """How a Web Connector reaches a service in a misbehaving state (see the module), after the port
    and the TLS handshake (sim.webconnector.connector)."""

    def __init__(self, service: Any, style: str) -> None:
        self.service = service
        self._checked = InProcessTransport(_OnTheWire(service, SoapInProcessTransport(soap_dispatch(service), style)))

    def call(self, method: str, **arguments: Any) -> Any:
        return self._checked.call(method, **arguments)
