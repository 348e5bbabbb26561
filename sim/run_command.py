"""`wcsim run SCENARIO.toml`: replay a scenario, print its timeline and verdicts.

Exit codes: 0 every expectation holds, 1 some do not, 2 bad input (the scenario
file, an argument, or an office the scenario cannot build). `--check-determinism`
runs the scenario twice in fresh processes with different PYTHONHASHSEED values
and compares their full output (trace and logs) byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from sim.console import print_verdicts, progress_bar
from sim.errors import SimError
from sim.output_files import OutputError, output_problem, write_output
from sim.text import one_line

__all__ = ["run_scenario_command"]


def _service_option(arguments: argparse.Namespace):
    """The --service options as a ServiceOption (None without --service); a problem is one line."""
    from sim.scenario_run import ServiceOption
    from sim.wire_commands import service_options_problem

    service = getattr(arguments, "service", None)
    problem = service_options_problem(
        service,
        getattr(arguments, "user", None),
        getattr(arguments, "password", None),
        getattr(arguments, "adapter", None),
    )
    if problem:
        raise SimError(problem)
    if service is None:
        return None
    if arguments.check_determinism:
        raise SimError(
            "--check-determinism cannot be used with --service: a real service's answers and timing are its own"
        )
    return ServiceOption(
        service, arguments.user or "", arguments.password or "", arguments.adapter or "", arguments.service_timeout
    )


def run_scenario_command(arguments: argparse.Namespace) -> int:
    from sim.scenario import find_scenario, load_scenario
    from sim.scenario_run import READABLE_KINDS, ScenarioRun

    try:
        service = _service_option(arguments)
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    arguments.scenario = find_scenario(arguments.scenario)
    # Refused before a long run, not after: each output names a writable file on disk that is
    # neither the scenario nor the other output.
    outputs = (("--trace-file", arguments.trace_file), ("--html", arguments.html))
    for number, (option, path) in enumerate(outputs):
        others = (("the scenario file", arguments.scenario),) + tuple(
            (f"the {o} file", p) for o, p in outputs[:number] if p is not None
        )
        problem = output_problem(option, path, others) if path is not None else ""
        if problem:
            sys.stderr.write(f"wcsim: error: {problem}\n")
            return 2
    try:
        scenario = load_scenario(arguments.scenario)
        if arguments.check_determinism:
            return _check_determinism(arguments)
        run = ScenarioRun(scenario, seed=arguments.seed, service=service)
        try:
            if arguments.trace_file is not None:
                try:
                    run.world.trace.spill_to(arguments.trace_file)
                except OSError as error:  # opening the trace file: what the checks above could not foresee
                    sys.stderr.write(
                        f"wcsim: error: --trace-file {str(arguments.trace_file)!r}: cannot write: "
                        f"{error.strerror or error}\n"
                    )
                    return 2
            with progress_bar(f"simulating {scenario.data['scenario']['duration']}") as progress:
                run.run(progress=progress)
        finally:
            run.close_services()
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    out = sys.stdout
    trace = run.world.trace
    trace.spill_all()  # with --trace-file, the file holds the whole trace
    if trace.spill_error is not None:  # the verdicts would be read back from a file that lacks events
        sys.stderr.write(
            f"wcsim: error: --trace-file {str(arguments.trace_file)!r}: cannot write: "
            f"{trace.spill_error.strerror or trace.spill_error}\n"
        )
        return 2
    verdicts = run.verdicts()
    checks = run.service_checks() if run.bindings else []
    if arguments.html is not None:
        from sim.report.page import scenario_page

        try:
            write_output("--html", arguments.html, scenario_page(run, verdicts))
        except OutputError as error:
            sys.stderr.write(f"wcsim: error: {error}\n")
            return 2
    logs = {host.name: host.qwc_log.text() for host in run.world.hosts.values()} if arguments.log else {}
    if arguments.json:
        # JSON lines only: the trace, each QWCLog.txt as a record, the verdicts last.
        out.write(trace.jsonl())
        for name, text in logs.items():
            if text:
                out.write(json.dumps({"qwclog": {"host": name, "text": text}}, ensure_ascii=False) + "\n")
        if run.bindings:
            sessions = [s.as_dict() for s in run.service_sessions()]
            out.write(
                json.dumps(
                    {"service": {"sessions": sessions, "checks": [c.as_dict() for c in checks]}}, ensure_ascii=False
                )
                + "\n"
            )
        out.write(
            json.dumps(
                {
                    "verdicts": [
                        {"expectation": v.description, "holds": v.holds, "observed": v.observed} for v in verdicts
                    ]
                },
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        data = scenario.data["scenario"]
        out.write(
            f"# {one_line(data['name'])} (seed {run.world.seed})\n# reproduces: "
            f"{one_line(data['reproduces'])}\n# source: {one_line(data['source'])}\n\n"
        )
        out.write(trace.text([e for e in trace if e.kind.startswith(READABLE_KINDS)]))
        for name, text in logs.items():
            if text:
                out.write(f"\n== QWCLog.txt on {name} ==\n{text}")
        if run.bindings:
            out.write(service_report(run.service_sessions(), checks))
        print_verdicts(verdicts, out)
    # A check the scenario's expectations do not name still counts: a violated one fails the run.
    named = {item["check"] for item in scenario.data.get("expect", []) if item["kind"] == "service_check"}
    unnamed_violations = [c for c in checks if c.status == "violated" and c.id not in named and "all" not in named]
    return 0 if all(v.holds for v in verdicts) and not unnamed_violations else 1


def service_report(sessions, checks) -> str:
    """The sessions that went to real services, how each ended, and the checks of their conduct."""
    lines = [f"\n== sessions with the real service ({len(sessions)}) =="]
    for session in sessions:
        data = session.as_dict()
        ended = f"{data['outcome']} {data['code']}".strip() or "unfinished"
        lines.append(
            f"#{data['number']:<4} {data['started']:>10.1f}s  {data['trigger']:<9} "
            f"{one_line(data['app'], 40)} on {data['host']}: {one_line(ended, 80)}"
            f" ({data['calls']} calls, last {data['last_call'] or '-'}, {data['wall_ms']:.0f} ms)"
        )
    lines.append("\n== service checks ==")
    for check in checks:
        lines.append(
            f"{check.status.upper():<12} {check.id}: {check.title}"
            + (f" [{one_line(check.note, 200)}]" if check.note else "")
        )
        for finding in check.findings:
            lines.append(f"    - {one_line(finding, 400)}")
        if check.found > len(check.findings):
            lines.append(f"    ... and {check.found - len(check.findings)} more")
    return "\n".join(lines) + "\n"


def _check_determinism(arguments: argparse.Namespace) -> int:
    outputs = []
    command = [sys.executable, "-m", "sim", "run", str(arguments.scenario), "--json", "--log"]
    if arguments.seed is not None:
        command += ["--seed", str(arguments.seed)]
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            command, capture_output=True, env={**os.environ, "PYTHONHASHSEED": hash_seed}, timeout=1800
        )
        if done.returncode == 2:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            return 2
        outputs.append(done.stdout)
    first, second = outputs
    if first == second:
        sys.stdout.write(
            f"deterministic: two runs (PYTHONHASHSEED=1 and 2) gave {len(first):,} identical bytes of trace and log\n"
        )
        return 0
    at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), min(len(first), len(second)))
    line = first[:at].count(b"\n") + 1
    sys.stdout.write(f"NOT deterministic: the runs differ from byte {at:,} (line {line}) on\n")
    return 1
