"""Text from elsewhere, made safe to show on one line.

Fault strings, getLastError messages, file names and anything else that reaches
the terminal, QWCLog.txt or a report from outside the simulation (a remote
service, a scenario file, a customer's log) goes through `one_line` first: control
characters are written as escapes, so a newline can never forge a separate line
(`outcome: succeeded`, `HOLDS ...`), and the length is capped.
"""

from __future__ import annotations

import re

__all__ = ["one_line"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        char, f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}"
    )


def one_line(text: object, limit: int = 2000) -> str:
    """`text` with control characters escaped, at most `limit` characters (cut with ...)."""
    value = str(text)
    if _CONTROL.search(value):  # most text has none: skip the substitution
        value = _CONTROL.sub(_escape, value)
    return value if len(value) <= limit else value[: max(0, limit - 3)] + "..."
