"""QuickBooks' answer to Web Connector's CompanyQuery against the published ones
(tests/data/real_company_answers/): the company information a file holds, written as QuickBooks
writes it: only the fields the office filled in, in qbXML's order, unevenly from file to file."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sim.office import build_office
from sim.quickbooks.company_file import CompanyFile
from sim.quickbooks.company_info import company_ret, draw_company_info
from sim.webconnector import own_qbxml

ANSWERS = Path(__file__).resolve().parent / "data" / "real_company_answers"


def children(xml: str) -> list[str]:
    """The CompanyRet's child element names, in order, data extensions left out."""
    return [child.tag for child in ET.fromstring(xml) if child.tag != "DataExtRet"]


def real(name: str) -> str:
    return (ANSWERS / name).read_text(encoding="utf-8").replace("<yzer/DataExtType>", "</DataExtType>")  # (the fixture's typo)


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
    assert any(info["Address"] == info["LegalAddress"] for info in both) and any(info["Address"] != info["LegalAddress"] for info in both)


def test_an_address_block_is_written_as_quickbooks_writes_it():
    # FIELD: the sample file's "Middlefield, CA  94471" and the Pro 2014 file's "CA 12345" under a P.O. box typed as the city.
    text = company_ret("X", {"Address": {"Addr1": "110 Sampson Way", "City": "Middlefield", "State": "CA", "PostalCode": "94471", "Country": "US"}})
    assert "<AddressBlock>\n<Addr1>110 Sampson Way</Addr1>\n<Addr2>Middlefield, CA  94471</Addr2>\n</AddressBlock>" in text
    text = company_ret("X", {"Address": {"City": "P.O. Box 12345", "State": "CA", "PostalCode": "12345", "Country": "US"}})
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
        company = CompanyFile("Acme Properties", [], company_info={"Phone": "217-555-0100", "EIN": "12-3456789"})

    answer = own_qbxml.company_answer(Sdk, "UNLOCKED:FILESRV")
    assert "<Phone>217-555-0100</Phone>" in answer and "<EIN>12-3456789</EIN>" in answer and "<Address>" not in answer
    Sdk.company.company_info = {"Email": "office@acme.com"}
    answer = own_qbxml.company_answer(Sdk, "UNLOCKED:FILESRV")
    assert "<Email>office@acme.com</Email>" in answer and "<Phone>" not in answer
