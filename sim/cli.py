"""The `wcsim` command: claims report, step catalogue, scenario runs.

`wcsim claims` runs every claim's scenarios now and prints the report (exit 0 only
if every claim holds, 1 otherwise); `wcsim steps` prints each step of the library
with an example taken from the bundled features; `wcsim run` replays a scenario
file (sim.run_command). Bad arguments and bad input files print one line and exit
2; no command ends in a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["main"]


class _PipeSafe:
    """Standard output that survives a reader going away (`wcsim run X | head -1`):
    writes after a broken pipe are dropped, so the command still finishes and exits
    with its own code instead of a BrokenPipeError traceback."""

    def __init__(self, stream) -> None:
        self._stream, self.broken = stream, False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        self.broken = True
        # Point the descriptor at /dev/null so the interpreter's own flush at exit is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _in_range(cast, low, high, what: str):
    """An argparse type: `cast` of the text, within low..high, or a one-line error naming both."""

    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not {what} ({low}-{high})")
        return value

    return parse


_port = _in_range(int, 0, 65535, "a port number")
_positive_seconds = _in_range(float, 0.01, 3600, "a number of seconds")
_seed = _in_range(int, 0, 2**63 - 1, "a seed (a whole number)")


def _seed_range(text: str) -> range:
    """FIRST-LAST (at most 1,000 seeds), or one seed."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a range of seeds like 0-49") from None
    if not 0 <= low <= high or high - low >= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a range of seeds like 0-49 (at most 1,000 seeds)")
    return range(low, high + 1)


def _log_time(text: str):
    """An argparse type: a moment in a QWCLog.txt's time (UTC), "YYYY-MM-DD HH:MM[:SS]"."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(text.strip())
        return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f'{text!r} is not a time like "2026-01-05 19:00" (UTC)') from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"wcsim: error: {message}\n")


def _service_options(parser: argparse.ArgumentParser, title: str, user: str, adapter: str) -> Any:
    """The options naming a real web service in place of the simulated STRATAFOLIO (claims, run)."""
    real = parser.add_argument_group(title)
    real.add_argument("--service", metavar="URL", help="the service's endpoint, e.g. http://127.0.0.1:8000/qbwc")
    real.add_argument("--user", help=user)
    real.add_argument("--password", help="its password (never printed or logged)")
    real.add_argument("--adapter", metavar="MODULE:CLASS", help=adapter)
    return real


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wcsim",
        description="Simulate QuickBooks Desktop, Web Connector and STRATAFOLIO; check the article's claims.",
    )
    parser.add_argument("--version", action="version", version=f"wcsim {_version()}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    claims = commands.add_parser(
        "claims",
        help="run every claim's scenarios and report which claims hold",
        description="Example: wcsim claims --format html --output report.html",
    )
    claims.add_argument("--format", choices=("md", "json", "html"), default="md", help="report format (default md)")
    claims.add_argument("--seed", type=_seed, default=0, help="seed of the simulated worlds (default 0)")
    claims.add_argument("--output", type=Path, help="write the report to this file instead of standard output")
    claims.add_argument(
        "--boundaries",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="vary the office around each claim (where Web Connector runs, who works where, "
        "which step is skipped, ...) and report where each holds; the tiers need it "
        "(default: on, and off with --service; --no-boundaries leaves it out)",
    )
    claims.add_argument(
        "--seeds",
        type=_seed_range,
        metavar="FIRST-LAST",
        help="also run every claim over these seeds (e.g. 0-49) and report how often each held",
    )
    _service_options(
        claims,
        "a real web service in place of the simulated STRATAFOLIO (claims its adapter cannot act on are 'not checked')",
        user="the Web Connector user name it accepts",
        adapter="a sim.stratafolio.adapter.ServiceAdapter for its admin side",
    )
    commands.add_parser(
        "steps",
        help="print the Gherkin step catalogue with an example of each step",
        description="Example: wcsim steps | less",
    )
    run = commands.add_parser(
        "run",
        help="run a scenario file and check its expectations",
        description="Example: wcsim run rename-company-file --log",
    )
    run.add_argument(
        "scenario", type=Path, help="a scenario file, or the name of a bundled one (see `wcsim scenarios`)"
    )
    run.add_argument("--seed", type=_seed, help="override the scenario's seed")
    run.add_argument("--json", action="store_true", help="print the whole trace as JSON lines instead of the timeline")
    run.add_argument("--log", action="store_true", help="print the QWCLog.txt of every computer that has one")
    run.add_argument(
        "--check-determinism",
        action="store_true",
        help="run twice in separate processes with different PYTHONHASHSEED and compare the traces byte for byte",
    )
    run.add_argument(
        "--trace-file",
        type=Path,
        metavar="FILE",
        help="stream the trace to FILE (JSON lines, each event as --json prints it plus its "
        "simulated second) and keep only its last events in memory, for runs of months",
    )
    run.add_argument(
        "--html",
        type=Path,
        metavar="OUT",
        help="also write a page with the verdicts, the timeline as a picture and the logs",
    )
    real = _service_options(
        run,
        "a real web service in place of the simulated STRATAFOLIO (every session of every "
        "integration goes to it over HTTP)",
        user="the Web Connector user name the service accepts (one computer for every integration)",
        adapter="a sim.stratafolio.adapter.ServiceAdapter for the service's admin side "
        "(authorize, delete, download QWC, invoices)",
    )
    real.add_argument(
        "--service-timeout",
        type=_in_range(float, 1, 3600, "seconds"),
        default=60.0,
        metavar="SECONDS",
        help="wall-clock seconds one session may take (default 60)",
    )
    sync = commands.add_parser(
        "sync",
        help="run one update of the simulated Web Connector against a real QBWC web service",
        description="Example: wcsim sync --url http://127.0.0.1:8000/qbwc --user qbwc --password s3cret",
    )
    sync.add_argument("--url", required=True, help="the service's endpoint, e.g. http://127.0.0.1:8000/qbwc")
    sync.add_argument("--user", required=True, help="the user name the service expects in authenticate")
    sync.add_argument("--password", required=True, help="the password (never printed or logged)")
    where = sync.add_mutually_exclusive_group()
    where.add_argument("--scenario", type=Path, help="use this scenario's office (its first company file)")
    where.add_argument("--company-file", help="use the default office with a company file at this path on its server")
    sync.add_argument("--seed", type=_seed, help="seed of the simulated office")
    sync.add_argument(
        "--style",
        choices=("Document", "DocWrapped", "RPC"),
        default="Document",
        help="the QWC's Style: the SOAP envelopes sent (default Document)",
    )
    sync.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=60.0,
        help="wall-clock seconds the whole session may take, every callback's connect, send and answer included; "
        "a service that answers slowly or drip-feeds bytes is cut off when it runs out (default 60, at most 3600)",
    )
    commands.add_parser(
        "scenarios",
        help="list the bundled reproductions and what each reproduces",
        description="Example: wcsim scenarios",
    )
    new = commands.add_parser(
        "new",
        help="write a commented starting scenario file",
        description="Example: wcsim new scenario nightly-sync-stops && wcsim run nightly-sync-stops.toml",
    )
    new.add_argument("what", choices=("scenario",), help="what to write (a scenario file)")
    new.add_argument("name", help="its name: NAME.toml is written (letters, digits, - and _)")
    new.add_argument("--folder", type=Path, default=Path("."), help="where to write it (default: here)")
    validate = commands.add_parser(
        "validate",
        help="check scenario files without running their timelines (exit 2 if any is bad)",
        description="Checks each file against the schema and builds its office (which links its "
        "files). Example: wcsim validate scenarios/*.toml",
    )
    validate.add_argument("files", nargs="+", type=Path, help="scenario files or bundled names")
    diagnose = commands.add_parser(
        "diagnose",
        help="read a customer's QWCLog.txt: its sessions, the cause of its failure (found by simulation), the fix",
        description="Example: wcsim diagnose QWCLog.txt --scenario repro.toml && wcsim run repro.toml",
    )
    diagnose.add_argument("log", help="a QWCLog.txt file, or - for standard input (pasted text is fine)")
    diagnose.add_argument("--scenario", type=Path, help="write the top cause's reproduction to this scenario file")
    diagnose.add_argument("--json", action="store_true", help="print sessions, signature and ranked causes as JSON")
    diagnose.add_argument(
        "--workers",
        type=int,
        default=2,
        choices=range(1, 17),
        metavar="N",
        help="worker processes for the simulations (default 2)",
    )
    diagnose.add_argument(
        "--copied-at",
        type=_log_time,
        metavar='"YYYY-MM-DD HH:MM"',
        help="when the log was copied, in UTC as its stamps (the log cannot show that "
        "scheduled runs stopped and have not come back)",
    )
    explore = commands.add_parser(
        "explore",
        help="generate random office histories, check invariants, shrink and classify what breaks them",
        description="Example: wcsim explore --budget 2000 --seed 0 --workers 2 --out findings/",
    )
    explore.add_argument(
        "--budget",
        type=_in_range(int, 1, 10_000_000, "a number of histories"),
        default=200,
        help="histories to run in all (default 200)",
    )
    explore.add_argument(
        "--seed", type=_seed, default=0, help="seed of the search (default 0): the same seed finds the same histories"
    )
    explore.add_argument(
        "--workers",
        type=_in_range(int, 1, 256, "a number of workers"),
        default=1,
        help="independent searches run at once (default 1)",
    )
    explore.add_argument(
        "--out",
        type=Path,
        help="folder for each finding's scenario file, findings.feature and Hypothesis' example database",
    )
    explore.add_argument(
        "--executor",
        choices=("processes", "dask"),
        default="processes",
        help="worker processes here, or a Dask cluster (default processes)",
    )
    explore.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster of --workers)",
    )
    explore.add_argument(
        "--explorer",
        choices=("branching", "replay"),
        default="branching",
        help="branch each history from the healthy office simulated once (default), or replay "
        "each from its scenario file (the explorer before issue 26)",
    )
    explore.add_argument(
        "--guidance",
        action="store_true",
        help="steer Hypothesis towards histories that reach new (session state, office "
        "condition) pairs (off by default: it found seeded bugs later)",
    )
    serve = commands.add_parser(
        "serve",
        help="serve the simulated STRATAFOLIO web service over HTTP",
        description="Example: wcsim serve --port 8000",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--user", help="Web Connector user name to accept (default: the generated one)")
    serve.add_argument("--password", help="its password (default: the generated one)")
    serve.add_argument("--seed", type=_seed, help="seed of the simulated office")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wcsim")
    except PackageNotFoundError:
        return "(not installed)"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:  # bare `wcsim`: what it can do
        parser.print_help()
        return 0
    stdout = sys.stdout
    sys.stdout = _PipeSafe(stdout)
    try:
        return _dispatch(arguments)
    except KeyboardInterrupt:
        sys.stderr.write("wcsim: interrupted\n")
        return 2
    except Exception as error:  # noqa: BLE001 - the last resort: one line, never a traceback
        if os.environ.get("WCSIM_DEBUG"):
            raise
        from sim.text import one_line

        sys.stderr.write(
            f"wcsim: internal error: {type(error).__name__}: {one_line(error, 300)} (a bug in "
            "wcsim: please report it; WCSIM_DEBUG=1 shows the traceback)\n"
        )
        return 2
    finally:
        sys.stdout.flush()
        sys.stdout = stdout


def _dispatch(arguments: argparse.Namespace) -> int:
    if arguments.command == "claims":
        return _claims(arguments)
    if arguments.command == "run":
        from sim.run_command import run_scenario_command

        return run_scenario_command(arguments)
    if arguments.command in ("sync", "serve"):
        from sim import wire_commands

        return (wire_commands.sync_command if arguments.command == "sync" else wire_commands.serve_command)(arguments)
    if arguments.command == "new":
        return _new(arguments)
    if arguments.command == "scenarios":
        return _list_scenarios()
    if arguments.command == "validate":
        return _validate(arguments.files)
    if arguments.command == "diagnose":
        from sim.diagnose.command import diagnose_command

        if arguments.scenario is not None and not arguments.scenario.parent.is_dir():
            sys.stderr.write(f"wcsim: error: --scenario: folder {str(arguments.scenario.parent)!r} does not exist\n")
            return 2
        return diagnose_command(arguments)
    if arguments.command == "explore":
        from sim.explore.command import explore_command

        return explore_command(arguments)
    if arguments.command == "steps":
        from sim.bdd.library import catalogue_text

        sys.stdout.write(catalogue_text())
        return 0
    return 2


def _list_scenarios() -> int:
    from sim.scenario import load_scenario, scenarios_dir
    from sim.text import one_line

    rows = [(path.stem, load_scenario(path).data["scenario"]) for path in sorted(scenarios_dir().glob("*.toml"))]
    if not sys.stdout.isatty():  # for pipes and files: one plain line each
        for name, data in rows:
            sys.stdout.write(f"{name:<42} {one_line(data['reproduces'], 90)}  [{one_line(data['source'], 60)}]\n")
        return 0
    from rich.table import Table

    from sim.console import console, escape

    table = Table("name (wcsim run NAME)", "reproduces", "source", title=f"{len(rows)} bundled reproductions")
    for name, data in rows:
        table.add_row(name, escape(one_line(data["reproduces"])), escape(one_line(data["source"])))
    console().print(table)
    return 0


def _new(arguments: argparse.Namespace) -> int:
    from sim.new_scenario import write_new_scenario

    if not arguments.folder.is_dir():
        sys.stderr.write(f"wcsim: error: --folder: {str(arguments.folder)!r} is not a folder\n")
        return 2
    try:
        path = write_new_scenario(arguments.name, arguments.folder)
    except (ValueError, FileExistsError) as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    sys.stdout.write(f"wrote {path}: edit it, then `wcsim validate {path}` and `wcsim run {path}`\n")
    return 0


def _validate(files: list[Path]) -> int:
    from sim.errors import SimError
    from sim.scenario import find_scenario, load_scenario
    from sim.scenario_run import ScenarioRun

    bad = 0
    for name in files:
        path = find_scenario(name)
        try:
            ScenarioRun(
                load_scenario(path), use_services=False
            )  # builds the office too (with no call to a real service)
        except SimError as error:
            bad += 1
            sys.stdout.write(f"wcsim: error: {error}\n")
        else:
            sys.stdout.write(f"{path}: valid\n")
    return 2 if bad else 0


def _over_seeds(seeds: range) -> dict[str, tuple[int, int]]:
    """How many of the seeds each claim held in: claim id -> (held, seeds run)."""
    from sim.claims import check_claims
    from sim.console import progress_bar

    held: dict[str, int] = {}
    with progress_bar(f"claims over {len(seeds)} seeds") as progress:
        for done, seed in enumerate(seeds, 1):
            for verdict in check_claims(seed=seed):
                held[verdict.claim.id] = held.get(verdict.claim.id, 0) + verdict.holds
            if progress:
                progress(done / len(seeds))
    return {claim: (count, len(seeds)) for claim, count in held.items()}


def _claims(arguments: argparse.Namespace) -> int:
    from sim.claims import check_claims
    from sim.output_files import OutputError, output_problem, write_output
    from sim.report.claims_report import render

    problem = output_problem("--output", arguments.output) if arguments.output is not None else ""
    if problem:  # before the claims run, not after
        sys.stderr.write(f"wcsim: error: {problem}\n")
        return 2
    from sim.errors import SimError

    try:
        service = _claims_service(arguments)
        verdicts = check_claims(seed=arguments.seed, service=service)
        seeds = _over_seeds(arguments.seeds) if arguments.seeds else None
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    boundaries = arguments.boundaries if arguments.boundaries is not None else service is None
    report = render(verdicts, arguments.format, seed=arguments.seed, seeds=seeds, boundaries=None if boundaries else ())
    if arguments.output is not None:
        try:
            write_output("--output", arguments.output, report)
        except OutputError as error:
            sys.stderr.write(f"wcsim: error: {error}\n")
            return 2
    else:
        sys.stdout.write(report)
    # Against a real service, a claim its adapter cannot act on is listed as not checked, not failed.
    return 0 if all(v.holds or (service and v.not_checked) for v in verdicts) else 1


def _claims_service(arguments: argparse.Namespace) -> list[str] | None:
    """The pytest options for `claims --service ...`, or None; a bad combination is one line."""
    from sim.claims import service_arguments
    from sim.errors import SimError
    from sim.wire_commands import service_options_problem

    problem = service_options_problem(arguments.service, arguments.user, arguments.password, arguments.adapter)
    if problem:
        raise SimError(problem)
    if arguments.service is None:
        return None
    if arguments.seeds or arguments.boundaries:  # (--boundaries given; by default it is off with --service)
        raise SimError("--seeds and --boundaries vary the simulated office: they cannot be used with --service")
    if arguments.adapter:
        from sim.stratafolio.adapter import load_adapter

        load_adapter(arguments.adapter, arguments.service)  # refused here, in one line, rather than in every scenario
    return service_arguments(arguments.service, arguments.user, arguments.password, arguments.adapter)


if __name__ == "__main__":
    raise SystemExit(main())
