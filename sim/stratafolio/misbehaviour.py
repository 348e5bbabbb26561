"""A web service that misbehaves on one callback, reached as real services are: through SOAP text.

For causes of a failure on the service's side, not in QuickBooks or the Web Connector
(issue 23; FIELD: the threads of tests/data/real_qwclog/): the service throws while
handling a callback and answers with a SOAP fault; its answer is not SOAP Web Connector
can read (an HTML error page, say); or it sends qbXML QuickBooks cannot parse. Once
`misbehave` is called, every Web Connector of the world reaches the service through
`SoapInProcessTransport`: each call is written as the envelope a real Web Connector
POSTs, handed to the service, and the answer read back with the same tolerant,
bounded reader as a real service's over HTTP, so what the session logs is what the
simulated Web Connector makes of such an answer. Callbacks it does not misbehave on
are answered by the service as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from sim.webconnector.contract import SoapInProcessTransport
from sim.webconnector.soap import build_fault, build_result, read_call

if TYPE_CHECKING:
    from sim.world import World

__all__ = ["MISBEHAVIOURS", "misbehave", "soap_dispatch"]

#: What a misbehaving service does, and why a real one does it (FIELD: published threads).
MISBEHAVIOURS = {
    "throws": "its handler throws: a SOAP fault (a bug in the service, a database error)",
    "unreadable": "its answer is no SOAP Web Connector can read (an error page, a SOAP stack answering in another shape)",
    "bad_qbxml": "its sendRequestXML answer is qbXML QuickBooks cannot parse",
    "none": "it behaves again",
}

#: An answer that is no SOAP envelope at all: what a crashed service's web server sends.
ERROR_PAGE = "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"


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


def misbehave(world: "World", callback: str, how: str) -> None:
    """From now on the STRATAFOLIO service misbehaves `how` on `callback` ("none": it stops)."""
    service = world.stratafolio
    service.misbehaviour = {} if how == "none" else {callback: how}
    dispatch = soap_dispatch(service)
    for host in world.hosts.values():
        for user in host.windows_users:
            host.web_connector(user).transports[service.url] = SoapInProcessTransport(dispatch)
    world.record("STRATAFOLIO", "stratafolio.misbehaves", source="FIELD", callback=callback, how=how)
