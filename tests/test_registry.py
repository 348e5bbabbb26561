"""The per-host registry: HKLM, HKCU per Windows user, delete, .reg export."""

import pytest

from sim.errors import RegistryError
from sim.windows.registry import Registry

KEY = r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector\App One"


def test_values_per_user_and_case_insensitive_paths():
    registry = Registry("SRV")
    registry.set_value(KEY, "Every_Min", 5, user="alice")
    assert registry.get_value(r"hkcu\software\intuit\qbwebconnector\APP ONE", "every_min", user="Alice") == 5
    assert registry.get_value(KEY, "Every_Min", user="bob") is None


def test_hkcu_needs_a_user_and_paths_need_a_root():
    registry = Registry("SRV")
    with pytest.raises(RegistryError, match="say which Windows user"):
        registry.set_value(KEY, "x", "y")
    with pytest.raises(RegistryError, match="must start with"):
        registry.set_value(r"Software\Intuit", "x", "y")


def test_delete_key_removes_subkeys_and_missing_keys_are_errors():
    registry = Registry("SRV")
    registry.set_value(KEY + r"\Sub", "x", "y", user="alice")
    registry.delete_key(KEY, user="alice")
    assert not registry.key_exists(KEY + r"\Sub", user="alice")
    assert registry.subkeys(r"HKCU\Software\Intuit\QBWebConnector", user="alice") == []
    with pytest.raises(RegistryError, match="does not exist"):
        registry.delete_key(KEY, user="alice")


def test_export_writes_reg_text():
    registry = Registry("SRV")
    registry.set_value(KEY, "AppURL", "https://x.example.com/", user="alice")
    registry.set_value(KEY, "Every_Min", 15, user="alice")
    text = registry.export(KEY, user="alice")
    assert text.startswith("Windows Registry Editor Version 5.00\r\n")
    assert "[HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\App One]" in text
    assert '"Every_Min"=dword:0000000f' in text
    assert '"AppURL"="https://x.example.com/"' in text


def test_values_must_be_text_numbers_or_bytes():
    with pytest.raises(RegistryError, match="not list"):
        Registry("SRV").set_value(r"HKLM\Software\X", "v", [1])
