"""README's measured figures come from `bench/refresh_readme.py`, which rewrites only its own section."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("refresh_readme", ROOT / "bench" / "refresh_readme.py")
refresh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refresh)


def test_only_the_marked_section_is_rewritten():
    readme = f"intro\n{refresh.START}\nold figures\n{refresh.END}\nafter\n"
    new = refresh.section([("suite", "1.0 s wall; 3 passed")], "2 cores", "2026-11-27")
    result = refresh.replace_section(readme, new)
    assert result.startswith("intro\n") and result.endswith("\nafter\n") and "old figures" not in result
    assert "| suite | 1.0 s wall; 3 passed |" in result and "Machine: 2 cores" in result


def test_the_readme_has_the_section_the_script_refreshes():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(refresh.START) == 1 and text.count(refresh.END) == 1
