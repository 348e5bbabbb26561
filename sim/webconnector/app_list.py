r"""The Web Connector's application list, kept in the host's registry.

One key per application under `HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector`
of the Windows user running Web Connector (DOMAIN.md section 4, PG). The list
shown is read from there every time, so deleting an app's key with regedit
(Force Removal) removes the application. `CompanyFile` is the path the file had
when the application was added, which the removal handshake needs (ART: Web
Connector remembers the file; no public source says where, so this value is
assumed); updates do not read it: they open the path authenticate gives. Values of the key itself (not of an
app's subkey) are the Web Connector's own: the global `UpdateLock`,
`CurrentWebServiceName`, `CurrentWebServiceSessionTicket` (FIELD: published
logs) and the log `Level` read at start-up. Which values the key holds is partly
assumed: the remembered company-file path in particular (labelled in DOMAIN.md).
The password is stored obscured (not encrypted: the simulator only needs it out
of plain sight and out of the log).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import RegistryError

if TYPE_CHECKING:
    from sim.webconnector.qwc import QwcFile
    from sim.windows.host import Host

__all__ = ["APPS_KEY", "RegisteredApp", "read_apps", "read_app", "write_app", "obscure", "reveal"]

APPS_KEY = r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector"
_OBSCURE_KEY = b"QBWebConnector-sim"


def obscure(password: str) -> str:
    data = password.encode("utf-8")
    return base64.b64encode(bytes(b ^ _OBSCURE_KEY[i % len(_OBSCURE_KEY)] for i, b in enumerate(data))).decode("ascii")


def reveal(stored: str) -> str:
    data = base64.b64decode(stored.encode("ascii"))
    return bytes(b ^ _OBSCURE_KEY[i % len(_OBSCURE_KEY)] for i, b in enumerate(data)).decode("utf-8")


@dataclass(frozen=True)
class RegisteredApp:
    """A snapshot of one application's registry key."""

    name: str
    app_url: str
    app_support: str
    user_name: str
    owner_id: str
    file_id: str
    company_file: str  # the path when the app was added: used only for the removal handshake (ART; where kept assumed)
    has_password: bool
    every_min: int  # 0: not scheduled
    every_seconds: int
    auto_run: bool
    qb_type: str
    # QWC options with effects (PG Table 4-1, ch.10)
    auth_flags: int = 0  # 0: every edition
    style: str = "Document"
    is_read_only: bool = False
    unattended_mode_pref: str = ""
    personal_data_pref: str = ""

    @property
    def key(self) -> str:
        return f"{APPS_KEY}\\{self.name}"


def _flags(text: str) -> int:
    """AuthFlags as the QWC writes them ("0x6", "6", ""), as a number (read_qwc validated it)."""
    return int(text, 0) if text else 0


def write_app(host: Host, user: str, qwc: QwcFile, company_file: str) -> None:
    key = f"{APPS_KEY}\\{qwc.app_name}"
    registry = host.registry
    for name, value in (
        ("AppName", qwc.app_name),
        ("AppURL", qwc.app_url),
        ("AppSupport", qwc.app_support),
        ("UserName", qwc.user_name),
        ("OwnerID", qwc.owner_id),
        ("FileID", qwc.file_id),
        ("QBType", qwc.qb_type),
        ("CompanyFile", company_file),
        ("Password", ""),
        ("Every_Min", (qwc.run_every_seconds or 0) // 60),
        ("Every_Sec", qwc.run_every_seconds or 0),
        ("Auto-Run", 0),
        ("AuthFlags", _flags(qwc.auth_flags)),
        ("Style", qwc.style or "Document"),
        ("IsReadOnly", int(qwc.is_read_only)),
        ("UnattendedModePref", qwc.unattended_mode_pref),
        ("PersonalDataPref", qwc.personal_data_pref),
    ):
        registry.set_value(key, name, value, user=user)


def read_app(host: Host, user: str, name: str) -> RegisteredApp | None:
    """One application's registry values, as Web Connector reads them (kept until something under the application list's
    key changes)."""
    return host.registry.memo(
        ("app", user.casefold(), name.casefold()), lambda: _read_app(host, user, name), below=APPS_KEY, user=user
    )


def _read_app(host: Host, user: str, name: str) -> RegisteredApp | None:
    key = f"{APPS_KEY}\\{name}"
    if not host.registry.key_exists(key, user):
        return None
    try:
        values = host.registry.values(key, user)
        return RegisteredApp(
            name=str(values.get("AppName", name)),
            app_url=str(values["AppURL"]),
            app_support=str(values.get("AppSupport", "")),
            user_name=str(values["UserName"]),
            owner_id=str(values["OwnerID"]),
            file_id=str(values["FileID"]),
            company_file=str(values.get("CompanyFile", "")),
            has_password=bool(values.get("Password")),
            every_min=int(values.get("Every_Min", 0)),
            every_seconds=int(values.get("Every_Sec", 0)),
            auto_run=bool(values.get("Auto-Run", 0)),
            qb_type=str(values.get("QBType", "QBFS")),
            auth_flags=int(values.get("AuthFlags", 0)),
            style=str(values.get("Style", "Document")),
            is_read_only=bool(values.get("IsReadOnly", 0)),
            unattended_mode_pref=str(values.get("UnattendedModePref", "")),
            personal_data_pref=str(values.get("PersonalDataPref", "")),
        )
    except (KeyError, ValueError) as error:
        raise RegistryError(f"{host.name}: registry key {key!r} of {user} is damaged ({error})") from None


def read_apps(host: Host, user: str) -> list[RegisteredApp]:
    """The application list, as Web Connector shows it: read from the registry now."""

    def read() -> tuple[RegisteredApp, ...]:
        apps = [read_app(host, user, name) for name in host.registry.subkeys(APPS_KEY, user)]
        return tuple(app for app in apps if app is not None)

    return list(host.registry.memo(("apps", user.casefold()), read, below=APPS_KEY, user=user))
