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
import sys
from urllib.parse import urlsplit

from sim.errors import SimError

__all__ = ["sync_command", "serve_command", "add_remote_application", "run_update"]

#: How long (simulated) one update may run before `sync` gives up on it.
SYNC_LIMIT_MINUTES = 240


def _office_for(arguments: argparse.Namespace):
    """(host, company path) in the office the update will run in."""
    if arguments.scenario is not None:
        from sim.scenario import load_scenario
        from sim.scenario_run import ScenarioRun

        run = ScenarioRun(load_scenario(arguments.scenario), seed=arguments.seed)
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


def add_remote_application(world, host, path: str, url: str, user: str, password: str, timeout: float = 10.0):
    """Add an application for a real service at `url` to `host`'s Web Connector, the
    normal way (QWC file, QuickBooks open as Admin, password), talking HTTP.
    Returns (connector, app name, transport)."""
    from sim.people import admin
    from sim.webconnector.http_transport import HttpTransport
    from sim.webconnector.qwc import QwcFile, write_qwc

    parts = urlsplit(url)
    qwc = QwcFile(
        app_name="wcsim sync", app_id="", app_url=url, app_description="wcsim sync against a real service",
        app_support=f"{parts.scheme}://{parts.netloc}/", user_name=user, owner_id=world.new_guid(), file_id=world.new_guid(),
    )
    qwc_path = rf"C:\Users\{host.logged_in}\Downloads\wcsim-sync.qwc"
    host.fs.write_text(qwc_path, write_qwc(qwc))
    app_name = admin.connect_with_qwc(host, path, qwc_path, password)
    connector = host.web_connector()
    transport = HttpTransport(url, timeout=timeout)
    connector.transports[url] = transport
    return connector, app_name, transport


def run_update(world, connector, app_name: str):
    """Press Update Selected for one app and run the world until it ends (bounded)."""
    process = connector.update_selected([app_name])
    for _ in range(SYNC_LIMIT_MINUTES):
        if process.triggered:
            break
        world.run(minutes=1)
    return process.value[0] if process.triggered else None


def sync_command(arguments: argparse.Namespace) -> int:
    parts = urlsplit(arguments.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        sys.stderr.write(f"wcsim: error: --url {arguments.url!r} is not an http(s) URL\n")
        return 2
    try:
        world, host, path = _office_for(arguments)
        connector, app_name, transport = add_remote_application(world, host, path, arguments.url, arguments.user, arguments.password, arguments.timeout)
    except SimError as error:
        sys.stderr.write(f"wcsim: error: {error}\n")
        return 2
    try:
        result = run_update(world, connector, app_name)
    finally:
        transport.close()
    out = sys.stdout
    out.write("== transcript ==\n" + "\n".join(transport.transcript) + "\n")
    out.write(f"\n== QWCLog.txt on {host.name} ==\n{host.qwc_log.text()}")
    if result is None:
        out.write(f"outcome: unfinished: the update did not end within {SYNC_LIMIT_MINUTES} simulated minutes\n")
        return 1
    reason = f" ({result.code}: {result.message})" if result.code or result.message else ""
    out.write(f"outcome: {result.outcome}{reason}\n")
    return 0 if result.outcome in ("succeeded", "no work") else 1


def serve_command(arguments: argparse.Namespace) -> int:
    import uvicorn

    from sim.office import build_office
    from sim.stratafolio.http_app import create_app

    office = build_office(seed=arguments.seed or 0)
    office.link_all()
    computer = office.integrations["Acme Properties"].computers[-1]
    if arguments.user:
        computer.user_name = arguments.user
    if arguments.password:
        computer.password = arguments.password
    endpoint = f"http://{arguments.host}:{arguments.port}/qbwc"
    app = create_app(office.world.stratafolio, endpoint)
    # A generated password must be shown once to be usable; one the caller chose is never echoed.
    shown = "(as given)" if arguments.password else computer.password
    sys.stdout.write(f"serving the simulated STRATAFOLIO web service at {endpoint}\ncredentials: user={computer.user_name} password={shown}\n")
    sys.stdout.flush()
    config = uvicorn.Config(app, host=arguments.host, port=arguments.port, log_level="warning", access_log=False, lifespan="on")
    try:
        uvicorn.Server(config).run()
    except OSError as error:
        sys.stderr.write(f"wcsim: error: cannot serve on {arguments.host}:{arguments.port}: {error.strerror or error}\n")
        return 2
    return 0
