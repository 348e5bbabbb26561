"""The words .NET, which Web Connector is built on, uses for the errors Web Connector reports, in one table.

A real Web Connector writes an exception's message under its own error line (QBWC1012's
"Authentication failed due to following error message.", "Actual error received from web
service for serverVersion call: <...>"), and people paste that message alone. Each row is
one kind of failure (what happened, never a cause) and .NET's phrases for it (FIELD:
published logs in tests/data/real_qwclog/ and tests/data/dotnet_connection_errors.md,
with URLs). The reader uses the table to read a pasted message as a log line, the session
to know that a line reports an error, and the signature to say what happened.
"""

from __future__ import annotations

import re

__all__ = ["DOTNET_PHRASES", "DOTNET_WORDS"]

#: (kind, .NET's phrases for it), in the order kinds are checked: the first whose phrases appear wins.
DOTNET_PHRASES: tuple[tuple[str, str], ...] = (
    # A certificate the computer does not trust, before any other TLS failure: its words name the secure channel too.
    ("certificate not trusted", r"trust relationship|remote certificate is invalid"),
    # A handshake that failed otherwise: no TLS version both sides accept (tests/data/dotnet_tls.md).
    ("TLS failure", r"SSL/TLS|secure channel"),
    ("HTTP error status", r"HTTP status \d{3}|remote server returned an error: \(\d{3}\)"),
    (
        "connection closed",
        r"underlying connection was closed|connection was closed|forcibly "
        r"closed|connection was reset|connection was aborted",
    ),
    (
        "service unreachable",
        r"Unable to connect to the remote server|No connection could be made|remote name "
        r"could not be resolved|actively refused",
    ),
    ("timed out", r"\btimed out\b|\btimeout expired"),
    ("service fault", r"Server was unable to process request"),
    (
        "answer could not be read",
        r"not well-formed|error in XML document|Root element is missing|Client found response content type",
    ),
    # .NET's words for what the simulated Web Connector, whose SOAP reader is more tolerant, never runs
    # into: an answer array too short to index, a value that is not there.
    ("array too short", r"Index was outside the bounds of the array"),
    ("null reference", r"Object reference not set to an instance of an object"),
)

#: Any of .NET's phrases (case-insensitive, as people retype them).
DOTNET_WORDS = re.compile("|".join(f"(?:{words})" for _, words in DOTNET_PHRASES), re.I)
