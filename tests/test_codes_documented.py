"""Every HRESULT and QBWC code the simulator can emit, and every assumed log prefix, is in README's table."""

import re
from pathlib import Path

from sim.quickbooks import hresults
from sim.webconnector.vocabulary import ASSUMED_PREFIXES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE = README.split("## Codes and log lines the simulator can emit")[1].split("\n## ")[0]


def test_every_hresult_is_documented():
    codes = {
        f"0x{value:08X}"
        for name, value in vars(hresults).items()
        if name.isupper() and isinstance(value, int) and value > 0x80000000
    }
    assert codes and sorted(code for code in codes if code not in TABLE) == []


def test_every_qbwc_code_in_the_source_is_documented():
    # sim/diagnose reads codes from customers' logs; it emits none.
    source = "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "sim").rglob("*.py") if "diagnose" not in path.parts
    )
    codes = set(re.findall(r"QBWC(1\d{3})", source))
    documented = set(re.findall(r"(?:QBWC|/ )(1\d{3})", TABLE))
    assert codes and sorted(codes - documented) == []


def test_every_assumed_log_prefix_is_documented():
    assert sorted(p.rsplit(".", 1)[-1] for p in ASSUMED_PREFIXES if p.rsplit(".", 1)[-1] not in TABLE) == []
