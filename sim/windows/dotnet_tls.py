r"""Which TLS versions a computer's .NET Framework offers, and the handshake a service refuses when it accepts none.

The Web Connector is a .NET Framework program: its https connections are opened by .NET, which
offers the TLS versions the computer's .NET settings allow. For a program built for .NET 4.5.2 or
earlier these come from the DWORD `SchUseStrongCrypto` under
HKLM\SOFTWARE\[WOW6432Node\]Microsoft\.NETFramework\v4.0.30319: 1 makes .NET use strong
cryptography (TLS 1.2 and 1.1) and block older protocols, 0 leaves it offering only the old ones
(SSL 3.0 and TLS 1.0); for programs built for .NET 4.6 or later it defaults to 1 (FIELD: Microsoft's
knowledge base as RapidIdentity's "Enforcing UseStrongCrypto & TLS 1.2" quotes it; Messageware's
TLS 1.2 guide sets it under both keys; tests/data/dotnet_tls.md). The Web Connector installs under
Program Files (x86), so as a 32-bit process it reads the WOW6432Node key (assumed from where it is
installed; the vendors' fix sets both keys anyway). A computer with no value offers TLS 1.2
(assumed: a current Windows and .NET, the default above).

A service that accepts only TLS 1.2 or newer refuses a handshake offering only TLS 1.0, before any
certificate or HTTP is exchanged, and .NET reports "The request was aborted: Could not create
SSL/TLS secure channel." (FIELD: softwerkab/fortnox-csharp-api-sdk#93, "The server accepts only
TLS v1.2+", fixed by TLS 1.2; AuthorizeNet/sdk-dotnet#199, TLS 1.0 and 1.1 disabled on the
server). Which version each service accepts at least is the service's own state (`minimum_tls`).
The setting is read when the Web Connector opens a connection for an update (real .NET reads it
once per process, so the vendors say to restart the program after changing it: assumed the same
here, since an update session opens the connection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.errors import ConfigurationError

if TYPE_CHECKING:
    from sim.windows.host import Host

__all__ = [
    "DOTNET_KEY",
    "DOTNET_KEY_32BIT",
    "STRONG_CRYPTO",
    "TLS_VERSIONS",
    "SECURE_CHANNEL_FAILED",
    "offered_tls",
    "set_dotnet_tls",
    "handshake_refusal",
    "Refusal",
]

DOTNET_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\.NETFramework\v4.0.30319"
DOTNET_KEY_32BIT = r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319"
STRONG_CRYPTO = "SchUseStrongCrypto"
#: The TLS versions a computer can be said to offer at most, or a service to accept at least, oldest first.
TLS_VERSIONS = ("1.0", "1.1", "1.2")
#: .NET's words for a handshake the service refused (FIELD: tests/data/dotnet_tls.md, with URLs).
SECURE_CHANNEL_FAILED = "The request was aborted: Could not create SSL/TLS secure channel."


def offered_tls(host: Host) -> str:
    """The newest TLS version the Web Connector's .NET on `host` offers: "1.2" with strong cryptography
    (SchUseStrongCrypto 1, or no value), "1.0" without it (SchUseStrongCrypto 0). Kept until something
    changes under HKEY_LOCAL_MACHINE (every update session asks; the UpdateLock it writes is the user's)."""

    def read() -> str:
        return "1.0" if host.registry.get_value(DOTNET_KEY_32BIT, STRONG_CRYPTO) == 0 else "1.2"

    return host.registry.memo("offered_tls", read, below="HKEY_LOCAL_MACHINE")


def set_dotnet_tls(host: Host, version: str) -> None:
    """The computer's .NET offers at most `version`: "1.0" is an old .NET left without strong
    cryptography (SchUseStrongCrypto 0), "1.2" the vendors' fix (SchUseStrongCrypto 1 under both keys)."""
    if version not in ("1.0", "1.2"):
        raise ValueError(f"the computer's .NET can be set to offer TLS 1.0 or 1.2, not {version!r}")
    strong = 1 if version == "1.2" else 0
    for key in (DOTNET_KEY, DOTNET_KEY_32BIT):
        host.registry.set_value(key, STRONG_CRYPTO, strong)
    host.world.record(
        host.name, "windows.dotnet_tls", source="FIELD", offers=f"TLS {version}", value=f"{STRONG_CRYPTO}={strong}"
    )


@dataclass(frozen=True)
class Refusal:
    """A TLS handshake the service refuses: the newest version the computer offers, and the service's minimum."""

    offered: str
    minimum: str


def handshake_refusal(host: Host, service: Any, url: str) -> Refusal | None:
    """What the Web Connector on `host` meets in the TLS handshake of an https connection to `service`
    at `url`: a refusal when the newest TLS its .NET offers is older than the service's minimum, else
    None. (Only https connections have a handshake, after the port: the Web Connector's transport
    asks in that order.)"""
    minimum = getattr(service, "minimum_tls", "")
    if not minimum:
        return None
    if minimum not in TLS_VERSIONS:
        raise ConfigurationError(f"{url}: unknown TLS version {minimum!r} (known: {', '.join(TLS_VERSIONS)})")
    offered = offered_tls(host)
    if TLS_VERSIONS.index(offered) >= TLS_VERSIONS.index(minimum):
        return None
    return Refusal(offered, minimum)
