"""A QBWC web service that misbehaves on purpose, for `wcsim sync` to survive.

Run as `python tests/hostile_service.py PORT`; it binds 127.0.0.1 only. The first
part of the URL path picks the misbehaviour (`/drip/qbwc`, `/gzip-bomb/qbwc`, ...);
callbacks it does not misbehave on get ordinary answers, so each mode reaches the
callback it attacks. Every loop here is bounded (bytes sent, seconds spent).
"""

from __future__ import annotations

import gzip
import io
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

NS = "http://developer.intuit.com/"


def envelope(method: str, inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soap:Body><{method}Response "
        f'xmlns="{NS}"><{method}Result>{inner}</{method}Result></{method}Response></soap:Body></soap:Envelope>'
    ).encode()


def strings(*items: str) -> str:
    return "".join(f"<string>{escape(item)}</string>" for item in items)


def fault(message: str) -> bytes:
    return (
        '<?xml version="1.0"?><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        f"<faultcode>soap:Server</faultcode><faultstring>{escape(message)}</faultstring></soap:Fault></soap:Body></soap:Envelope>"
    ).encode()


ORDINARY = {
    "serverVersion": envelope("serverVersion", "hostile 1.0"),
    "clientVersion": envelope("clientVersion", ""),
    "authenticate": envelope("authenticate", strings("TICKET-1", "")),
    "sendRequestXML": envelope("sendRequestXML", ""),
    "receiveResponseXML": envelope("receiveResponseXML", "100"),
    "connectionError": envelope("connectionError", "done"),
    "getLastError": envelope("getLastError", "hostile: nothing to do"),
    "closeConnection": envelope("closeConnection", "OK"),
}

INVOICE_ADD = (
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
    'onError="stopOnError"><InvoiceAddRq requestID="1"><InvoiceAdd>'
    "<CustomerRef><FullName>Nobody</FullName></CustomerRef><InvoiceLineAdd><Amount>abc</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq></QBXMLMsgsRq></QBXML>"
)
DEEP_QBXML = (
    '<?xml version="1.0"?><QBXML><QBXMLMsgsRq><CustomerQueryRq>'
    + "<A>" * 20_000
    + "</A>" * 20_000
    + "</CustomerQueryRq></QBXMLMsgsRq></QBXML>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
    '"file:///etc/passwd">]><soap:Envelope '
    'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soap:Body><authenticateResponse "
    f'xmlns="{NS}"><authenticateResult><string>&x;</string><string></string></authenticateResult></authenticateResponse></soap:Body></soap:Envelope>'
).encode()
BILLION = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
    '"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><soap:Envelope '
    'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soap:Body><authenticateResponse "
    f'xmlns="{NS}"><authenticateResult><string>&d;</string></authenticateResult></authenticateResponse></soap:Body></soap:Envelope>'
).encode()


def customer_adds(count: int) -> str:
    """One qbXML message of `count` CustomerAdd requests (60,000 once took the simulated QuickBooks minutes)."""
    adds = "".join(
        f'<CustomerAddRq requestID="{n}"><CustomerAdd><Name>Hostile {n}</Name></CustomerAdd></CustomerAddRq>'
        for n in range(count)
    )
    return (
        '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq '
        f'onError="continueOnError">{adds}</QBXMLMsgsRq></QBXML>'
    )


MANY_ADDS, TOO_MANY_ADDS = customer_adds(10_000), customer_adds(60_000)


def gzip_bomb() -> bytes:
    """About 200 KB of gzip that would become 200 MB."""
    zeros, buffer = bytes(1 << 20), io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6) as stream:
        for _ in range(200):
            stream.write(zeros)
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bomb = b""

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = min(int(self.headers.get("Content-Length") or 0), 5_000_000)
        self.rfile.read(length)
        mode = self.path.strip("/").split("/")[0]
        method = self.headers.get("SOAPAction", "").strip('"').rsplit("/", 1)[-1]
        attack = getattr(self, "attack_" + mode.replace("-", "_"), None)
        if attack is None or not attack(method):
            self.answer(ORDINARY.get(method, fault("unknown method")))

    def answer(
        self, body: bytes, status: int = 200, content_type: str = "text/xml; charset=utf-8", extra: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    # Each attack returns True when it answered this callback itself.
    def attack_xxe(self, method: str) -> bool:
        return method == "authenticate" and self.answer(XXE) is None

    def attack_billion_laughs(self, method: str) -> bool:
        return method == "authenticate" and self.answer(BILLION) is None

    def attack_deep_result(self, method: str) -> bool:
        inner = "<w>" * 5000 + strings("T", "") + "</w>" * 5000
        return method == "authenticate" and self.answer(envelope("authenticate", inner)) is None

    def attack_blank_path(self, method: str) -> bool:
        return method == "authenticate" and self.answer(envelope("authenticate", strings("T", "   "))) is None

    def attack_bad_amount(self, method: str) -> bool:
        return method == "sendRequestXML" and self.answer(envelope("sendRequestXML", escape(INVOICE_ADD))) is None

    def attack_deep_qbxml(self, method: str) -> bool:
        return method == "sendRequestXML" and self.answer(envelope("sendRequestXML", escape(DEEP_QBXML))) is None

    def attack_many_adds(self, method: str) -> bool:
        return method == "sendRequestXML" and self.answer(envelope("sendRequestXML", escape(MANY_ADDS))) is None

    def attack_too_many_adds(self, method: str) -> bool:
        return method == "sendRequestXML" and self.answer(envelope("sendRequestXML", escape(TOO_MANY_ADDS))) is None

    def attack_fault_newlines(self, method: str) -> bool:
        return (
            method == "authenticate"
            and self.answer(fault("boom\r\noutcome: succeeded\n== forged =="), status=500) is None
        )

    def attack_html(self, method: str) -> bool:
        return (
            method == "serverVersion"
            and self.answer(b"<html><body><h1>502 Bad Gateway</h1></body></html>", 502, "text/html") is None
        )

    def attack_redirect(self, method: str) -> bool:
        return self.answer(b"", 302, extra={"Location": "http://127.0.0.1:1/elsewhere"}) is None

    def attack_huge(self, method: str) -> bool:
        """Claims 300 MB and sends as much as the reader takes, in 1 MB chunks (bounded)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(300 << 20))
        self.end_headers()
        chunk = b"<x>" + b"a" * ((1 << 20) - 3)
        try:
            for _ in range(300):
                self.wfile.write(chunk)
        except OSError:
            pass
        return True

    def attack_truncated(self, method: str) -> bool:
        body = envelope(method, "x")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body) + 1000))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True
        return True

    def attack_drip(self, method: str) -> bool:
        """Headers at once, then one byte every half second, for at most 60 seconds."""
        if method != "authenticate":
            return False
        body = envelope("authenticate", strings("T", ""))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for byte in body[:120]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass
        self.close_connection = True
        return True

    def attack_gzip_bomb(self, method: str) -> bool:
        return method == "authenticate" and self.answer(Handler.bomb, extra={"Content-Encoding": "gzip"}) is None

    def attack_evil_encoding(self, method: str) -> bool:
        body = envelope("authenticate", strings("T", "")).replace(b'encoding="utf-8"', b'encoding="x-evil"')
        return method == "authenticate" and self.answer(body) is None


#: The modes, for tests to iterate over.
MODES = sorted(name.removeprefix("attack_").replace("_", "-") for name in dir(Handler) if name.startswith("attack_"))


def main() -> None:
    port = int(sys.argv[1])
    Handler.bomb = gzip_bomb()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client hanging up is no news here
    server.serve_forever()


if __name__ == "__main__":
    main()
