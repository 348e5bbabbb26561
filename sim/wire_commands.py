"""`wcsim sync` and `wcsim serve`: the callback contract over real HTTP.

`sync` adds an application pointing at a real QBWC web service to the Web
Connector of a simulated office (the built-in default office, a scenario's, or the
default office with a company file at a given path), runs one update over the
HTTP transport, and prints the transcript, the outcome and QWCLog.txt. Exit 0 for
a completed session (work done, or "none"), 1 otherwise, with the reason on one
line; 2 for bad input. `serve` serves the simulated STRATAFOLIO web service of the
default office with uvicorn, bound to 127.0.0.1 unless told otherwise, and prints
the URL and the credentials a Web Connector needs.
"""

from __future__ import annotations

import argparse
import ntpath
import secrets
import socket
import sys
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from sim.errors import SimError
from sim.text import one_line

__all__ = ["sync_command", "serve_command", "add_remote_application", "run_update", "service_options_problem"]

#: How long (simulated) one update may run before `sync` gives up on it.
SYNC_LIMIT_MINUTES = 240
#: `wcsim serve` runs for as long as it is left running: it keeps this many trace events,
SERVE_TRACE_EVENTS = 10_000
#: and each integration's ledger holds at most this many records and characters of their text
#: (what a client reports is kept after its session closes: without a bound, 100 calls took 815 MB).
SERVE_LEDGER_LIMIT = (100_000, 20_000_000)


def _office_for(arguments: argparse.Namespace):
    """(host, company path) in the office the update will run in."""
    if arguments.scenario is not None:
        from sim.scenario import load_scenario
        from sim.scenario_run import ScenarioRun

        run = ScenarioRun(load_scenario(arguments.scenario), seed=arguments.seed, use_services=False)
        host, path = next(iter(run.files.values()))
        return run.world, host, path
    from sim.office import build_office
    from sim.quickbooks.company_file import create_company_file

    office = build_office(seed=arguments.seed or 0)
    path = office.files["Acme Properties"]
    if arguments.company_file:
        path = office.server.fs.local(arguments.company_file)
        if not path.casefold().endswith(".qbw"):
            raise SimError(f"--company-file {arguments.company_file!r}: a company file name ends in .QBW")
        create_company_file(office.world, office.server, path, company_name=ntpath.splitext(ntpath.basename(path))[0])
    return office.world, office.server, path


def add_remote_application(
    world,
    host,
    path: str,
    url: str,
    user: str,
    password: str,
    timeout: float = 60.0,
    network=None,
    style: str = "Document",
    transport=None,
):
    """Add an application for a real service at `url` to `host`'s Web Connector, the
    normal way (QWC file, QuickBooks open as Admin, password), talking HTTP (through
    `network`, an httpx transport, when given) or through `transport` (a
    `SoapInProcessTransport` for a service in this process). Returns (connector, app name, transport)."""
    from sim.people import admin
    from sim.webconnector.http_transport import HttpTransport, masked_url
    from sim.webconnector.qwc import QwcFile, write_qwc

    # A password inside the URL (http://user:secret@host/) is for the connection only: the QWC file,
    # and so every log line and trace event that quotes the AppURL, carries it masked.
    shown = masked_url(url)
    parts = urlsplit(shown)
    qwc = QwcFile(
        app_name="wcsim sync",
        app_id="",
        app_url=shown,
        app_description="wcsim sync against a real service",
        app_support=f"{parts.scheme}://{parts.netloc}/",
        user_name=user,
        owner_id=world.new_guid(),
        file_id=world.new_guid(),
        style=style,
    )
    qwc_path = rf"C:\Users\{host.logged_in}\Downloads\wcsim-sync.qwc"
    host.fs.write_text(qwc_path, write_qwc(qwc))
    # QuickBooks stays open with the file, as for a person who syncs by hand: a service that
    # answers authenticate with "" means "the file open in QuickBooks" (PG ch.10).
    app_name = admin.connect_with_qwc(host, path, qwc_path, password, keep_open=True)
    connector = host.web_connector()
    transport = transport or HttpTransport(url, timeout=timeout, network=network)
    connector.transports[shown] = transport
    return connector, app_name, transport


def run_update(world, connector, app_name: str):
    """Press Update Selected for one app and run the world until it ends (bounded)."""
    process = connector.update_selected([app_name])
    return process.value[0] if world.run_until_done(process, SYNC_LIMIT_MINUTES) else None


def url_problem(url: str) -> str:
    """Why `url` cannot be a service's endpoint ("" when it can)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates it
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL"
    return ""


def service_options_problem(
    url: str | None,
    user: str | None,
    password: str | None,
    adapter: str | None,
    prefix: str = "--",
    hook: bool | None = None,
) -> str:
    """Why the options that put a real web service in the simulated STRATAFOLIO's place cannot work,
    in one line ("" when they can, or when none is given): `{prefix}service` (its URL), `{prefix}user`
    and `{prefix}password` (the credentials it accepts), `{prefix}adapter` (module:Class). The Gherkin
    plugin's are `--wcsim-...`, and it can also take an adapter from a hook: `hook` is None where
    there is no such hook, else whether one is implemented."""
    if url is None:
        given = [
            f"{prefix}{name}" for name, value in (("user", user), ("password", password), ("adapter", adapter)) if value
        ]
        return f"{', '.join(given)} without {prefix}service: name the service's URL too" if given else ""
    problem = url_problem(url)
    if problem:
        from sim.webconnector.http_transport import masked_url

        return f"{prefix}service {one_line(masked_url(url), 200)!r} {problem}"
    if not adapter and not hook and (user is None or password is None):
        return (
            f"{prefix}service needs {prefix}user and {prefix}password (the credentials the "
            f"service accepts), or {prefix}adapter module:Class"
            + (", or a pytest_wcsim_adapter hook" if hook is not None else "")
        )
    return ""


class _OutOfTime(Exception):
    """The session's wall-clock `--timeout` ran out while the simulated QuickBooks worked on a
    request (raised through the simulation, which stops where it is)."""


def _stop_when_out_of_time(transport) -> Callable[[], None]:
    def check() -> None:
        if transport.time_left() <= 0:
            raise _OutOfTime()

    return check


def sync_command(arguments: argparse.Namespace) -> int:
    from sim.webconnector.http_transport import masked_url

    problem = url_problem(arguments.url)
    if problem:
        sys.stderr.write(f"wcsim: error: --url {one_line(masked_url(arguments.url), 200)!r} {problem}\n")
        return 2
    try:
        world, host, path = _office_for(arguments)
        connector, app_name, transport = add_remote_application(
            world,
            host,
            path,
            arguments.url,
            arguments.user,
            arguments.password,
            arguments.timeout,
            style=arguments.style,
        )
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    # --timeout bounds the whole session: the network calls (the transport) and QuickBooks' work
    # on what the service sent (checked between requests of a message).
    host.quickbooks.request_processor.wall_clock_check = _stop_when_out_of_time(transport)
    out_of_time = False
    try:
        result = run_update(world, connector, app_name)
    except _OutOfTime:
        result, out_of_time = None, True
    finally:
        transport.close()
    out = sys.stdout
    out.write("== transcript ==\n" + "\n".join(one_line(line) for line in transport.transcript) + "\n")
    out.write(f"\n== QWCLog.txt on {host.name} ==\n{host.qwc_log.text()}")
    # Exactly one outcome line, and nothing the service sent can forge another.
    if out_of_time:
        out.write(
            f"outcome: unfinished: the session's {arguments.timeout:g} seconds (--timeout) ran "
            "out while the simulated QuickBooks processed the service's request\n"
        )
        return 1
    if result is None:
        out.write(f"outcome: unfinished: the update did not end within {SYNC_LIMIT_MINUTES} simulated minutes\n")
        return 1
    reason = f" ({result.code}: {result.message})" if result.code or result.message else ""
    out.write(f"outcome: {result.outcome}{one_line(reason, 1000)}\n")
    return 0 if result.outcome in ("succeeded", "no work") else 1


def serve_command(arguments: argparse.Namespace) -> int:
    import uvicorn

    if not arguments.host.strip():
        # An empty host means every interface to the socket layer: that must be said, not slipped into.
        sys.stderr.write(
            "wcsim: error: --host '' would listen on every interface: name an address "
            "(127.0.0.1, the default; 0.0.0.0 or :: to serve other computers)\n"
        )
        return 2
    try:
        listening = _listening_socket(arguments.host, arguments.port)
    except OSError as error:  # in use, not an address of this computer, not a host name
        sys.stderr.write(
            f"wcsim: error: cannot serve on {one_line(arguments.host, 100)} port "
            f"{arguments.port}: {one_line(error.strerror or error, 200)}\n"
        )
        return 2
    with listening:
        port = listening.getsockname()[1]  # the real one, also for --port 0
        shown_host = f"[{arguments.host}]" if ":" in arguments.host else arguments.host
        endpoint = f"http://{shown_host}:{port}/qbwc"
        app, _, computer = served_app(arguments, endpoint)
        # A generated password must be shown once to be usable; one the caller chose is never echoed.
        shown = "(as given)" if arguments.password else computer.password
        sys.stdout.write(
            f"serving the simulated STRATAFOLIO web service at {endpoint}\ncredentials: "
            f"user={computer.user_name} password={shown}\n"
        )
        sys.stdout.flush()
        config = uvicorn.Config(
            app, host=arguments.host, port=port, log_level="warning", access_log=False, lifespan="on"
        )
        uvicorn.Server(config).run(sockets=[listening])
    return 0


def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, made here so that a port in use or a bad address is one line
    from wcsim before anything is printed, and so that --port 0 can show the port it got."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listening = socket.socket(family, kind, protocol)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart need not wait
        listening.bind(address)
        listening.set_inheritable(True)
    except OSError:
        listening.close()
        raise
    return listening


def served_app(arguments: argparse.Namespace, endpoint: str):
    """The ASGI app `wcsim serve` runs, its service and the authorized computer it accepts, with the bounds a
    service facing a network needs (a trace of its last events, a bounded ledger, tickets and the
    generated password from `secrets`)."""
    from sim.office import build_office
    from sim.stratafolio.http_app import create_app

    office = build_office(seed=arguments.seed or 0)
    office.link_all()
    service = office.world.stratafolio
    # What faces the network is unpredictable: tickets and the generated password come
    # from `secrets`, not from the world's seed (the simulated office stays deterministic).
    service.new_ticket = lambda: str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
    service.world.trace.keep_last(SERVE_TRACE_EVENTS)
    for integration in office.integrations.values():
        integration.ledger.bound(*SERVE_LEDGER_LIMIT)
    computer = office.integrations["Acme Properties"].computers[-1]
    # The path it learned when its own simulated office linked is of no Web Connector that will call:
    # it learns the caller's from the first session, as a newly linked service would (PG ch.10).
    computer.company_file = ""
    if arguments.user:
        computer.user_name = arguments.user
    computer.password = arguments.password or secrets.token_urlsafe(18)
    return create_app(service, endpoint), service, computer
