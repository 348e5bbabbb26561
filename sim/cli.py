"""The `wcsim` command: claims report, step catalogue, scenario runs.

`wcsim claims` runs every claim's scenarios now and prints the report (exit 0 only
if every claim holds, 1 otherwise); `wcsim steps` prints each step of the library
with an example taken from the bundled features; `wcsim run` replays a scenario
file (sim.run_command). Bad arguments and bad input files print one line and exit
2; no command ends in a traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"wcsim: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wcsim", description="Simulate QuickBooks Desktop, Web Connector and STRATAFOLIO; check the article's claims.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    claims = commands.add_parser("claims", help="run every claim's scenarios and report which claims hold")
    claims.add_argument("--format", choices=("md", "json", "html"), default="md", help="report format (default md)")
    claims.add_argument("--seed", type=int, default=0, help="seed of the simulated worlds (default 0)")
    claims.add_argument("--output", type=Path, help="write the report to this file instead of standard output")
    commands.add_parser("steps", help="print the Gherkin step catalogue with an example of each step")
    run = commands.add_parser("run", help="run a scenario file and check its expectations")
    run.add_argument("scenario", type=Path, help="a scenarios/*.toml file")
    run.add_argument("--seed", type=int, help="override the scenario's seed")
    run.add_argument("--json", action="store_true", help="print the whole trace as JSON lines instead of the timeline")
    run.add_argument("--log", action="store_true", help="print the QWCLog.txt of every computer that has one")
    run.add_argument("--check-determinism", action="store_true", help="run twice in separate processes with different PYTHONHASHSEED and compare the traces byte for byte")
    sync = commands.add_parser("sync", help="run one update of the simulated Web Connector against a real QBWC web service")
    sync.add_argument("--url", required=True, help="the service's endpoint, e.g. http://127.0.0.1:8000/qbwc")
    sync.add_argument("--user", required=True, help="the user name the service expects in authenticate")
    sync.add_argument("--password", required=True, help="the password (never printed or logged)")
    where = sync.add_mutually_exclusive_group()
    where.add_argument("--scenario", type=Path, help="use this scenario's office (its first company file)")
    where.add_argument("--company-file", help="use the default office with a company file at this path on its server")
    sync.add_argument("--seed", type=int, help="seed of the simulated office")
    sync.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer (default 10)")
    serve = commands.add_parser("serve", help="serve the simulated STRATAFOLIO web service over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--user", help="Web Connector user name to accept (default: the generated one)")
    serve.add_argument("--password", help="its password (default: the generated one)")
    serve.add_argument("--seed", type=int, help="seed of the simulated office")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "claims":
        return _claims(arguments)
    if arguments.command == "run":
        from sim.run_command import run_scenario_command

        return run_scenario_command(arguments)
    if arguments.command in ("sync", "serve"):
        from sim import wire_commands

        return (wire_commands.sync_command if arguments.command == "sync" else wire_commands.serve_command)(arguments)
    if arguments.command == "steps":
        from sim.bdd.catalogue import catalogue_text

        sys.stdout.write(catalogue_text())
        return 0
    return 2


def _claims(arguments: argparse.Namespace) -> int:
    from sim.claims import check_claims, render

    if arguments.output is not None and not arguments.output.parent.is_dir():
        sys.stderr.write(f"wcsim: error: --output: folder {str(arguments.output.parent)!r} does not exist\n")
        return 2
    from sim.errors import SimError

    try:
        verdicts = check_claims(seed=arguments.seed)
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    report = render(verdicts, arguments.format, seed=arguments.seed)
    if arguments.output is not None:
        arguments.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return 0 if all(v.holds for v in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
