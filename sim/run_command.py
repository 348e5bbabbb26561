"""`wcsim run SCENARIO.toml`: replay a scenario, print its timeline and verdicts.

Exit codes: 0 every expectation holds, 1 some do not, 2 bad input (the scenario
file, an argument, or an office the scenario cannot build). `--check-determinism`
runs the scenario twice in fresh processes with different PYTHONHASHSEED values
and compares their full output (trace and logs) byte for byte.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from sim.errors import SimError
from sim.text import one_line

__all__ = ["run_scenario_command"]


def _progress(fraction: float) -> None:
    width = 30
    filled = int(width * fraction)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%}")
    if fraction >= 1:
        sys.stderr.write("\r" + " " * (width + 8) + "\r")
    sys.stderr.flush()


def run_scenario_command(arguments: argparse.Namespace) -> int:
    from sim.scenario import load_scenario
    from sim.scenario_run import READABLE_KINDS, ScenarioRun

    from sim.scenario import find_scenario

    arguments.scenario = find_scenario(arguments.scenario)
    try:
        scenario = load_scenario(arguments.scenario)
        if arguments.check_determinism:
            return _check_determinism(arguments)
        run = ScenarioRun(scenario, seed=arguments.seed)
        run.run(progress=_progress if sys.stderr.isatty() else None)
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    out = sys.stdout
    trace = run.world.trace
    if arguments.json:
        out.write(trace.jsonl())
    else:
        data = scenario.data["scenario"]
        out.write(f"# {one_line(data['name'])} (seed {run.world.seed})\n# reproduces: {one_line(data['reproduces'])}\n# source: {one_line(data['source'])}\n\n")
        out.write(trace.text([e for e in trace if e.kind.startswith(READABLE_KINDS)]))
    if arguments.log:
        for host in run.world.hosts.values():
            text = host.qwc_log.text()
            if text:
                out.write(f"\n== QWCLog.txt on {host.name} ==\n{text}")
    verdicts = run.verdicts()
    target = sys.stderr if arguments.json else out
    if verdicts:
        target.write("\nExpectations:\n")
    for verdict in verdicts:
        target.write(f"  {'HOLDS' if verdict.holds else 'FAILS'}  {one_line(verdict.description)}\n         observed: {one_line(verdict.observed)}\n")
    return 0 if all(v.holds for v in verdicts) else 1


def _check_determinism(arguments: argparse.Namespace) -> int:
    outputs = []
    command = [sys.executable, "-m", "sim", "run", str(arguments.scenario), "--json", "--log"]
    if arguments.seed is not None:
        command += ["--seed", str(arguments.seed)]
    for hash_seed in ("1", "2"):
        done = subprocess.run(command, capture_output=True, env={**os.environ, "PYTHONHASHSEED": hash_seed}, timeout=1800)
        if done.returncode == 2:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            return 2
        outputs.append(done.stdout)
    first, second = outputs
    if first == second:
        sys.stdout.write(f"deterministic: two runs (PYTHONHASHSEED=1 and 2) gave {len(first):,} identical bytes of trace and log\n")
        return 0
    at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), min(len(first), len(second)))
    line = first[:at].count(b"\n") + 1
    sys.stdout.write(f"NOT deterministic: the runs differ from byte {at:,} (line {line}) on\n")
    return 1
