"""SOAP 1.1 for the QBWC callback contract: envelopes both ways, tolerant reading, the WSDL.

The Web Connector sends document/literal envelopes in the `http://developer.intuit.com/`
namespace with a SOAPAction header (DOMAIN.md section 3); services answer with
`<methodResponse><methodResult>`. Real services differ (DOMAIN.md section 3, last
paragraph): extra wrapper elements around results, an authenticate result of one
element, rpc/encoded envelopes with `xsi:type` and `item` arrays. The readers here
accept all of those. No document type declaration (SOAP 1.1 section 3 forbids them), so no
entity is declared or expanded and no external reference followed (refused as defusedxml refuses
them with forbid_dtd; the text is read by expat straight into ElementTree's C TreeBuilder). A malformed envelope raises
`SoapError`; a SOAP fault raises `SoapFault`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat
from xml.sax.saxutils import escape

from sim.errors import SimError
from sim.text import one_line
from sim.webconnector.contract import CALLBACK_ERRORS, CALLBACKS, TransportError

__all__ = [
    "STYLES",
    "QBWC_NS",
    "SoapError",
    "SoapFault",
    "build_call",
    "read_call",
    "build_result",
    "build_fault",
    "read_result",
    "wsdl",
    "soap_action",
    "SoapInProcessTransport",
]

QBWC_NS = "http://developer.intuit.com/"
ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
_RESULT_TYPES = {"authenticate": "list", "receiveResponseXML": "int"}


class SoapError(SimError, ValueError):
    """Not a SOAP envelope the contract allows."""


class SoapFault(SimError):
    """The other side answered with a SOAP fault."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"SOAP fault {code}: {message}")
        self.code, self.message = code, message


def soap_action(method: str) -> str:
    return f'"{QBWC_NS}{method}"'


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Forbidden(Exception):
    """An entity declaration or external reference met while parsing (named as defusedxml names them)."""


def _entities_forbidden(*_: Any) -> None:
    raise _Forbidden("EntitiesForbidden")


def _external_forbidden(*_: Any) -> NoReturn:
    raise _Forbidden("ExternalReferenceForbidden")


def _dtd_forbidden(*_: Any) -> None:
    # SOAP 1.1 section 3: "A SOAP message MUST NOT contain a Document Type Declaration"; an external
    # one (<!DOCTYPE x SYSTEM "http://...">) declares no entity but is refused all the same.
    raise _Forbidden("DTDForbidden")


def _undefined_entity(name: str, _is_parameter: bool) -> None:
    # A reference to an entity no one declared here (a DTD outside the document might): never expanded.
    raise expat.ExpatError(f"undefined entity &{name};")


def _qualified(name: str) -> str:
    # expat gives "uri}local" with this separator; ElementTree's form is "{uri}local".
    return "{" + name if "}" in name else name


def _parse(text: str | bytes, what: str):
    """The first element in the envelope's Body. Read by expat directly into ElementTree's (C)
    TreeBuilder, with the same refusals defusedxml makes (any entity declaration, parsed or not, and
    any external reference: no entity is ever expanded, nothing is ever fetched), at half its cost
    per envelope: an update session reads a dozen."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _dtd_forbidden
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = _entities_forbidden
    parser.ExternalEntityRefHandler = _external_forbidden
    parser.SkippedEntityHandler = _undefined_entity
    parser.StartElementHandler = lambda tag, attributes: builder.start(_qualified(tag), attributes)
    parser.EndElementHandler = lambda tag: builder.end(_qualified(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(text, True)
        root = builder.close()
    except _Forbidden as error:
        raise SoapError(
            f"{what} refused: {error} (document type declarations, entities and external references are not allowed)"
        ) from None
    except expat.ExpatError as error:
        raise SoapError(f"{what} is not well-formed XML: {error}") from None
    except (LookupError, ValueError) as error:  # an unknown encoding= declaration, say
        raise SoapError(f"{what} cannot be read: {error}") from None
    if _local(root.tag) != "Envelope":
        raise SoapError(f"{what}: root element is <{_local(root.tag)}>, expected a SOAP Envelope")
    body = next((child for child in root if _local(child.tag) == "Body"), None)
    if body is None or not len(body):
        raise SoapError(f"{what}: the envelope has no Body content")
    return body[0]


def _text(element) -> str:
    return "".join(element.itertext())


# --- the client side (the Web Connector) ------------------------------------------------------------
#: The QWC's Style values (PG Table 4-1). Document and DocWrapped both give the
#: document/literal wrapped envelope Intuit's WSDL describes (assumed: the PG tells them
#: apart by the service's WSDL, not by what goes on the wire for these operations); RPC
#: gives rpc/encoded, with xsi:type on each part.
STYLES = ("Document", "DocWrapped", "RPC")


def build_call(method: str, arguments: dict[str, Any], style: str = "Document") -> str:
    """The envelope the Web Connector posts for one callback, in the QWC's `style`."""
    if style == "RPC":
        parts = "".join(
            f'<{name} xsi:type="xsd:{"int" if isinstance(value, int) else "string"}">{escape(str(value))}</{name}>'
            for name, value in arguments.items()
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{ENVELOPE_NS}" '
            f'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:tns="{QBWC_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            "<soap:Body "
            'soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
            f"<tns:{method}>{parts}</tns:{method}></soap:Body></soap:Envelope>"
        )
    parts = "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in arguments.items())
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{ENVELOPE_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<soap:Body><{method} xmlns="{QBWC_NS}">{parts}</{method}></soap:Body></soap:Envelope>'
    )


def read_result(method: str, text: str | bytes) -> Any:
    """The result of a callback from a service's answer, however the service wrapped it."""
    first = _parse(text, f"{method} answer")
    if _local(first.tag) == "Fault":
        code = next((_text(c) for c in first if _local(c.tag) == "faultcode"), "")
        message = next((_text(c) for c in first if _local(c.tag) in ("faultstring", "Reason")), "")
        raise SoapFault(code.strip(), message.strip())
    result = _find_result(first, method)
    strings = _strings(result)
    kind = _RESULT_TYPES.get(method, "str")
    if kind == "list":
        return strings if strings is not None else [_text(result).strip()]
    value = strings[0] if strings else _text(result)
    if kind == "int":
        try:
            return int(value.strip())
        except ValueError:
            raise SoapError(f"{method} answer: {value.strip()[:40]!r} is not a whole number") from None
    return value


def _find_result(response, method: str):
    # <methodResponse><methodResult>, <methodReturn> (rpc style), or extra wrappers in between.
    for element in response.iter():
        if _local(element.tag) in (f"{method}Result", f"{method}Return", "return"):
            return element
    children = [c for c in response if isinstance(c.tag, str)]
    return children[0] if children else response


#: Extra wrapper elements a tolerant reader looks through around a result array;
#: real services add one or two. Deeper nesting is not an answer to read.
MAX_WRAPPERS = 8


def _strings(result) -> list[str] | None:
    for _ in range(MAX_WRAPPERS + 1):
        items = [c for c in result if _local(c.tag) in ("string", "item")]
        if items:
            return [_text(c) for c in items]
        nested = [c for c in result if isinstance(c.tag, str)]
        if not (len(nested) == 1 and len(nested[0])):
            return None
        result = nested[0]  # an extra wrapper element around the array
    raise SoapError(f"the result is wrapped in more than {MAX_WRAPPERS} elements")


# --- the server side (a web service) ----------------------------------------------------------------
def read_call(text: str | bytes) -> tuple[str, dict[str, str]]:
    """(method, arguments) of a callback envelope, document/literal or rpc/encoded."""
    call = _parse(text, "SOAP request")
    method = _local(call.tag)
    if method not in CALLBACKS:
        raise SoapError(f"SOAP request: {method!r} is not a QBWC callback")
    names = CALLBACKS[method]
    given = [(_local(c.tag), _text(c)) for c in call if isinstance(c.tag, str)]
    by_name = dict(given)
    if all(name in by_name for name in names):
        return method, {name: by_name[name] for name in names}
    # Positional (some rpc/encoded clients name parts in0, in1, ...).
    values = [value for _, value in given] + [""] * len(names)
    return method, {name: values[i] for i, name in enumerate(names)}


def build_result(method: str, result: Any) -> str:
    if isinstance(result, (list, tuple)):
        inner = "".join(f"<string>{escape(str(item))}</string>" for item in result)
    else:
        inner = escape(str(result))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{ENVELOPE_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f"<soap:Body><{method}Response "
        f'xmlns="{QBWC_NS}"><{method}Result>{inner}</{method}Result></{method}Response></soap:Body></soap:Envelope>'
    )


def build_fault(message: str, code: str = "soap:Server") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENVELOPE_NS}"><soap:Body><soap:Fault>'
        f"<faultcode>{escape(code)}</faultcode><faultstring>"
        f"{escape(message)}</faultstring></soap:Fault></soap:Body>"
        "</soap:Envelope>"
    )


def wsdl(endpoint: str) -> str:
    """A WSDL of the operations, as Intuit's QBWebConnectorSvc.wsdl declares them: value
    types (ints) are required (minOccurs 1), strings and the array may be absent."""
    types = {"authenticate": "tns:ArrayOfString", "receiveResponseXML": "s:int"}
    ints = {"qbXMLMajorVers", "qbXMLMinorVers"}
    elements, messages, operations, bindings = [], [], [], []
    for method, names in CALLBACKS.items():
        parts = "".join(
            f'<s:element minOccurs="{1 if n in ints else 0}" maxOccurs="1" name="{n}" '
            f'type="{"s:int" if n in ints else "s:string"}"/>'
            for n in names
        )
        elements.append(
            f'<s:element name="{method}"><s:complexType><s:sequence>{parts}</s:sequence></s:complexType></s:element>'
        )
        result_type = types.get(method, "s:string")
        elements.append(
            f'<s:element name="{method}Response"><s:complexType><s:sequence><s:element '
            f'minOccurs="{1 if result_type == "s:int" else 0}" maxOccurs="1" '
            f'name="{method}Result" '
            f'type="{result_type}"/></s:sequence></s:complexType></s:element>'
        )
        messages.append(
            f'<wsdl:message name="{method}SoapIn"><wsdl:part name="parameters" element="tns:{method}"/></wsdl:message>'
        )
        messages.append(
            f'<wsdl:message name="{method}SoapOut"><wsdl:part name="parameters" '
            f'element="tns:{method}Response"/></wsdl:message>'
        )
        operations.append(
            f'<wsdl:operation name="{method}"><wsdl:input '
            f'message="tns:{method}SoapIn"/><wsdl:output '
            f'message="tns:{method}SoapOut"/></wsdl:operation>'
        )
        bindings.append(
            f'<wsdl:operation name="{method}"><soap:operation soapAction="{QBWC_NS}{method}" style="document"/>'
            '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body '
            'use="literal"/></wsdl:output></wsdl:operation>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        'xmlns:s="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:tns="{QBWC_NS}" targetNamespace="{QBWC_NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">'
        f'<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{QBWC_NS}">'
        + "".join(elements)
        + '<s:complexType name="ArrayOfString"><s:sequence><s:element minOccurs="0" '
        'maxOccurs="unbounded" name="string" nillable="true" '
        'type="s:string"/></s:sequence></s:complexType>'
        "</s:schema></wsdl:types>"
        + "".join(messages)
        + '<wsdl:portType name="QBWebConnectorSvcSoap">'
        + "".join(operations)
        + "</wsdl:portType>"
        + '<wsdl:binding name="QBWebConnectorSvcSoap" '
        'type="tns:QBWebConnectorSvcSoap"><soap:binding '
        'transport="http://schemas.xmlsoap.org/soap/http"/>' + "".join(bindings) + "</wsdl:binding>"
        '<wsdl:service name="QBWebConnectorSvc"><wsdl:port name="QBWebConnectorSvcSoap" '
        'binding="tns:QBWebConnectorSvcSoap"><soap:address '
        f'location="{escape(endpoint)}"/></wsdl:port></wsdl:service>'
        "</wsdl:definitions>"
    )


class SoapInProcessTransport:
    """Calls a SOAP web service in the same process: the envelopes a real Web Connector would
    POST (`style` as the QWC says), handed to `dispatch` (a service's "SOAP text in, SOAP text
    out" entry point, as qbwc-kit's `QBWCService.dispatch`) and read as from the wire. For a
    developer's own service in their unit tests, with no server and no network; answers are
    read with the same tolerant, bounded reader as HTTP ones."""

    def __init__(
        self, dispatch: Callable[[str], str | bytes], style: str = "Document", max_response_bytes: int = 10_000_000
    ) -> None:
        self.dispatch, self.style, self.max_response_bytes = dispatch, style, max_response_bytes

    def call(self, method: str, **arguments: Any) -> Any:
        code = CALLBACK_ERRORS.get(method, "QBWC1041")
        if method not in CALLBACKS:
            raise TransportError(code, f"{method} is not a callback of the QBWC contract")
        try:
            answer = self.dispatch(build_call(method, arguments, self.style))
        except Exception as error:  # the service's failure: QBWC logs it inside that callback
            raise TransportError(
                code, one_line(f"exception in {method}: {type(error).__name__}: {error}", 500)
            ) from None
        body = answer.encode("utf-8") if isinstance(answer, str) else bytes(answer)
        if len(body) > self.max_response_bytes:
            raise TransportError(code, f"{method}: the answer is over {self.max_response_bytes:,} bytes")
        try:
            return read_result(method, body)
        except SoapFault as fault:
            raise TransportError(
                code, one_line(f"{method}: the service answered with a SOAP fault: {fault.message or fault.code}", 500)
            ) from None
        except SoapError as error:
            raise TransportError(code, one_line(f"{method}: unreadable answer ({error})", 500)) from None
