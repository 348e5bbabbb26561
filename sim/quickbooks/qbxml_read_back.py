"""What reading a qbXML message the builders wrote would give, worked out without reading it.

Every update session sends requests STRATAFOLIO built and answers QuickBooks built, and
reading each back (an XML parser per message) was the largest cost left in long runs. The
builders know what they wrote, so they can say what a reader would get: `parse_request` of
a request equals `requests_as_read` of what it was built from, and likewise for responses.
Only where that is plainly so: text values made only of XML characters other than a
carriage return (which a reader turns into a line feed), and none of the element names the
reader treats specially. Anything else gives None and the text is read as usual. A
Hypothesis test holds the two equal over names, text and records of every kind.
"""

from __future__ import annotations

import re
from typing import Any

from sim.quickbooks.qbxml_messages import NESTED as _NESTED
from sim.quickbooks.qbxml_messages import Request, Response

__all__ = ["requests_as_read", "responses_as_read"]

# XML 1.0's characters, less the carriage return.
_AS_WRITTEN = re.compile("[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
# Element names the reader does more with than take their text (qbxml._flatten, _parse_request).
_READ_SPECIALLY = frozenset(
    {"InvoiceLineAdd", "CustomerRef", "AccountRef", "IncludeRetElement", "OwnerID", "MaxReturned"}
)


def _kept(text: object) -> str | None:
    """`text` as the reader gives it back (stripped), or None if it may come back otherwise."""
    value = text if type(text) is str else str(text)
    return value.strip() if _AS_WRITTEN.fullmatch(value) else None


def _plain_key(key: str) -> bool:
    return key not in _READ_SPECIALLY and not key.startswith("AppliedToTxn")


def _record(record: dict) -> dict[str, str] | None:
    """A record written by qbxml._record_text, as qbxml._flatten reads it."""
    values = [value if type(value) is str else str(value) for value in record.values()]
    if not _AS_WRITTEN.fullmatch("".join(values)):  # one look at all of its text
        return None
    if not all(key in _NESTED or _plain_key(key) for key in record):
        return None
    return dict(zip(record, [value.strip() for value in values], strict=False))


def _attributes_kept(*values: str) -> bool:
    try:
        return _AS_WRITTEN.fullmatch("".join(values)) is not None
    except TypeError:  # not all text
        return False


def requests_as_read(requests: list[Request], on_error: str) -> tuple[tuple[Request, ...], str] | None:
    if not _attributes_kept(on_error):
        return None
    read = []
    for request in requests:
        if not request.name.endswith("Rq") or not _attributes_kept(
            request.request_id, request.iterator, request.iterator_id
        ):
            return None
        if request.carries_record:
            fields = _record(request.fields)
            if fields is None:
                return None
            read.append(Request(request.name, request.request_id, request.iterator, request.iterator_id, None, fields))
            continue
        if request.max_returned is not None and type(request.max_returned) is not int:
            return None
        fields = {}
        for key, value in request.fields.items():
            kept = _kept(value) if _plain_key(key) and type(value) is str else None
            if kept is None:
                return None
            fields[key] = kept
        if not all(type(text) is str for text in (*request.include, *request.owner_ids)):
            return None
        # (list[Any]: neither list holds None once past the check below, which mypy cannot follow)
        include: list[Any] = [_kept(text) for text in request.include]
        owner_ids: list[Any] = [_kept(text) for text in request.owner_ids]
        if None in include or None in owner_ids:
            return None
        read.append(
            Request(
                request.name,
                request.request_id,
                request.iterator,
                request.iterator_id,
                request.max_returned,
                fields,
                include,
                owner_ids,
            )
        )
    return tuple(read), on_error


def responses_as_read(responses: list[Response]) -> tuple[Response, ...] | None:
    read = []
    for response in responses:
        if type(response.status_code) is not int or not _attributes_kept(
            response.request_id, response.status_severity, response.status_message
        ):
            return None
        remaining = response.iterator_remaining
        if remaining is not None and (type(remaining) is not int or not _attributes_kept(response.iterator_id)):
            return None
        records: list[Any] = [_record(record) for record in response.records]  # (no None past the check below)
        if None in records:
            return None
        read.append(
            Response(
                response.name,
                response.request_id,
                response.status_code,
                response.status_severity,
                response.status_message,
                records,
                remaining,
                response.iterator_id if remaining is not None else "",
            )
        )
    return tuple(read)
