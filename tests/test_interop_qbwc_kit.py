"""Interoperability with real third-party code, over real HTTP on 127.0.0.1.

Both directions: the simulated Web Connector drives a qbwc-kit web service (a
customer query with an iterator, a bad password, a user with no work), and
qbwc-kit's own FakeWebConnector completes an update against `wcsim serve`.
Each server is a subprocess, waited for with a bounded loop and stopped by PID.
"""

import json

import httpx
from qbwc_kit.testing import FakeQuickBooks, FakeWebConnector

from sim.cli import main
from tests.servers import free_port, qbwc_kit_service, wcsim_serve


def sync(capsys, url, user, password):
    code = main(["sync", "--url", url, "--user", user, "--password", password])
    return code, capsys.readouterr().out


def test_simulated_web_connector_against_qbwc_kit(tmp_path, capsys):
    port, results = free_port(), tmp_path / "customers.json"
    url = f"http://127.0.0.1:{port}/qbwc"
    with qbwc_kit_service(port, results):
        code, out = sync(capsys, url, "qbwc", "s3cret")
        assert code == 0 and out.rstrip().endswith("outcome: succeeded"), out
        # The service saw every customer of the simulated company file, in iterator pages of 5.
        assert len(json.loads(results.read_text())) == 12
        assert out.count("-> sendRequestXML(") == 3 and "<- receiveResponseXML: 100" in out
        calls = [line.split("(")[0] for line in out.splitlines() if line.startswith("-> ")]
        assert (
            calls[:4] == ["-> serverVersion", "-> clientVersion", "-> authenticate", "-> sendRequestXML"]
            and calls[-1] == "-> closeConnection"
        )
        first_request = next(line for line in out.splitlines() if line.startswith("-> sendRequestXML("))
        assert "strHCPResponse=<?xml" in first_request and "HCPResponseXML=" in out.split("== QWCLog")[1]

        code, out = sync(capsys, url, "qbwc", "wrong")
        assert code == 1 and "outcome: failed (QBWC1040" in out
        assert "wrong" not in out.split("== QWCLog.txt")[1]

        code, out = sync(capsys, url, "idle", "s3cret")
        assert code == 0 and out.rstrip().endswith("outcome: no work"), out
        assert "-> sendRequestXML(" not in out


def test_qbwc_kit_fake_web_connector_against_wcsim_serve():
    port = free_port()
    url = f"http://127.0.0.1:{port}/qbwc"
    with wcsim_serve(port, user="fwc", password="pw"), httpx.Client(timeout=10) as client:

        def transport(body: str) -> str:
            return client.post(url, content=body.encode(), headers={"Content-Type": "text/xml; charset=utf-8"}).text

        result = FakeWebConnector(transport=transport, username="fwc", password="pw").run_update(
            FakeQuickBooks(entities={"Customer": [{"ListID": "1", "Name": "Acme"}]})
        )
        assert result.authenticated and result.progress[-1] == 100 and result.close_message == "OK"
        refused = FakeWebConnector(transport=transport, username="fwc", password="bad").run_update()
        assert refused.last_error == "nvu"


def test_simulated_web_connector_against_wcsim_serve(capsys):
    port = free_port()
    with wcsim_serve(port, user="fwc", password="serve-secret") as server:
        code, out = sync(capsys, f"http://127.0.0.1:{port}/qbwc", "fwc", "serve-secret")
    server_output = server.output
    assert code == 0 and out.rstrip().endswith("outcome: succeeded"), out
    assert "credentials: user=fwc password=(as given)" in server_output and "serve-secret" not in server_output


def test_unreachable_service_is_one_line_and_non_zero(capsys):
    code, out = sync(capsys, f"http://127.0.0.1:{free_port()}/qbwc", "u", "p")
    assert code == 1 and out.rstrip().splitlines()[-1].startswith(
        "outcome: failed (QBWC1012: serverVersion: could not reach"
    )


def test_bad_url_is_exit_2(capsys):
    assert main(["sync", "--url", "ftp://x", "--user", "u", "--password", "p"]) == 2
    assert capsys.readouterr().err.startswith("wcsim: error: --url")


def test_each_qwc_style_reaches_wcsim_serve(capsys):
    port = free_port()
    with wcsim_serve(port, user="fwc", password="serve-secret"):
        for style in ("Document", "DocWrapped", "RPC"):
            code = main(
                [
                    "sync",
                    "--url",
                    f"http://127.0.0.1:{port}/qbwc",
                    "--user",
                    "fwc",
                    "--password",
                    "serve-secret",
                    "--style",
                    style,
                ]
            )
            out = capsys.readouterr().out
            assert code == 0 and out.rstrip().endswith("outcome: succeeded"), (style, out[-300:])


def test_each_qwc_style_against_qbwc_kit(tmp_path, capsys):
    port = free_port()
    outcomes = {}
    with qbwc_kit_service(port, tmp_path / "customers.json"):
        for style in ("Document", "DocWrapped", "RPC"):
            code = main(
                [
                    "sync",
                    "--url",
                    f"http://127.0.0.1:{port}/qbwc",
                    "--user",
                    "qbwc",
                    "--password",
                    "s3cret",
                    "--style",
                    style,
                ]
            )
            outcomes[style] = (code, capsys.readouterr().out.rstrip().splitlines()[-1])
    # qbwc-kit reads document/literal and rpc/encoded envelopes alike.
    assert set(outcomes.values()) == {(0, "outcome: succeeded")}, outcomes


def test_a_service_in_the_same_process_through_its_soap_dispatch(tmp_path):
    """SoapInProcessTransport: the envelopes a real Web Connector sends, handed to a Python
    service's dispatch, no server; a service that raises is a QBWC error in that callback."""
    import sys

    from qbwc_kit import QBWCService

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent / "interop"))
    from qbwc_kit_service import Users

    from sim.office import build_office
    from sim.webconnector.soap import SoapInProcessTransport
    from sim.wire_commands import add_remote_application, run_update

    results = tmp_path / "customers.json"
    office = build_office(seed=2)
    transport = SoapInProcessTransport(QBWCService(authenticator=Users(str(results))).dispatch)
    connector, app, _ = add_remote_application(
        office.world,
        office.server,
        office.files["Acme Properties"],
        "https://svc.example/qbwc",
        "qbwc",
        "s3cret",
        transport=transport,
    )
    assert run_update(office.world, connector, app).outcome == "succeeded"
    assert len(json.loads(results.read_text())) == 12

    def broken(body):
        raise RuntimeError("database down")

    transport.dispatch = broken
    result = run_update(office.world, connector, app)
    assert (result.outcome, result.code) == ("failed", "QBWC1012") and "database down" in result.message
