"""The TLS versions of the two sides: a computer whose .NET Framework offers only TLS 1.0 (SchUseStrongCrypto 0)
cannot open a connection to a service that accepts only TLS 1.2 or newer, every sync failing at serverVersion in
.NET's words, until TLS 1.2 is enabled for .NET or the service accepts older versions (FIELD:
tests/data/dotnet_tls.md)."""

import pytest

from sim.diagnose.sessions import error_kinds
from sim.errors import ConfigurationError
from sim.scenario import ScenarioError, find_scenario, load_scenario, parse_scenario
from sim.scenario_run import ScenarioRun, change_service
from sim.stratafolio.misbehaviour import misbehave
from sim.webconnector.contract import REFUSED, RefusedHandshake
from sim.windows.dotnet_tls import (
    DOTNET_KEY,
    DOTNET_KEY_32BIT,
    SECURE_CHANNEL_FAILED,
    STRONG_CRYPTO,
    handshake_refusal,
    offered_tls,
    set_dotnet_tls,
)
from tests.gherkin_runner import run_feature


def sync(office):
    process = office.web_connector.update_selected("all")
    office.world.run_until_done(process, 5)
    return process.value[0]


def test_a_computer_offering_only_tls_1_0_fails_at_server_version_in_nets_words(linked_office):
    office = linked_office
    set_dotnet_tls(office.server, "1.0")
    result = sync(office)
    assert (result.outcome, result.code, result.message) == (
        "failed",
        "QBWC1012",
        f"serverVersion: {SECURE_CHANNEL_FAILED}",
    )
    lines = [line for line in office.server.qwc_log.text().splitlines() if "do_serverVersion()" in line]
    assert lines[-1].endswith(
        f"Actual error received from web service for serverVersion call: <{SECURE_CHANNEL_FAILED}>"
    )
    assert office.world.trace.select("windows.tls_handshake_refused", offered="TLS 1.0", service_minimum="TLS 1.2")


def test_enabling_tls_1_2_for_dotnet_brings_the_syncs_back(linked_office):
    office = linked_office
    set_dotnet_tls(office.server, "1.0")
    assert sync(office).outcome == "failed"
    set_dotnet_tls(office.server, "1.2")
    assert (
        office.server.registry.get_value(DOTNET_KEY, STRONG_CRYPTO)
        == office.server.registry.get_value(DOTNET_KEY_32BIT, STRONG_CRYPTO)
        == 1
    )
    assert sync(office).succeeded


def test_the_service_accepting_tls_1_0_again_brings_the_syncs_back_too(linked_office):
    office = linked_office
    set_dotnet_tls(office.server, "1.0")
    change_service(office.world, "minimum_tls", "1.0")
    assert sync(office).succeeded
    change_service(office.world, "minimum_tls", "1.1")
    assert sync(office).outcome == "failed"


def test_the_web_connector_reads_the_32_bit_dotnet_key_and_no_value_offers_tls_1_2(linked_office):
    # The Web Connector is a 32-bit program (Program Files (x86)): the 64-bit key alone does not change it.
    office = linked_office
    assert (
        office.server.registry.get_value(DOTNET_KEY_32BIT, STRONG_CRYPTO) is None
        and offered_tls(office.server) == "1.2"
    )
    office.server.registry.set_value(DOTNET_KEY, STRONG_CRYPTO, 0)
    assert sync(office).succeeded
    office.server.registry.set_value(DOTNET_KEY_32BIT, STRONG_CRYPTO, 0)
    assert offered_tls(office.server) == "1.0" and sync(office).outcome == "failed"


def test_the_handshake_comes_after_the_port_and_before_the_certificate(linked_office):
    office = linked_office
    set_dotnet_tls(office.server, "1.0")
    change_service(office.world, "certificate", "expired")
    assert (
        sync(office).message == f"serverVersion: {SECURE_CHANNEL_FAILED}"
    )  # not QBWC1048: no certificate was exchanged
    misbehave(office.world, "serverVersion", "refused")
    assert sync(office).message == f"serverVersion: {REFUSED}"  # nothing listens: no handshake at all


def test_a_plain_http_address_has_no_handshake(linked_office):
    office = linked_office
    service = office.world.stratafolio
    set_dotnet_tls(office.server, "1.0")
    connector = office.server.web_connector()
    assert handshake_refusal(office.server, service, service.url) is not None
    assert isinstance(connector._transport(service.url, "Document"), RefusedHandshake)
    for plain in ("http://localhost:8080/qbwc", "HTTP://LOCALHOST:8080/qbwc"):
        office.world.web_services[plain] = service
        assert not isinstance(connector._transport(plain, "Document"), RefusedHandshake)
    office.world.web_services["HTTPS://LOCALHOST/qbwc"] = service  # the scheme in capitals is still TLS
    assert isinstance(connector._transport("HTTPS://LOCALHOST/qbwc", "Document"), RefusedHandshake)


def test_a_minimum_tls_version_nobody_knows_is_one_line_naming_it(linked_office):
    change_service(linked_office.world, "minimum_tls", "1x2")
    with pytest.raises(ConfigurationError, match="unknown TLS version '1x2'"):
        handshake_refusal(linked_office.server, linked_office.world.stratafolio, linked_office.world.stratafolio.url)


def test_nets_words_for_a_version_mismatch_and_for_an_untrusted_certificate_are_two_kinds():
    assert error_kinds(SECURE_CHANNEL_FAILED) == ("TLS failure",)
    assert error_kinds("Could not establish trust relationship for the SSL/TLS secure channel.") == (
        "certificate not trusted",
    )


def test_the_bundled_reproduction_fails_while_the_versions_differ_and_recovers():
    scenario = load_scenario(find_scenario("service-requires-tls-1-2"))
    run = ScenarioRun(scenario)
    run.run()
    verdicts = run.verdicts()
    assert all(v.holds for v in verdicts), [v for v in verdicts if not v.holds]
    assert run.world.trace.select("windows.tls_handshake_refused")


def test_a_scenario_file_sets_dotnet_to_tls_1_0_or_1_2_only():
    text = find_scenario("service-requires-tls-1-2").read_text(encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"tls: '1\.1' is not one of 1\.0, 1\.2"):
        parse_scenario(text.replace('host = "FILESRV"\ntls = "1.0"', 'host = "FILESRV"\ntls = "1.1"', 1), "office.toml")


def test_the_gherkin_steps_set_each_side(tmp_path):
    feature = """Feature: TLS
  Scenario: The service requires TLS 1.2 and the server's .NET offers only TLS 1.0
    Given "Acme Properties" is linked to STRATAFOLIO and has synced once
    And Auto-Run syncs every integration every 15 minutes
    When the .NET Framework on the server offers only TLS 1.0
    And the simulation runs until "09:00"
    Then every scheduled sync of "Acme Properties" fails with "QBWC1012"
    And the Web Connector log shows "Could not create SSL/TLS secure channel."
    When STRATAFOLIO accepts TLS 1.0 and newer
    And the simulation runs until "10:00"
    Then every scheduled sync succeeds
    When STRATAFOLIO accepts TLS 1.2 and newer
    And the .NET Framework on the server gets TLS 1.2 enabled
    And the simulation runs until "11:00"
    Then every scheduled sync succeeds
"""
    reports = run_feature(tmp_path, feature)
    report = reports["The service requires TLS 1.2 and the server's .NET offers only TLS 1.0"]
    assert report.passed, report.longreprtext
