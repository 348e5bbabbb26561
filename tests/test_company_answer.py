"""QuickBooks' answer to Web Connector's CompanyQuery against the published ones
(tests/data/real_company_answers/): the company information a file holds, written as QuickBooks
writes it: only the fields the office filled in, in qbXML's order, unevenly from file to file."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sim.office import build_office
from sim.quickbooks import company_info
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.company_info import SERVICES, company_ret, draw_company_info
from sim.webconnector import own_qbxml
from tests.test_pg_session_rules import update
from tests.test_update_session import RecordingService

ANSWERS = Path(__file__).resolve().parent / "data" / "real_company_answers"


def children(xml: str) -> list[str]:
    """The CompanyRet's child element names, in order, data extensions left out."""
    return [child.tag for child in ET.fromstring(xml) if child.tag != "DataExtRet"]


def real(name: str) -> str:
    return (
        (ANSWERS / name).read_text(encoding="utf-8").replace("<yzer/DataExtType>", "</DataExtType>")
    )  # (the fixture's typo)


def simulated(seed: int, name: str = "Acme Properties") -> str:
    return "<CompanyRet>\n" + company_ret(name, draw_company_info(seed, name)) + "</CompanyRet>"


REAL = [real("sample-file-wholesale-verbose-log.xml"), real("pro-2014-strhcpresponse-qbwc-gem.xml")]
#: qbXML's order of a CompanyRet's elements, as the sample file's full answer shows it.
ORDER = children(REAL[0])
SEEDS = range(60)


def test_every_element_written_is_one_a_published_answer_shows_in_the_order_it_shows_it():
    for seed in SEEDS:
        names = children(simulated(seed))
        assert set(names) <= set(ORDER), seed
        assert names == sorted(names, key=ORDER.index), seed


def test_the_published_answers_are_read_as_the_writer_reads_them():
    # (the Pro 2014 answer's elements are a subset of the sample's, in the same order: what the test above relies on)
    assert children(REAL[1]) == sorted(children(REAL[1]), key=ORDER.index) and set(children(REAL[1])) < set(ORDER)


def test_no_element_is_written_empty():
    for seed in SEEDS:
        assert not re.search(r"<(\w+)></\1>|<\w+ ?/>", simulated(seed)), seed


def test_company_information_is_sparse_and_uneven_as_small_offices_fill_it_in():
    shapes = [children(simulated(seed)) for seed in SEEDS]
    # Like the Pro 2014 answer, most files have no customer-facing address; some have no address at all.
    assert sum("CompanyAddressForCustomer" in shape for shape in shapes) < len(shapes) / 2
    assert any("Address" not in shape for shape in shapes)
    assert any("EIN" not in shape for shape in shapes) and any("EIN" in shape for shape in shapes)
    assert len({tuple(shape) for shape in shapes}) > 10  # not one template filled in
    # Where an office gave both, the legal address is not always a copy of the address.
    infos = [draw_company_info(seed, "Acme Properties") for seed in SEEDS]
    both = [info for info in infos if "Address" in info and "LegalAddress" in info]
    assert any(info["Address"] == info["LegalAddress"] for info in both) and any(
        info["Address"] != info["LegalAddress"] for info in both
    )


def test_an_address_block_is_written_as_quickbooks_writes_it():
    # FIELD: the sample file's "Middlefield, CA  94471" and the Pro 2014 file's "CA 12345" under a P.O. box typed as the
    # city.
    text = company_ret(
        "X",
        {
            "Address": {
                "Addr1": "110 Sampson Way",
                "City": "Middlefield",
                "State": "CA",
                "PostalCode": "94471",
                "Country": "US",
            }
        },
    )
    assert (
        "<AddressBlock>\n<Addr1>110 Sampson Way</Addr1>\n<Addr2>Middlefield, CA  94471</Addr2>\n</AddressBlock>" in text
    )
    text = company_ret(
        "X", {"Address": {"City": "P.O. Box 12345", "State": "CA", "PostalCode": "12345", "Country": "US"}}
    )
    assert "<AddressBlock>\n<Addr1>P.O. Box 12345</Addr1>\n<Addr2>CA 12345</Addr2>\n</AddressBlock>" in text


def test_a_company_files_information_is_drawn_once_from_the_seed_and_kept_in_the_file():
    assert draw_company_info(7, "Acme Properties") == draw_company_info(7, "Acme Properties")
    assert draw_company_info(7, "Acme Properties") != draw_company_info(8, "Acme Properties")
    office = build_office(seed=3)
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    assert company.company_info == draw_company_info(3, "Acme Properties")


def test_web_connectors_company_query_is_answered_from_the_company_file():
    """The dump carries what the file holds: change the file's information and the answer follows."""

    class Sdk:
        owner_id = "{OWNER}"
        company = CompanyFile(
            "Acme Properties",
            [],
            company_info={"Phone": "217-555-0100", "EIN": "12-3456789"},
            app_locks={"{OWNER}": "UNLOCKED:FILESRV"},
        )

    answer = "".join(own_qbxml.company_answer(Sdk))
    assert "<Phone>217-555-0100</Phone>" in answer and "<EIN>12-3456789</EIN>" in answer and "<Address>" not in answer
    assert "<DataExtValue>UNLOCKED:FILESRV</DataExtValue>" in answer
    Sdk.company.company_info = {"Email": "office@acme.com"}
    answer = "".join(own_qbxml.company_answer(Sdk))
    assert "<Email>office@acme.com</Email>" in answer and "<Phone>" not in answer


def test_a_company_is_one_business_its_addresses_in_one_state_its_tax_form_fitting_its_legal_form():
    """The fields are drawn as one business, not each on its own: every address of a file is in one
    state, the phone has that state's area code, the tax form fits the legal name's suffix."""
    infos = [draw_company_info(seed, "Acme Properties") for seed in range(300)]
    blocks = ("Address", "LegalAddress", "CompanyAddressForCustomer")
    with_two = [info for info in infos if sum(block in info for block in blocks) >= 2]
    assert len(with_two) > 100
    assert all(len({info[block]["State"] for block in blocks if block in info}) == 1 for info in with_two)
    area_of = {state: area for state, area, _ in company_info._STATES}
    phoned = [info for info in infos if "Phone" in info and "Address" in info]
    assert all(area_of[info["Address"]["State"]] in info["Phone"] for info in phoned)
    corporation = (", Inc.", " Inc", " Corp.", " Corporation")
    for info in infos:
        legal, form = info.get("LegalCompanyName", ""), info.get("TaxForm")
        if legal.endswith(corporation) and form:
            assert form in ("Form1120", "Form1120S"), info
        if form == "Form1065":
            assert not legal.endswith(corporation), info


def test_most_files_carry_a_legal_name_often_the_company_name_itself():
    infos = [draw_company_info(seed, "Acme Properties") for seed in range(300)]
    legal = [info["LegalCompanyName"] for info in infos if "LegalCompanyName" in info]
    assert len(legal) > 0.75 * len(infos)
    assert 0.25 < legal.count("Acme Properties") / len(legal) < 0.75


def test_some_files_subscribe_to_a_service_most_to_none():
    infos = [draw_company_info(seed, "Acme Properties") for seed in range(300)]
    subscribed = [info for info in infos if info.get("Services")]
    assert 0.15 * len(infos) < len(subscribed) < 0.6 * len(infos)
    assert any("Active" in info["Services"].values() for info in subscribed)


def test_the_first_sendrequestxml_carries_the_files_whole_company_record():
    """The HCP answer's CompanyRet is the same record Web Connector's own CompanyQuery gets: the
    company information and the application's AppLock (set) and FileID (FIELD: the qbwc gem's
    strHCPResponse)."""
    office = build_office(seed=5)
    office.link_all()
    company = CompanyFile.load(office.server, office.files["Acme Properties"])
    service = RecordingService(receiveResponseXML=[100])
    update(office, service, auto_run=False)
    hcp = service.hcp_received[0]
    ret = ET.fromstring(hcp).find("QBXMLMsgsRs/CompanyQueryRs/CompanyRet")
    assert ret is not None
    flat = ET.tostring(ret, encoding="unicode")
    for field in company.company_info:
        if field != "Services":
            assert f"<{field}>" in flat, field
    extensions = {ext.findtext("DataExtName"): ext.findtext("DataExtValue") for ext in ret.iter("DataExtRet")}
    assert extensions["AppLock"].startswith("LOCKED:FILESRV:") and extensions["FileID"] == next(
        iter(company.file_ids.values())
    )


def test_a_debug_log_does_not_make_the_company_record_it_would_cut(monkeypatch):
    """DEBUG keeps an answer's first 75 characters, all before the record: the record is made only
    for a VERBOSE log, which writes it whole."""
    from sim.webconnector.log import QwcLog
    from sim.webconnector.vocabulary import LINE
    from sim.world import World

    made = []
    record = own_qbxml.company_record
    monkeypatch.setattr(own_qbxml, "company_record", lambda *a: made.append(1) or record(*a))

    class Sdk:
        owner_id = "{OWNER}"
        company = CompanyFile("Acme Properties", [], company_info={"Phone": "217-555-0100"})

    log = QwcLog(World(seed=1).add_server("SRV", logged_in="Administrator"), level="DEBUG")
    log.dump(LINE.company_query_dump, own_qbxml.company_answer(Sdk))
    assert made == [] and log.text().splitlines()[-2].endswith('<CompanyQueryRs requestID="1" ......')
    log.level = "VERBOSE"
    log.dump(LINE.company_query_dump, own_qbxml.company_answer(Sdk))
    assert made == [1] and "<Phone>217-555-0100</Phone>" in log.text().splitlines()


def test_every_value_of_the_company_information_is_escaped_even_a_services_status():
    import xml.etree.ElementTree as ET

    domain = SERVICES[0][1]
    text = company_ret("A & B <Realty>", {"LegalCompanyName": "A & B", "Services": {domain: "<b>&"}})
    record = ET.fromstring("<CompanyRet>" + text + "</CompanyRet>")
    assert record.findtext("CompanyName") == "A & B <Realty>"
    statuses = [s.findtext("ServiceStatus") for s in record.iter("Service") if s.findtext("Domain") == domain]
    assert statuses == ["<b>&"]
