"""qbXML messages: reading requests, writing responses, and the reverse for services.

The request processor reads what an integrated application sends (a
`<QBXMLMsgsRq>` with query and add requests, iterators included) and answers a
`<QBXMLMsgsRs>` with a status per request, as the SDK does. A web service uses
the reverse pair (`build_request`, `parse_response`). XML from outside is parsed
by defusedxml: no entity expansion, no external references. What the builders here
wrote is marked (`BuiltQbxml`, a `str`): it carries what reading it gives where the
builder can tell (sim.quickbooks.qbxml_read_back), and is otherwise read by the
standard library's C parser, since it escapes every value and declares no DTD (the
hardened parser, pure Python, was the simulation's largest single cost). Malformed
input raises `QbxmlError` with a one-line reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring
from xml.etree.ElementTree import fromstring as trusted_fromstring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from sim.errors import SimError
from sim.quickbooks import qbxml_read_back
from sim.quickbooks.qbxml_messages import NESTED as _NESTED
from sim.quickbooks.qbxml_messages import Request, Response

__all__ = [
    "QbxmlError",
    "Request",
    "Response",
    "parse_request",
    "build_response",
    "build_request",
    "parse_response",
    "RET_NAMES",
    "RET_FIELDS",
    "QBXML_VERSION",
    "qb_time",
    "BuiltQbxml",
]

QBXML_VERSION = "13.0"

#: The elements QuickBooks always returns for each object, in the order of the SDK's
#: On-Screen Reference (the base fields, the same in qbXML 2.0 to 16.0 for these four
#: objects; the optional ones this simulator stores follow them in OSR order).
RET_FIELDS = {
    "Customer": ("ListID", "TimeCreated", "TimeModified", "EditSequence", "Name", "FullName", "IsActive", "Sublevel"),
    "Account": (
        "ListID",
        "TimeCreated",
        "TimeModified",
        "EditSequence",
        "Name",
        "FullName",
        "IsActive",
        "Sublevel",
        "AccountType",
    ),
    "Invoice": (
        "TxnID",
        "TimeCreated",
        "TimeModified",
        "EditSequence",
        "TxnNumber",
        "CustomerRef",
        "TxnDate",
        "RefNumber",
        "Subtotal",
        "Memo",
    ),
    "ReceivePayment": (
        "TxnID",
        "TimeCreated",
        "TimeModified",
        "EditSequence",
        "TxnNumber",
        "CustomerRef",
        "TxnDate",
        "RefNumber",
        "TotalAmount",
        "AppliedTo",
    ),
}

#: qbXML object name -> the element each returned record is wrapped in.
RET_NAMES = {
    "Customer": "CustomerRet",
    "Invoice": "InvoiceRet",
    "ReceivePayment": "ReceivePaymentRet",
    "Account": "AccountRet",
}


def qb_time(moment) -> str:
    """A date-time as qbXML writes it (TimeModified, FromModifiedDate): whole seconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


class QbxmlError(SimError, ValueError):
    """A qbXML message that cannot be read."""


class BuiltQbxml(str):
    """qbXML text written by this module's builders (a `str` in every other respect). Anything
    that makes new text from it (`str()`, slicing, decoding from the wire) gives a plain `str`,
    which is parsed hardened again. `read_back`: what reading it gives, when the builder could
    tell without reading it (sim.quickbooks.qbxml_read_back), else None; worked out when first
    asked for if the builder says so (QuickBooks' answers: often sent on as SOAP text, never read
    back, and built from objects nobody keeps)."""

    _read_back: Any = None
    _work_out: Callable[[], Any] | None = None

    @property
    def read_back(self) -> Any:
        if self._work_out is not None:
            self._read_back, self._work_out = self._work_out(), None
        return self._read_back

    @classmethod
    def of(cls, text: str, read_back: Any = None, work_out: Callable[[], Any] | None = None) -> BuiltQbxml:
        built = cls(text)
        built._read_back, built._work_out = read_back, work_out
        return built


def _parse(text: str, what: str) -> Element:
    if not isinstance(text, str) or not text.strip():
        raise QbxmlError(f"empty {what}")
    try:
        return trusted_fromstring(text) if type(text) is BuiltQbxml else fromstring(text)
    except DefusedXmlException as error:
        raise QbxmlError(
            f"{what} refused: {type(error).__name__} (entities and external references are not allowed)"
        ) from None
    except ParseError as error:
        raise QbxmlError(f"{what} is not well-formed XML: {error}") from None
    except (LookupError, ValueError) as error:  # an unknown encoding= declaration, say
        raise QbxmlError(f"{what} cannot be read: {error}") from None


#: qbXML nests a few levels (a line inside an add inside a request); deeper is refused
#: as QuickBooks' schema validation would refuse it.
MAX_DEPTH = 16
#: Requests in one message (assumed: the simulator's bound; the SDK documents none, and services
#: send tens to hundreds). A message with more is refused whole, before any request is built.
MAX_REQUESTS = 10_000
_AMOUNT = re.compile(r"^-?\d{1,13}(\.\d{1,5})?$")
#: Fields whose values are amounts (AMTTYPE in the SDK's schema).
_AMOUNT_FIELDS = frozenset({"Subtotal", "Amount", "TotalAmount", "CreditLimit", "Balance"})


def _amount(text: str | None, where: str) -> float:
    value = (text or "0").strip()
    if not _AMOUNT.match(value):
        raise QbxmlError(f"<{where}> {value[:40]!r} is not an amount (AMTTYPE)")
    return float(value)


def _flatten(element: Element, depth: int = 0) -> dict[str, str]:
    if depth > MAX_DEPTH:
        raise QbxmlError(f"<{element.tag}> is nested more than {MAX_DEPTH} levels deep")
    values: dict[str, str] = {}
    total = 0.0
    for child in element:
        if child.tag == "InvoiceLineAdd":
            total += _amount(child.findtext("Amount"), "Amount")
            values["Subtotal"] = f"{total:.2f}"
        elif child.tag in ("CustomerRef", "AccountRef"):
            values[child.tag] = (child.findtext("FullName") or child.findtext("ListID") or "").strip()
        elif child.tag.startswith("AppliedToTxn"):
            values["AppliedTo"] = (child.findtext("TxnID") or "").strip()
        elif len(child):
            values.update(_flatten(child, depth + 1))
        else:
            values[child.tag] = (child.text or "").strip()
            if child.tag in _AMOUNT_FIELDS:  # QuickBooks validates an amount as it parses (0x80040400)
                _amount(values[child.tag], child.tag)
    return values


#: Parsed messages by their text: a month of Auto-Run exchanges a few hundred distinct texts
#: thousands of times. Parsing is a pure function of the text, so this only saves time; the
#: readers still parse (hardened) every text they have not seen. Bounded in count and size.
_PARSED: dict[tuple[str, str], Any] = {}
MAX_PARSED, MAX_PARSED_TEXT = 4096, 65_536


def _remembered(kind: str, text: str, parse: Callable[[str], Any]) -> Any:
    if not isinstance(text, str) or len(text) > MAX_PARSED_TEXT:
        return parse(text)
    key = (kind, text)
    found = _PARSED.get(key)
    if found is None:
        found = parse(text)
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def parse_request(text: str) -> tuple[list[Request], str]:
    """The requests of a `<QBXML><QBXMLMsgsRq>` message and its onError attribute (the Request
    objects may be shared between calls with the same text: read them, do not change them)."""
    if type(text) is BuiltQbxml and text.read_back is not None:
        requests, on_error = text.read_back
    else:
        requests, on_error = _remembered("request", text, _parse_request)
    return list(requests), on_error


def _parse_request(text: str) -> tuple[tuple[Request, ...], str]:
    root = _parse(text, "qbXML request")
    if root.tag != "QBXML":
        raise QbxmlError(f"qbXML request: root element is <{root.tag}>, expected <QBXML>")
    messages = root.find("QBXMLMsgsRq")
    if messages is None:
        raise QbxmlError("qbXML request: no <QBXMLMsgsRq> element")
    if len(messages) > MAX_REQUESTS:
        raise QbxmlError(
            f"qbXML request: {len(messages):,} requests in one message, more than the "
            f"simulator's {MAX_REQUESTS:,} (assumed)"
        )
    requests = []
    for element in messages:
        if not element.tag.endswith("Rq"):
            raise QbxmlError(f"qbXML request: <{element.tag}> is not a request (names end in Rq)")
        body = element
        if element.tag.endswith(("AddRq", "ModRq")):
            found = element.find(element.tag.removesuffix("Rq"))
            if found is None:
                raise QbxmlError(f"qbXML request: <{element.tag}> has no <{element.tag.removesuffix('Rq')}> element")
            body = found
        include = [(child.text or "").strip() for child in body if child.tag == "IncludeRetElement"]
        owner_ids = [(child.text or "").strip() for child in body if child.tag == "OwnerID"]
        fields = _flatten(body)
        fields.pop("IncludeRetElement", None)
        fields.pop("OwnerID", None)
        max_returned = fields.pop("MaxReturned", None)
        try:
            max_value = int(max_returned) if max_returned not in (None, "") else None
        except ValueError:
            raise QbxmlError(f"qbXML request: <{element.tag}> MaxReturned {max_returned!r} is not a number") from None
        requests.append(
            Request(
                name=element.tag,
                request_id=element.get("requestID", ""),
                iterator=element.get("iterator", ""),
                iterator_id=element.get("iteratorID", ""),
                max_returned=max_value,
                fields=fields,
                include=include,
                owner_ids=owner_ids,
            )
        )
    return tuple(requests), messages.get("onError", "stopOnError")


_PROLOGUE = f'<?xml version="1.0" ?>\n<?qbxml version="{QBXML_VERSION}"?>\n'
#: QuickBooks' own answers carry no <?qbxml?> instruction (FIELD: published QWCLog.txt dumps).
_RESPONSE_PROLOGUE = '<?xml version="1.0" ?>\n'
#: Element names the writer below emits itself; anything else (a namespaced name a service
#: sent, say) goes through ElementTree, whose output the writer reproduces byte for byte.
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def _document(body: Element) -> BuiltQbxml:
    return BuiltQbxml(_PROLOGUE + tostring(body, encoding="unicode"))


def _cdata(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    text = _cdata(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _open(out: list[str], tag: str, attributes: dict[str, str]) -> None:
    out.append("<" + tag)
    for name, value in attributes.items():  # (a loop, not a generator: thousands of times a simulated day)
        out.append(f' {name}="{_attribute(value)}"')


def _leaf(out: list[str], tag: str, text: str) -> None:
    out.append(f"<{tag}>{_cdata(text)}</{tag}>" if text else f"<{tag} />")


def _record_text(out: list[str], name: str, record: dict[str, str], end: str = "") -> None:
    """A record's elements; with `end` "\n", one element to a line (as QuickBooks answers)."""
    if not record:
        out.append(f"<{name} />{end}")
        return
    out.append(f"<{name}>{end}")
    for key, value in record.items():
        if key in _NESTED:
            outer, inner = _NESTED[key]
            out.append(f"<{outer}>{end}")
            _leaf(out, inner, str(value))
            out.append(f"{end}</{outer}>{end}")
        else:
            _leaf(out, key, str(value))
            if end:
                out.append(end)
    out.append(f"</{name}>{end}")


@functools.lru_cache(maxsize=4096)
def _plain_name(name: str) -> bool:
    return bool(_PLAIN_NAME.match(name))


def _plain(names) -> bool:
    return all(_plain_name(name) for name in names)


def _add_record(parent: Element, name: str, record: dict[str, str]) -> None:
    element = SubElement(parent, name)
    for key, value in record.items():
        if key in _NESTED:
            outer, inner = _NESTED[key]
            SubElement(SubElement(element, outer), inner).text = str(value)
        else:
            SubElement(element, key).text = str(value)


def _response_attributes(response: Response) -> dict[str, str]:
    attributes = {
        "requestID": response.request_id,
        "statusCode": str(response.status_code),
        "statusSeverity": response.status_severity,
        "statusMessage": response.status_message,
    }
    if response.iterator_remaining is not None:
        attributes["iteratorRemainingCount"] = str(response.iterator_remaining)
        attributes["iteratorID"] = response.iterator_id
    return attributes


def build_response(responses: list[Response]) -> BuiltQbxml:
    """The qbXML QuickBooks answers with: one element to a line, no indentation, a line break at
    the end (FIELD: QuickBooks' answers in published VERBOSE logs). Written as text in one pass
    (ElementTree's output indented so, which a test checks; ElementTree itself for a name the
    writer does not write or an attribute that is not text), since QuickBooks answers thousands
    of requests a simulated day."""
    if not responses:
        return BuiltQbxml.of(_RESPONSE_PROLOGUE + "<QBXML>\n<QBXMLMsgsRs />\n</QBXML>\n", read_back=())
    out = [_RESPONSE_PROLOGUE, "<QBXML>\n<QBXMLMsgsRs>\n"]
    for response in responses:
        attributes = _response_attributes(response)
        if not (_plain_name(response.name) and all(isinstance(value, str) for value in attributes.values())):
            return _element_response(responses)
        _open(out, response.name, attributes)
        if not response.records:
            out.append(" />\n")
            continue
        out.append(">\n")
        ret_name = RET_NAMES.get(response.object_name, response.object_name + "Ret")
        for record in response.records:
            if not _plain(record):
                return _element_response(responses)
            _record_text(out, ret_name, record, "\n")
        out.append(f"</{response.name}>\n")
    out.append("</QBXMLMsgsRs>\n</QBXML>\n")
    return BuiltQbxml.of("".join(out), work_out=lambda: qbxml_read_back.responses_as_read(responses))


def _element_response(responses: list[Response]) -> BuiltQbxml:
    root = Element("QBXML")
    messages = SubElement(root, "QBXMLMsgsRs")
    for response in responses:
        element = SubElement(messages, response.name, _response_attributes(response))
        ret_name = RET_NAMES.get(response.object_name, response.object_name + "Ret")
        for record in response.records:
            _add_record(element, ret_name, record)
    indent(root, space="")
    return BuiltQbxml(_RESPONSE_PROLOGUE + tostring(root, encoding="unicode") + "\n")


def _request_attributes(request: Request) -> dict[str, str]:
    attributes = {"requestID": request.request_id} if request.request_id else {}
    if request.iterator:
        attributes["iterator"] = request.iterator
    if request.iterator_id:
        attributes["iteratorID"] = request.iterator_id
    return attributes


def build_request(requests: list[Request], on_error: str = "stopOnError") -> BuiltQbxml:
    """A qbXML request message (written as text like `build_response`; STRATAFOLIO builds
    several each update session, so in one pass that falls back to ElementTree on a name it
    does not write itself or a value that is not text)."""
    if not isinstance(on_error, str):
        return _element_request(requests, on_error)
    out = [_PROLOGUE, "<QBXML>"]
    _open(out, "QBXMLMsgsRq", {"onError": on_error})
    if not requests:
        out.append(" /></QBXML>")
        return BuiltQbxml.of("".join(out), qbxml_read_back.requests_as_read(requests, on_error))
    out.append(">")
    for request in requests:
        name = request.name
        if not _plain_name(name):
            return _element_request(requests, on_error)
        _open(out, name, _request_attributes(request))
        body: list[str] = []
        if request.carries_record:
            if not _plain(request.fields):
                return _element_request(requests, on_error)
            _record_text(body, name.removesuffix("Rq"), request.fields)
        else:
            if request.max_returned is not None:
                _leaf(body, "MaxReturned", str(request.max_returned))
            for key, value in request.fields.items():
                if not (isinstance(value, str) and _plain_name(key)):
                    return _element_request(requests, on_error)
                _leaf(body, key, value)
            for tag, texts in (("IncludeRetElement", request.include), ("OwnerID", request.owner_ids)):
                for text in texts:
                    if not isinstance(text, str):
                        return _element_request(requests, on_error)
                    _leaf(body, tag, text)
        out.append(">" + "".join(body) + f"</{name}>" if body else " />")
    out.append("</QBXMLMsgsRq></QBXML>")
    return BuiltQbxml.of("".join(out), qbxml_read_back.requests_as_read(requests, on_error))


def _element_request(requests: list[Request], on_error: str) -> BuiltQbxml:
    root = Element("QBXML")
    messages = SubElement(root, "QBXMLMsgsRq", {"onError": on_error})
    for request in requests:
        element = SubElement(messages, request.name, _request_attributes(request))
        if request.carries_record:
            _add_record(element, request.name.removesuffix("Rq"), request.fields)
        else:
            if request.max_returned is not None:
                SubElement(element, "MaxReturned").text = str(request.max_returned)
            for key, value in request.fields.items():
                SubElement(element, key).text = value
            for name in request.include:
                SubElement(element, "IncludeRetElement").text = name
            for owner in request.owner_ids:
                SubElement(element, "OwnerID").text = owner
    return _document(root)


def parse_response(text: str) -> list[Response]:
    """The responses of a `<QBXML><QBXMLMsgsRs>` message (shared between calls with the same
    text, like `parse_request`'s)."""
    if type(text) is BuiltQbxml and text.read_back is not None:
        return list(text.read_back)
    return list(_remembered("response", text, _parse_response))


def _parse_response(text: str) -> tuple[Response, ...]:
    root = _parse(text, "qbXML response")
    messages = root.find("QBXMLMsgsRs")
    if root.tag != "QBXML" or messages is None:
        raise QbxmlError("qbXML response: expected <QBXML><QBXMLMsgsRs>")
    responses = []
    for element in messages:
        try:
            code = int(element.get("statusCode", "0"))
            remaining = element.get("iteratorRemainingCount")
            responses.append(
                Response(
                    name=element.tag,
                    request_id=element.get("requestID", ""),
                    status_code=code,
                    status_severity=element.get("statusSeverity", "Info"),
                    status_message=element.get("statusMessage", ""),
                    records=[_flatten(child) for child in element],
                    iterator_remaining=int(remaining) if remaining is not None else None,
                    iterator_id=element.get("iteratorID", ""),
                )
            )
        except ValueError as error:
            raise QbxmlError(f"qbXML response: <{element.tag}> has a bad status attribute ({error})") from None
    return tuple(responses)
