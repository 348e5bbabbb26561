"""Causes on the service's side, as `wcsim diagnose` simulates them: a misbehaving service is the
service's state, met through `WebConnector._transport` (sim.stratafolio.misbehaviour), and the AppURL
that no longer reaches it (HTTP 404 on a wrong path, a refused connection on a wrong port)."""

from datetime import datetime

import pytest

from sim.diagnose.causes import CANDIDATES, Context, run_candidate, scenario_text
from sim.diagnose.diagnosis import diagnose
from sim.diagnose.log_reader import parse_log_text
from sim.diagnose.sessions import split_sessions
from sim.scenario import parse_scenario
from sim.scenario_run import ScenarioRun
from sim.stratafolio.misbehaviour import ServiceTransport, misbehave
from sim.webconnector.contract import InProcessTransport

CONTEXT = Context("STRATAFOLIO - Company", r"D:\QBData\Company.QBW", "scheduled", datetime(2026, 1, 6, 10, 0), 15)


def candidate(name):
    return next(c for c in CANDIDATES if c.id == name)


def failing(text):
    log, problem = run_candidate(text)
    assert problem == ""
    return [s for s in split_sessions(parse_log_text(log)) if s.failed]


def test_a_misbehaving_service_is_its_own_state_met_through_the_web_connectors_transport():
    run = ScenarioRun(parse_scenario(scenario_text(candidate("renamed-file"), CONTEXT), "office.toml"))
    world = run.world
    url = world.stratafolio.url
    connectors = [host.web_connector(user) for host in world.hosts.values() for user in host.windows_users]
    assert connectors and all(isinstance(c._transport(url, "Document"), InProcessTransport) for c in connectors)
    misbehave(world, "authenticate", "throws")
    assert all(not c.transports for c in connectors)  # nothing installed on any Web Connector
    assert all(isinstance(c._transport(url, "Document"), ServiceTransport) for c in connectors)
    misbehave(world, "authenticate", "none")
    assert all(isinstance(c._transport(url, "Document"), InProcessTransport) for c in connectors)
    for state in ("refused", "not_found"):  # an endpoint state, and behaving again clears it too
        misbehave(world, "serverVersion", state)
        assert all(not isinstance(c._transport(url, "Document"), InProcessTransport) for c in connectors)
        misbehave(world, "serverVersion", "none")
        assert all(isinstance(c._transport(url, "Document"), InProcessTransport) for c in connectors)


def test_any_service_object_in_a_misbehaving_state_is_reached_through_its_web_server_and_soap():
    # Not only STRATAFOLIO's own class: a stand-in (a test's wrapper, another model) with the same state.
    run = ScenarioRun(parse_scenario(scenario_text(candidate("renamed-file"), CONTEXT), "office.toml"))
    world = run.world

    class StandIn:
        url = "https://standin.example/qbwc"
        certificate = "valid"
        misbehaviour = {"authenticate": "throws"}
        endpoint = ""

    world.web_services[StandIn.url] = StandIn()
    connector = next(iter(world.hosts.values())).web_connector()
    assert isinstance(connector._transport(StandIn.url, "Document"), ServiceTransport)


def test_the_certificate_check_still_applies_to_a_misbehaving_service():
    throws = scenario_text(candidate("service-throws"), CONTEXT)
    assert all("service fault" in " ".join(s.signature.kinds) for s in failing(throws))
    expired = throws.replace(
        'how = "throws"\n',
        'how = "throws"\n\n[[timeline]]\nat = "2026-01-06 09:00"\naction = "service_certificate"\nstate = "expired"\n',
        1,
    )
    sessions = failing(expired)
    assert sessions and all(s.signature.kinds == ("serverVersion: certificate not trusted",) for s in sessions)


def test_a_connection_the_service_drops_still_closes_before_its_misbehaviour():
    throws = scenario_text(candidate("service-throws"), CONTEXT)
    dropped = throws.replace(
        'how = "throws"\n',
        'how = "throws"\n\n[[timeline]]\nat = "2026-01-06 09:00"\naction = '
        '"service_drops_connection"\ncallback = "authenticate"\n',
        1,
    )
    sessions = failing(dropped)
    assert sessions and all("authenticate: connection closed" in s.signature.kinds for s in sessions)


@pytest.mark.parametrize(
    ("cause", "kind"), [("appurl-wrong-path", "HTTP error status"), ("appurl-wrong-port", "service unreachable")]
)
def test_an_appurl_that_misses_the_service_fails_at_server_version_in_nets_words_and_is_found(cause, kind):
    log, problem = run_candidate(scenario_text(candidate(cause), CONTEXT))
    sessions = [s for s in split_sessions(parse_log_text(log)) if s.failed]
    assert problem == "" and sessions
    assert all(s.signature.kinds == (f"serverVersion: {kind}",) for s in sessions)
    diagnosis = diagnose(parse_log_text(log), workers=1)
    assert [c.candidate.id for c in diagnosis.top] == [cause]


def test_a_service_fault_is_simulated_in_every_callback_and_the_log_chooses_which():
    # No callback is read off the customer's log into the cause: each is simulated, and the one whose
    # simulated log matches (here the failure at receiveResponseXML) ranks the cause.
    throws = candidate("service-throws")
    log, _ = run_candidate(scenario_text(throws, Context(**{**CONTEXT.__dict__, "callback": "receiveResponseXML"})))
    diagnosis = diagnose(parse_log_text(log), workers=1)
    ranked = next(c for c in diagnosis.ranked if c.candidate.id == "service-throws")
    assert 'callback = "receiveResponseXML"' in ranked.scenario and diagnosis.top[0].candidate.id == "service-throws"


def test_a_fragment_without_its_trigger_is_simulated_under_each():
    from sim.diagnose.diagnosis import examine

    fragment = (
        "QBWC1012: Authentication failed due to following error message.\nThe request "
        "failed with HTTP status 404: Not Found.\n"
    )
    diagnosis = examine(parse_log_text(fragment))
    assert diagnosis.context.triggers == ("scheduled", "manual", "add")
    named = examine(parse_log_text((__import__("pathlib").Path(__file__).parent / "logs" / "nvu.txt").read_text()))
    assert named.context.triggers == ()


def test_a_tls_version_the_computer_cannot_offer_is_found_apart_from_the_certificate_and_its_advice_names_both_sides():
    # sim.windows.dotnet_tls: the computer's .NET offers only TLS 1.0, the service accepts 1.2 and newer.
    tls = candidate("dotnet-tls-too-old")
    log, problem = run_candidate(scenario_text(tls, CONTEXT))
    sessions = [s for s in split_sessions(parse_log_text(log)) if s.failed]
    assert problem == "" and sessions and all(s.signature.kinds == ("serverVersion: TLS failure",) for s in sessions)
    diagnosis = diagnose(parse_log_text(log), workers=1)
    assert diagnosis.verdict == "explained" and [c.candidate.id for c in diagnosis.top] == ["dotnet-tls-too-old"]
    assert "SchUseStrongCrypto" in tls.advice and "STRATAFOLIO decides the oldest TLS version" in tls.advice
    # The certificate's simulation writes .NET's other kind: it does not explain a version mismatch.
    assert next(c for c in diagnosis.ranked if c.candidate.id == "service-certificate").score < 0.8
