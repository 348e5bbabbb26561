"""Security software on a Windows computer: an antivirus web shield, a firewall or a proxy between its
programs and the internet.

When it takes against a program (a new definition update, a tightened firewall rule, a TLS-inspecting
proxy), that program's connections are closed before any answer comes back, every call alike. The
field reports it for the Web Connector as failures from the very first call, serverVersion, in .NET's
words ("The underlying connection was closed: ..."), and vendors list "firewall or antivirus settings
changed" and "allow the Web Connector through any firewall or security software" as cause and fix
(FIELD: Expensify's sync troubleshooting, SmartVault's antivirus exception; consolibyte/quickbooks-php#240
for the message; tests/data/vendor_pages/). Which programs it singles out is the office's to say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.parts import Host

__all__ = ["SecuritySoftware", "CLOSED_MESSAGE", "WEB_CONNECTOR_PROGRAM"]

WEB_CONNECTOR_PROGRAM = "QBWebConnector.exe"
#: What .NET (and so the Web Connector) reports for a connection the software closed (FIELD).
CLOSED_MESSAGE = "The underlying connection was closed: An unexpected error occurred on a receive."


class SecuritySoftware:
    """The security software of one computer: which programs' connections it closes."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.blocked: set[str] = set()

    def block(self, program: str) -> None:
        self.blocked.add(program.casefold())
        self.host.world.record(self.host.name, "windows.security_blocks", source="FIELD", program=program)

    def allow(self, program: str) -> None:
        """The program is added to the software's exceptions (the vendors' fix)."""
        self.blocked.discard(program.casefold())
        self.host.world.record(self.host.name, "windows.security_allows", source="FIELD", program=program)

    def closes(self, program: str) -> bool:
        return program.casefold() in self.blocked
