"""The simulated STRATAFOLIO web service over HTTP, as an ASGI application.

GET answers the WSDL; POST takes one SOAP callback (document/literal as the Web
Connector sends it, or rpc/encoded), calls the `StratafolioService` and answers
document/literal. Hardened for a port others can reach: bodies over
`MAX_BODY_BYTES` are refused with 413 before they are read in full; XML with
entities or external references is refused (defusedxml) with a SOAP fault;
unknown tickets get the contract's harmless answers from the service itself;
nothing here logs a request body, so passwords never reach a log. Served by
uvicorn (`wcsim serve`), bound to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sim.webconnector.soap import SoapError, build_fault, build_result, read_call, wsdl

__all__ = ["create_app", "MAX_BODY_BYTES"]

MAX_BODY_BYTES = 4_000_000
XML = [(b"content-type", b"text/xml; charset=utf-8")]


def create_app(
    service: Any, endpoint: str, path: str = "/qbwc", max_body: int = MAX_BODY_BYTES
) -> Callable[..., Awaitable[None]]:
    description = wsdl(endpoint).encode("utf-8")

    async def respond(send, status: int, body: bytes, headers=XML) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": headers + [(b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def app(scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope["path"].rstrip("/") != path.rstrip("/"):
            await respond(send, 404, b"not found", [(b"content-type", b"text/plain")])
            return
        if scope["method"] in ("GET", "HEAD"):
            await respond(send, 200, description)
            return
        if scope["method"] != "POST":
            await respond(
                send,
                405,
                b"GET for the WSDL, POST for SOAP",
                [(b"content-type", b"text/plain"), (b"allow", b"GET, POST")],
            )
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            await respond(send, 413, build_fault(f"request body over {max_body} bytes", "soap:Client").encode())
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                await respond(send, 413, build_fault(f"request body over {max_body} bytes", "soap:Client").encode())
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        try:
            method, arguments = read_call(b"".join(chunks))
        except SoapError as error:
            await respond(send, 500, build_fault(str(error), "soap:Client").encode())
            return
        try:
            result = getattr(service, method)(**arguments)
        except Exception:  # noqa: BLE001 - the service's own failure: a SOAP fault in its own words, no internals
            await respond(send, 500, build_fault(f"STRATAFOLIO could not process this {method} call").encode())
            return
        await respond(send, 200, build_result(method, result).encode("utf-8"))

    return app
