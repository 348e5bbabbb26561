"""Same seed, same trace: byte for byte, in this process and in others with other hash seeds."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from sim.office import reference_office

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = (
    "import hashlib\n"
    "from sim.office import reference_office\n"
    "office = reference_office(seed=42)\n"
    "office.world.run(until='2026-01-05 13:00')\n"
    "text = office.world.trace.jsonl() + office.server.qwc_log.text()\n"
    "print(hashlib.sha256(text.encode()).hexdigest(), len(office.world.trace))\n"
)


def fingerprint(seed: int) -> tuple[str, int]:
    office = reference_office(seed=seed)
    office.world.run(until="2026-01-05 13:00")
    text = office.world.trace.jsonl() + office.server.qwc_log.text()
    return hashlib.sha256(text.encode()).hexdigest(), len(office.world.trace)


def test_same_seed_gives_the_same_trace_and_log():
    first, second = fingerprint(42), fingerprint(42)
    assert first == second
    assert first[1] > 300  # a busy morning, not an empty trace


def test_another_seed_gives_another_trace():
    assert fingerprint(42)[0] != fingerprint(43)[0]


def test_same_trace_in_processes_with_different_hash_seeds():
    outputs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout.strip())
    digest, count = fingerprint(42)
    assert outputs == {f"{digest} {count}"}
