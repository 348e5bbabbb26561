"""Each callback result of the contract steers the Web Connector's update session as the PG says."""

import pytest

from sim.quickbooks.qbxml import Request, build_request
from sim.stratafolio.service import SERVICE_URL

URL = "https://qb.example.com/qbwc"
#: The linked office's company file: a service returns it from authenticate, as the PG advises
#: (a service answering "" would mean the file open in QuickBooks, and QuickBooks is closed).
PATH = r"D:\QBData\Company Files\Acme Properties.QBW"


class ScriptedService:
    """A web service whose answers a test sets, and which remembers every call."""

    def __init__(self, **answers):
        self.calls = []
        self.answers = {
            "serverVersion": "1.0",
            "clientVersion": "",
            "authenticate": ["T1", PATH],
            "sendRequestXML": [build_request([Request("CustomerQueryRq", "1")])],
            "receiveResponseXML": [100],
            "connectionError": ["done"],
            "getLastError": ["the last error"],
            "closeConnection": "bye",
        }
        self.answers.update(answers)
        self.responses = []

    def _next(self, name):
        answer = self.answers[name]
        if isinstance(answer, list) and name != "authenticate":
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def serverVersion(self):
        self.calls.append("serverVersion")
        return self._next("serverVersion")

    def clientVersion(self, strVersion):
        self.calls.append("clientVersion")
        return self._next("clientVersion")

    def authenticate(self, strUserName, strPassword):
        self.calls.append("authenticate")
        self.credentials = (strUserName, strPassword)
        return self._next("authenticate")

    def sendRequestXML(self, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers):
        self.calls.append("sendRequestXML")
        self.hcp = getattr(self, "hcp", None) or strHCPResponse
        return self._next("sendRequestXML")

    def receiveResponseXML(self, ticket, response, hresult, message):
        self.calls.append("receiveResponseXML")
        self.responses.append((response, hresult))
        return self._next("receiveResponseXML")

    def connectionError(self, ticket, hresult, message):
        self.calls.append(f"connectionError:{hresult}")
        return self._next("connectionError")

    def getLastError(self, ticket):
        self.calls.append("getLastError")
        return self._next("getLastError")

    def closeConnection(self, ticket):
        self.calls.append("closeConnection")
        return self._next("closeConnection")


@pytest.fixture
def run(linked_office):
    """Point the linked app at a scripted service and run one manual update."""
    office = linked_office
    app = office.apps["Acme Properties"]
    connector = office.web_connector

    def go(service, until_minutes=10):
        office.world.web_services[SERVICE_URL] = service
        process = connector.update_selected([app])
        office.world.run(minutes=until_minutes)
        return process.value[0]

    return go


def test_a_complete_session_calls_the_contract_in_order(run, linked_office):
    service = ScriptedService()
    result = run(service)
    assert result.outcome == "succeeded"
    assert service.calls == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert "<HostQueryRs" in service.hcp and "<CompanyName>Acme Properties</CompanyName>" in service.hcp
    assert "<CustomerRet>" in service.responses[0][0]


def test_password_reaches_the_service_but_never_the_log(run, linked_office):
    service = ScriptedService()
    linked_office.server.qwc_log.level = "VERBOSE"
    run(service)
    user, password = service.credentials
    log = linked_office.server.qwc_log.text()
    assert password and password not in log and "Calling authenticate" in log


@pytest.mark.parametrize(
    "answer, outcome", [("E:too old", "failed"), ("O:3.0", "failed"), ("W:please upgrade", "succeeded")]
)
def test_client_version_answers(run, answer, outcome):
    # PG ch.2: E: aborts; O: names the Web Connector the service needs, and the update stops; W: warns.
    assert run(ScriptedService(clientVersion=answer)).outcome == outcome


def test_client_version_o_stops_before_authenticate_and_says_which_version(run, linked_office):
    service = ScriptedService(clientVersion="O:3.0")
    run(service)
    assert "authenticate" not in service.calls
    assert (
        "The application requires QBWebConnector version 3.0 or later. Update stopped."
        in linked_office.server.qwc_log.text()
    )


def test_nvu_is_an_invalid_user(run, linked_office):
    service = ScriptedService(authenticate=["", "nvu"])
    result = run(service)
    assert (result.outcome, result.code) == ("failed", "QBWC1040")
    assert "sendRequestXML" not in service.calls


def test_none_means_no_work(run, linked_office):
    service = ScriptedService(authenticate=["T1", "none"])
    result = run(service)
    assert result.outcome == "no work" and result.succeeded
    # Real logs: "No data to exchange for this application. Job ending." and no closeConnection.
    assert service.calls[-1] == "authenticate" and "sendRequestXML" not in service.calls
    assert "No data to exchange for this application. Job ending." in linked_office.server.qwc_log.text()


def test_busy(run):
    assert run(ScriptedService(authenticate=["T1", "busy"])).outcome == "busy"


def test_more_than_four_strings_is_qbwc1012(run):
    assert run(ScriptedService(authenticate=["T", "", "0", "0", "x"])).code == "QBWC1012"


def test_a_path_from_authenticate_is_used_and_fails_when_wrong(run):
    service = ScriptedService(authenticate=["T1", r"D:\QBData\Elsewhere.QBW"])
    result = run(service)
    assert result.code == "0x80040408"
    assert service.calls.count("connectionError:0x80040408") == 1


def test_connection_error_retries_until_done(run, linked_office):
    from sim.people.admin import rename_company_file

    rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Renamed.QBW")
    service = ScriptedService(connectionError=[PATH, PATH, "done"])
    result = run(service)
    assert service.calls.count("connectionError:0x80040408") == 3
    assert result.code == "0x80040408"


def test_connection_error_answering_empty_means_the_file_open_in_quickbooks(run, linked_office):
    # PG ch.10: "" is the company file open now; with QuickBooks closed there is none.
    from sim.people.admin import rename_company_file

    rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Renamed.QBW")
    service = ScriptedService(connectionError=["", "done"])
    result = run(service)
    assert (
        service.calls.count("connectionError:0x80040408") == 1
        and service.calls.count("connectionError:0x80040416") == 1
    )
    assert result.code == "0x80040416"


def test_connection_error_can_name_another_path(run, linked_office):
    from sim.people.admin import rename_company_file

    new = rename_company_file(linked_office.server, linked_office.files["Acme Properties"], "Renamed.QBW")
    service = ScriptedService(connectionError=[new])
    assert run(service).outcome == "succeeded"


def test_noop_waits_five_seconds_then_asks_again(run, linked_office):
    service = ScriptedService(
        sendRequestXML=["", "", build_request([Request("CustomerQueryRq", "1")])], getLastError=["NoOp"]
    )
    result = run(service)
    assert result.outcome == "succeeded"
    assert service.calls.count("getLastError") == 2
    assert result.ended - result.started >= 10
    assert linked_office.server.qwc_log.text().count('<getLastErrorRet="NoOp">') == 2


def test_empty_request_with_an_error_stops(run):
    service = ScriptedService(sendRequestXML=[""], getLastError=["cannot build request"])
    result = run(service)
    assert (result.outcome, result.message) == ("failed", "cannot build request")
    assert service.calls[-1] == "closeConnection"


def test_negative_percent_asks_for_the_error_and_closes(run):
    service = ScriptedService(receiveResponseXML=[-1], getLastError=["bad data"])
    result = run(service)
    assert result.outcome == "failed" and result.message == "bad data"
    assert service.calls[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]


def test_percent_below_100_sends_again(run):
    service = ScriptedService(receiveResponseXML=[30, 60, 100])
    run(service)
    assert service.calls.count("sendRequestXML") == 3


def test_a_parse_error_reaches_the_service_as_hresult(run):
    service = ScriptedService(sendRequestXML=["<not qbxml"], receiveResponseXML=[-1])
    result = run(service)
    assert service.responses[0] == ("", "0x80040400")
    assert result.code == "0x80040400"


def test_an_exception_inside_a_callback_is_qbwc1012(run):
    class Broken(ScriptedService):
        def authenticate(self, strUserName, strPassword):
            raise RuntimeError("database down")

    result = run(Broken())
    assert result.code == "QBWC1012" and "database down" in result.message


def test_unreachable_service(run, linked_office):
    linked_office.world.web_services.clear()
    process = linked_office.web_connector.update_selected("all")
    linked_office.world.run(minutes=1)
    assert process.value[0].code == "QBWC1012"


def test_log_lines_have_the_real_format(run, linked_office):
    import re

    run(ScriptedService())
    text = linked_office.server.qwc_log.text()
    # UTC stamps (7:00 in the office is 12:00 UTC), a tab, the prefix, " : ", the message.
    assert re.search(
        r"^20260105\.12:00:\d\d UTC\t: "
        r"QBWebConnector\.WebServiceManager\.DoUpdateSelected\(\) : updateWS\(\) for "
        r"application = 'STRATAFOLIO - Acme Properties' has STARTED$",
        text,
        re.M,
    )
    assert re.search(
        r"^20260105\.12:00:\d\d UTC\t: QBWebConnector\.RegistryManager\.setUpdateLock\(\) "
        r": \*{21} Update session locked \*{21}$",
        text,
        re.M,
    )
    assert any(
        line.endswith(
            "QBWebConnector.WebServiceManager.DoUpdateSelected() : Update for application = "
            "'STRATAFOLIO - Acme Properties' has COMPLETED"
        )
        for line in text.splitlines()
    )


def test_update_lock_is_set_during_the_update_only(run, linked_office):
    app = linked_office.apps["Acme Properties"]
    connector = linked_office.web_connector
    linked_office.world.web_services[SERVICE_URL] = ScriptedService()
    connector.update_selected([app])
    linked_office.world.run(seconds=1)
    assert connector.update_lock
    assert (
        linked_office.server.registry.get_value(
            r"HKEY_CURRENT_USER\Software\Intuit\QBWebConnector", "UpdateLock", user="Administrator"
        )
        == "True"
    )
    linked_office.world.run(minutes=5)
    assert not connector.update_lock


def test_sleep_mid_update_interrupts_it_and_frees_the_file(linked_office):
    connector = linked_office.web_connector
    process = connector.update_selected("all")
    linked_office.world.run(seconds=3)
    linked_office.server.sleep()
    linked_office.world.run(minutes=1)
    assert [r.outcome for r in process.value] == ["interrupted"]
    assert linked_office.world.trace.select("update.finished")[-1].get("outcome") == "interrupted"
    assert linked_office.server.fs.holders(linked_office.files["Acme Properties"]) == []


def test_none_in_capitals_is_no_work_too(run):
    service = ScriptedService(authenticate=["T1", "NONE"])
    assert run(service).outcome == "no work" and "sendRequestXML" not in service.calls


class RecordingService(ScriptedService):
    """Keeps what each sendRequestXML received as strHCPResponse."""

    def sendRequestXML(self, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers):
        self.hcp_received = getattr(self, "hcp_received", []) + [strHCPResponse]
        return super().sendRequestXML(
            ticket, strHCPResponse, strCompanyFileName, qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers
        )


def test_the_host_company_and_preferences_answers_reach_the_service_on_the_first_send_only(run):
    # PG ch.10 (DOMAIN.md section 3): strHCPResponse carries the HostQuery, CompanyQuery and
    # PreferencesQuery results on the first sendRequestXML of a session only; later calls get "".
    service = RecordingService(receiveResponseXML=[30, 60, 100])
    assert run(service).outcome == "succeeded"
    first, *later = service.hcp_received
    assert "<HostQueryRs" in first and "<CompanyQueryRs" in first and "<PreferencesQueryRs" in first
    assert later == ["", ""]


def test_quickbooks_and_the_service_take_varied_seeded_times(linked_office):
    # FIELD (published logs): QuickBooks takes about 8 s to fail to open a file in the background, a
    # callback about a second or less, and no two sessions take the same time; seeded, so a seed repeats.
    from sim.people.admin import rename_company_file
    from tests.test_pg_session_rules import update

    office = linked_office
    took = [
        round(r.ended - r.started, 3) for r in (update(office, ScriptedService(), auto_run=False)[0] for _ in range(3))
    ]
    assert len(set(took)) == 3
    rename_company_file(office.server, office.files["Acme Properties"], "Gone.QBW")
    mark = len(office.world.trace)
    [failed] = update(office, ScriptedService(), auto_run=False)
    attempts = office.world.trace.select("sdk.begin_session_failed", since=mark)
    connection_error = office.world.trace.select("update.finished", since=mark)[0]
    assert failed.code == "0x80040408" and attempts
    assert 5 <= connection_error.seconds - attempts[-1].seconds <= 12  # QuickBooks' failure, then the calls after it
