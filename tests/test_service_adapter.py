"""The adapter for a service's admin side: the reference implementation, and what a missing one says.

The bundled reproductions run with every integration behind a RealService endpoint and every
STRATAFOLIO-side action through `SimulatedStratafolioAdapter` give the verdicts they give in the
plain simulation: the adapter's interface carries everything the scenarios do on STRATAFOLIO's side.
Against a service named with only its credentials, the steps that need its admin side fail saying
which method to implement, and the check of the recovery says it could not be done.
"""

from __future__ import annotations

import json

import pytest

from sim import scenario_run
from sim.cli import main
from sim.scenario import find_scenario, load_scenario
from sim.stratafolio import real_service
from sim.stratafolio.adapter import AdapterMissing, CredentialsOnlyAdapter, ServiceAdapter, SimulatedStratafolioAdapter
from sim.stratafolio.service import SERVICE_URL
from sim.webconnector.contract import InProcessTransport
from tests.servers import free_port, wcsim_serve
from tests.test_service_checks import OFFICE, RECOVERY

#: Reproductions whose timelines act on STRATAFOLIO (computers, QWC files, invoices, the service's faults).
ACTING_ON_STRATAFOLIO = [
    "recovery-run-twice-at-once",
    "authorized-computer-deleted",
    "move-to-new-server",
    "same-qwc-added-twice",
    "full-sync-while-colleague-works",
    "service-certificate-expired",
    "connection-closed-during-authenticate",
]


def test_a_dated_invoice_reaches_the_service_through_the_adapter_with_its_date(monkeypatch):
    # (it once crashed: the adapter contract took no date)
    _bind_the_simulated_service_in_process(monkeypatch)
    _, run = _verdicts("invoice-dated-before-closing-date", monkeypatch)
    invoices = run.world.stratafolio.organizations[0].integrations[0].ledger.invoices_created
    assert invoices and invoices[0].txn_date and run.service_sessions()


def _bind_the_simulated_service_in_process(monkeypatch) -> None:
    """Every integration bound to the simulated STRATAFOLIO in this process, through the reference adapter."""
    bind = real_service.bind_service

    def in_process(world, url, adapter=None, user="", password="", transport=None, timeout=60.0, wall_clock=True):
        organization = world.stratafolio.organizations[0]
        return bind(
            world,
            SERVICE_URL,
            SimulatedStratafolioAdapter(SERVICE_URL, organization),
            transport=InProcessTransport(world.stratafolio),
            wall_clock=False,
        )

    monkeypatch.setattr(real_service, "bind_service", in_process)


def _verdicts(name: str, monkeypatch=None) -> tuple[list[tuple[bool, str]], scenario_run.ScenarioRun]:
    option = scenario_run.ServiceOption("http://in-process.invalid/qbwc") if monkeypatch else None
    run = scenario_run.ScenarioRun(load_scenario(find_scenario(name)), service=option)
    run.run()
    return [(v.holds, v.observed) for v in run.verdicts()], run


@pytest.mark.parametrize("name", ACTING_ON_STRATAFOLIO)
def test_the_reference_adapter_carries_every_scenario_as_the_simulation_does(name, monkeypatch):
    _bind_the_simulated_service_in_process(monkeypatch)
    plain, _ = _verdicts(name)
    through, run = _verdicts(name, monkeypatch)
    assert through == plain
    assert run.service_sessions() and all(not isinstance(i, type(None)) for i in run.integrations.values())
    assert {type(i).__name__ for i in run.integrations.values()} == {"ServiceIntegration"}


def test_every_admin_action_of_the_base_adapter_says_what_to_implement():
    adapter = ServiceAdapter("http://127.0.0.1:9/qbwc")
    calls = {
        "authorize_computer": lambda: adapter.authorize_computer("a@b", "Acme", "FILESRV"),
        "delete_authorized_computer": lambda: adapter.delete_authorized_computer("a@b", "Acme", "u"),
        "download_qwc": lambda: adapter.download_qwc("a@b", "Acme", "u"),
        "create_invoice": lambda: adapter.create_invoice("Acme", "c", "1.00", "SF-1"),
        "synced_records": lambda: adapter.synced_records("Acme"),
    }
    for method, call in calls.items():
        with pytest.raises(
            AdapterMissing,
            match=rf"needs the service's adapter to implement {method}\(.*subclass "
            r"sim\.stratafolio\.adapter\.ServiceAdapter",
        ):
            call()
    adapter.add_integration("a@b", "Example Realty", "Acme")  # optional: nothing to do


def test_credentials_alone_link_once_and_refuse_a_second_computer():
    guids = iter(f"{{00000000-0000-0000-0000-{n:012d}}}" for n in range(10))
    adapter = CredentialsOnlyAdapter("http://127.0.0.1:9/qbwc", "u", "p", lambda: next(guids))
    assert adapter.authorize_computer("a@b", "Acme", "FILESRV").user_name == "u"
    qwc = adapter.download_qwc("a@b", "Acme", "u")
    assert (
        "<AppURL>http://127.0.0.1:9/qbwc</AppURL>" in qwc
        and "<OwnerID>{00000000-0000-0000-0000-000000000000}</OwnerID>" in qwc
    )
    with pytest.raises(AdapterMissing, match="authorizing another computer"):
        adapter.authorize_computer("a@b", "Acme", "FILESRV")


def test_recovery_against_a_service_without_an_adapter_says_what_to_implement(tmp_path, capsys):
    path = tmp_path / "recovery.toml"
    path.write_text(OFFICE + "\n" + RECOVERY + "\n", encoding="utf-8")
    port = free_port()
    with wcsim_serve(port, user="fwc", password="pw"):
        code = main(
            [
                "run",
                str(path),
                "--service",
                f"http://127.0.0.1:{port}/qbwc",
                "--user",
                "fwc",
                "--password",
                "pw",
                "--json",
            ]
        )
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failed = {
        r["details"]["action"]: r["details"]["reason"] for r in records if r.get("kind") == "timeline.action_failed"
    }
    assert failed["delete_authorized_computer"].startswith(
        "deleting an authorized computer needs the service's adapter to implement "
        "delete_authorized_computer(by, integration, user_name)"
    )
    assert failed["authorize_computer"].startswith("authorizing another computer")
    checks = {c["check"]: c for c in next(r["service"] for r in records if "service" in r)["checks"]}
    assert (
        checks["sync-after-recovery"]["status"] == "violated"
        and "could not all be taken" in checks["sync-after-recovery"]["findings"][0]
    )
    assert code == 1


def test_invoices_every_minutes_against_a_service_without_create_invoice_is_refused_up_front(tmp_path, capsys):
    path = tmp_path / "billing.toml"
    path.write_text(OFFICE + "invoices_every_minutes = 30\n", encoding="utf-8")
    code = main(
        ["run", str(path), "--service", f"http://127.0.0.1:{free_port()}/qbwc", "--user", "u", "--password", "p"]
    )
    err = capsys.readouterr().err
    assert (
        code == 2
        and "integrations[0]: creating an invoice in the service needs the service's adapter "
        "to implement create_invoice("
        in err
    )
