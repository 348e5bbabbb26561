"""A Windows registry per host: HKEY_LOCAL_MACHINE and one HKEY_CURRENT_USER per Windows user.

Keys are case-insensitive paths of names; values are typed (REG_SZ for text,
REG_DWORD for integers, REG_BINARY for bytes). The Web Connector keeps its
application list here, so deleting an app's key (Force Removal) removes the app
from the list, as on Windows. `export` writes `.reg` text like regedit does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sim.errors import RegistryError

__all__ = ["Registry", "RegistryValue"]

Data = str | int | bytes

_ROOT_ALIASES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER",
    "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
}


@dataclass(frozen=True)
class RegistryValue:
    name: str
    data: Data

    @property
    def type(self) -> str:
        if isinstance(self.data, bool) or isinstance(self.data, int):
            return "REG_DWORD"
        if isinstance(self.data, bytes):
            return "REG_BINARY"
        return "REG_SZ"


@dataclass
class _Key:
    name: str
    values: dict[str, RegistryValue] = field(default_factory=dict)
    subkeys: dict[str, _Key] = field(default_factory=dict)
    #: The registry's change count when something below this key last changed (a subkey's
    #: values, a subkey added or removed; not this key's own values).
    changed_below: int = 0


class Registry:
    """The registry of one host."""

    def __init__(self, host_name: str) -> None:
        self.host_name = host_name
        self._machine = _Key("HKEY_LOCAL_MACHINE")
        self._users: dict[str, _Key] = {}
        #: Counts every change; what is read from the registry and kept (`memo`) is current
        #: only while this (or, for a memo that watches a key, what changed below it) has not moved.
        self.writes = 0
        self.deletions = 0
        self._memo: dict[Any, tuple[int, _Key | None, int, Any]] = {}

    def memo(self, key: Any, read: Callable[[], Any], below: str | None = None, user: str | None = None) -> Any:
        """`read()`, kept until the next change to this registry or, if `read` looks only below
        the key `below`, the next change below it: Web Connector's scheduler reads the application
        list every few seconds, it changes a few times a month, and every update session writes
        the UpdateLock value beside it (on the key itself, not below)."""
        kept = self._memo.get(key)
        if kept is not None:
            deletions, watched, stamp, value = kept
            if deletions == self.deletions and stamp == (self.writes if watched is None else watched.changed_below):
                return value
        watched = self._find(below, user) if below is not None else None
        value = read()
        self._memo[key] = (self.deletions, watched, self.writes if watched is None else watched.changed_below, value)
        return value

    # --- paths -------------------------------------------------------------------------
    def _split(self, path: str, user: str | None) -> tuple[_Key, list[str], str]:
        parts = [p for p in str(path).replace("/", "\\").split("\\") if p]
        if not parts or parts[0].upper() not in _ROOT_ALIASES:
            raise RegistryError(
                f"{self.host_name}: registry path {path!r} must start with HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER"
            )
        root_name = _ROOT_ALIASES[parts[0].upper()]
        if root_name == "HKEY_LOCAL_MACHINE":
            return self._machine, parts[1:], root_name
        if not user:
            raise RegistryError(f"{self.host_name}: {path!r} is under HKEY_CURRENT_USER: say which Windows user")
        root = self._users.setdefault(user.casefold(), _Key("HKEY_CURRENT_USER"))
        return root, parts[1:], root_name

    def _find(self, path: str, user: str | None, create: bool = False, changing: bool = False) -> _Key | None:
        """The key at `path`; with `changing`, every key above it notes that something below changed."""
        key, names, _ = self._split(path, user)
        for name in names:
            if changing:
                key.changed_below = self.writes
            child = key.subkeys.get(name.casefold())
            if child is None:
                if not create:
                    return None
                child = key.subkeys[name.casefold()] = _Key(name)
            key = child
        return key

    # --- reading -------------------------------------------------------------------------
    def key_exists(self, path: str, user: str | None = None) -> bool:
        return self._find(path, user) is not None

    def subkeys(self, path: str, user: str | None = None) -> list[str]:
        key = self._find(path, user)
        return [] if key is None else sorted((k.name for k in key.subkeys.values()), key=str.casefold)

    def values(self, path: str, user: str | None = None) -> dict[str, Data]:
        key = self._find(path, user)
        if key is None:
            raise RegistryError(f"{self.host_name}: registry key {path!r} does not exist")
        return {v.name: v.data for v in sorted(key.values.values(), key=lambda v: v.name.casefold())}

    def get_value(self, path: str, name: str, user: str | None = None, default: Data | None = None) -> Data | None:
        key = self._find(path, user)
        if key is None:
            return default
        value = key.values.get(name.casefold())
        return default if value is None else value.data

    # --- writing -------------------------------------------------------------------------
    def set_value(self, path: str, name: str, data: Data, user: str | None = None) -> None:
        if not isinstance(data, (str, int, bytes)):
            raise RegistryError(
                f"{self.host_name}: {path}\\{name}: registry values are text, integers or bytes, "
                f"not {type(data).__name__}"
            )
        self.writes += 1
        key = self._find(path, user, create=True, changing=True)
        assert key is not None  # create=True makes every missing key on the way
        key.values[name.casefold()] = RegistryValue(name, data)

    def delete_key(self, path: str, user: str | None = None) -> None:
        """Delete a key and everything below it, as regedit's Delete does."""
        root, names, _ = self._split(path, user)
        if not names:
            raise RegistryError(f"{self.host_name}: cannot delete a registry root ({path!r})")
        parent = self._find("\\".join([path.replace("/", "\\").split("\\")[0]] + names[:-1]), user)
        if parent is None or parent.subkeys.pop(names[-1].casefold(), None) is None:
            raise RegistryError(f"{self.host_name}: registry key {path!r} does not exist")
        self.writes += 1
        self.deletions += 1  # a memo may watch a key that is now gone

    # --- export ----------------------------------------------------------------------------
    def export(self, path: str, user: str | None = None) -> str:
        """The key and its subkeys as the text of a `.reg` file."""
        key = self._find(path, user)
        if key is None:
            raise RegistryError(f"{self.host_name}: registry key {path!r} does not exist")
        _, names, root_name = self._split(path, user)
        lines = ["Windows Registry Editor Version 5.00", ""]
        self._export_key(key, "\\".join([root_name] + names), lines)
        return "\r\n".join(lines) + "\r\n"

    def _export_key(self, key: _Key, full_path: str, lines: list[str]) -> None:
        lines.append(f"[{full_path}]")
        for value in sorted(key.values.values(), key=lambda v: v.name.casefold()):
            lines.append(f"{_reg_quote(value.name)}={_reg_data(value)}")
        lines.append("")
        for child in sorted(key.subkeys.values(), key=lambda k: k.name.casefold()):
            self._export_key(child, f"{full_path}\\{child.name}", lines)


def _reg_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reg_data(value: RegistryValue) -> str:
    if value.type == "REG_DWORD":
        return f"dword:{int(value.data) & 0xFFFFFFFF:08x}"
    if value.type == "REG_BINARY":
        return "hex:" + ",".join(f"{b:02x}" for b in cast(bytes, value.data))
    return _reg_quote(cast(str, value.data))
