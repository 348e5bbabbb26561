"""`wcsim sync` against services that misbehave on purpose: bounded time and memory, one outcome line, no traceback, no
secret."""

import resource
import secrets
import subprocess
import sys
import time

import pytest

from sim.cli import main
from tests.hostile_service import MODES
from tests.servers import ROOT, free_port, running

PASSWORD = "pw-" + secrets.token_hex(12)


@pytest.fixture(scope="module")
def hostile():
    port = free_port()
    with running([sys.executable, str(ROOT / "tests" / "hostile_service.py"), str(port)], port):
        yield f"http://127.0.0.1:{port}"


def sync(url: str, capsys, timeout: str = "2") -> tuple[int, str, str, float]:
    started = time.monotonic()
    code = main(["sync", "--url", url, "--user", "u", "--password", PASSWORD, "--timeout", timeout])
    out, err = capsys.readouterr()
    return code, out, err, time.monotonic() - started


@pytest.mark.parametrize("mode", MODES)
def test_a_misbehaving_service_gets_one_outcome_line_and_nothing_else_breaks(mode, hostile, capsys):
    code, out, err, seconds = sync(f"{hostile}/{mode}/qbwc", capsys)
    assert code in (0, 1)
    assert "internal error" not in err and "Traceback" not in err and err == ""
    outcome_lines = [line for line in out.splitlines() if line.startswith("outcome:")]
    assert len(outcome_lines) == 1 and out.rstrip().splitlines()[-1] == outcome_lines[0]
    assert PASSWORD not in out
    assert seconds < 2 + 5, f"the session's 2 s budget bounds the whole exchange, took {seconds:.1f} s"


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("drip", "outcome: failed (QBWC1012: authenticate: no complete answer"),
        ("gzip-bomb", "outcome: failed (QBWC1012: authenticate: answer refused: larger than 10,000,000 bytes)"),
        ("huge", "outcome: failed (QBWC1012: serverVersion: answer refused: larger than 10,000,000 bytes)"),
        ("xxe", "DTDForbidden"),
        ("billion-laughs", "DTDForbidden"),
        ("deep-result", "wrapped in more than 8 elements"),
        ("evil-encoding", "unknown encoding: x-evil"),
        ("blank-path", "outcome: failed (0x80040408: Could not start QuickBooks.)"),
        ("fault-newlines", "SOAP fault: boom\\noutcome: succeeded\\n== forged ==)"),
        ("redirect", "HTTP 302"),
        ("html", "HTTP 502"),
        ("truncated", "could not reach"),
    ],
)
def test_what_each_misbehaviour_becomes(mode, expected, hostile, capsys):
    code, out, _, _ = sync(f"{hostile}/{mode}/qbwc", capsys)
    assert code == 1 and expected in out.splitlines()[-1]


def test_qbxml_a_service_should_not_send_is_answered_with_a_parse_error(hostile, capsys):
    for mode in ("bad-amount", "deep-qbxml"):
        _, out, _, _ = sync(f"{hostile}/{mode}/qbwc", capsys)
        assert "hresult=0x80040400" in out, "QuickBooks refused the request and the service heard why"


def test_a_drip_fed_answer_is_cut_off_at_the_session_budget_in_a_real_process(hostile):
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sync",
            "--url",
            f"{hostile}/drip/qbwc",
            "--user",
            "u",
            "--password",
            PASSWORD,
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert time.monotonic() - started < 3 + 10
    assert done.returncode == 1 and done.stderr == ""
    assert "within the session's 3 seconds" in done.stdout.splitlines()[-1]


def test_a_gzip_bomb_does_not_blow_up_memory(hostile):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sync",
            "--url",
            f"{hostile}/gzip-bomb/qbwc",
            "--user",
            "u",
            "--password",
            PASSWORD,
            "--timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 1 and "larger than 10,000,000 bytes" in done.stdout
    peak_megabytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_megabytes < 400, (
        f"peak {peak_megabytes:.0f} MB (the bomb would be 200 MB decompressed, and 2 GB before the cap existed)"
    )


@pytest.mark.parametrize("url", ["http://[::1/qbwc", "ftp://example.com/", "http://127.0.0.1:99999/qbwc", "not a url"])
def test_a_bad_url_is_refused_in_one_line(url, capsys):
    assert main(["sync", "--url", url, "--user", "u", "--password", "p"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wcsim: error: --url ") and err.count("\n") == 1


def test_the_timeout_is_explained_as_a_whole_session_budget(capsys):
    with pytest.raises(SystemExit):
        main(["sync", "--help"])
    assert "the whole session may take" in capsys.readouterr().out


def test_a_message_of_ten_thousand_adds_is_processed_within_the_budget_and_sixty_thousand_refused(hostile, capsys):
    # 60,000 CustomerAdd in one message once ran 463 s against --timeout 60 (a name check per add
    # against every customer); now a message's work is linear and bounded (sim.quickbooks).
    code, out, _, seconds = sync(f"{hostile}/many-adds/qbwc", capsys, timeout="20")
    assert code == 0 and "size (bytes) =" in out and seconds < 20
    code, out, _, seconds = sync(f"{hostile}/too-many-adds/qbwc", capsys, timeout="20")
    assert "hresult=0x80040400" in out and "60,000 requests in one message" in out and seconds < 20


def test_the_timeout_stops_the_simulated_quickbooks_in_the_middle_of_a_message(hostile, capsys, monkeypatch):
    from sim.webconnector.http_transport import HttpTransport

    # The wall clock "runs out" the moment the service's message has arrived: QuickBooks is working on it.
    monkeypatch.setattr(
        HttpTransport,
        "time_left",
        lambda self: -1.0 if any(line.startswith("<- sendRequestXML") for line in self.transcript) else 5.0,
    )
    code, out, err, _ = sync(f"{hostile}/many-adds/qbwc", capsys, timeout="20")
    assert code == 1 and err == ""
    assert (
        out.splitlines()[-1] == "outcome: unfinished: the session's 20 seconds (--timeout) ran out while the "
        "simulated QuickBooks processed the service's request"
    )


def test_a_password_inside_the_url_is_masked_everywhere(hostile, capsys):
    secret = "url-" + secrets.token_hex(8)
    for mode in ("html", "truncated"):
        code, out, err, _ = sync(hostile.replace("http://", f"http://bob:{secret}@") + f"/{mode}/qbwc", capsys)
        assert code == 1 and secret not in out + err
        assert "bob:MaskedForSecurity@127.0.0.1" in out  # the AppURL in the QWC file and QWCLog.txt
    assert main(["sync", "--url", f"http://bob:{secret}@[::1/qbwc", "--user", "u", "--password", "p"]) == 2
    assert secret not in capsys.readouterr().err
