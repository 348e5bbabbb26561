"""The qbXML Web Connector sends on its own behalf, and QuickBooks' answers to it, as published logs dump them.

Besides what the service sends, Web Connector talks to QuickBooks itself: adding an application it
looks for its FileID and creates the FileID and AppLock data extensions; each session reads and sets
the AppLock (sim.webconnector.company_file_lock). Its requests are one line; QuickBooks' answers one
element to a line (FIELD: SHAPES.md sections 4, 9, 10). The dumps carry what the company file holds
(the lock, the FileID); the company's address, phone and EIN, which the model does not keep, are made
up from its name, the same name always giving the same ones.
"""

from __future__ import annotations

import functools
import random
import zlib
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["company_query", "company_answer", "data_ext_mod", "data_ext_mod_answer", "data_ext_def_query", "data_ext_def_add", "data_ext_add", "answer"]


# Web Connector's own qbXML for the AppLock, as published VERBOSE logs show it (FIELD: SHAPES.md
# section 10): requests on one line, QuickBooks' answers one element to a line.
def _request(version: str) -> str:
    return f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="stopOnError">'


def company_query(owner_id: str, version: str) -> str:
    return _request(version) + f'<CompanyQueryRq requestID="1"><OwnerID>{owner_id}</OwnerID></CompanyQueryRq></QBXMLMsgsRq></QBXML>'


def _data_ext_ret(owner_id: str, name: str, value: str) -> str:
    return f"<DataExtRet>\n<OwnerID>{owner_id}</OwnerID>\n<DataExtName>{name}</DataExtName>\n<DataExtType>STR255TYPE</DataExtType>\n<DataExtValue>{value}</DataExtValue>\n</DataExtRet>\n"


#: QuickBooks' catalogue of services, listed with every company (FIELD: a published CompanyQuery answer).
_SERVICES = (
    ("QuickBooks Online Banking", "banking.qb"), ("QuickBooks Online Billing", "billing.qb"),
    ("QuickBooks Online Billing Level 1 Service", "qbob1.qbn"), ("QuickBooks Online Billing Level 2 Service", "qbob2.qbn"),
    ("QuickBooks Online Billing Payment Service", "qbobpay.qbn"), ("QuickBooks Bill Payment", "billpay.qb"),
    ("QuickBooks Online Billing Paper Mailing Service", "qbobpaper.qbn"), ("QuickBooks Payroll Service", "payroll.qb"),
    ("QuickBooks Basic Payroll Service", "payrollbsc.qb"), ("QuickBooks Basic Disk Payroll Service", "payrollbscdisk.qb"),
    ("QuickBooks Deluxe Payroll Service", "payrolldlx.qb"), ("QuickBooks Premier Payroll Service", "payrollprm.qb"),
    ("Basic Plus Federal", "basic_plus_fed.qb"), ("Basic Plus Federal and State", "basic_plus_fed_state.qb"),
    ("Basic Plus Direct Deposit", "basic_plus_dd.qb"), ("Merchant Account Service", "mas.qbn"),
)


#: Towns a company may be in (city, state, ZIP code, area code), and streets: real ones, so the
#: address a company is given hangs together as a real company's does.
_TOWNS = (
    ("Springfield", "IL", "62701", "217"), ("Columbus", "OH", "43215", "614"), ("Austin", "TX", "78701", "512"),
    ("Denver", "CO", "80202", "303"), ("Raleigh", "NC", "27601", "919"), ("Tampa", "FL", "33602", "813"),
    ("Phoenix", "AZ", "85004", "602"), ("Portland", "OR", "97204", "503"),
)
_STREETS = ("Main Street", "Oak Avenue", "Market Street", "Park Avenue", "Washington Street", "Elm Street", "Broadway", "Commerce Drive")


@functools.lru_cache(maxsize=64)
def _company_ret(company_name: str) -> str:
    """What QuickBooks says of a company before its data extensions, in qbXML's element order:
    its name, an address, phone and EIN made up from the name (the model keeps none; the same name
    always gets the same ones), its fiscal year and the services catalogue."""
    draw = random.Random(zlib.crc32(company_name.encode("utf-8")))
    city, state, postcode, area = draw.choice(_TOWNS)
    street = f"{draw.randrange(100, 2900)} {draw.choice(_STREETS)}"
    name = escape(company_name)
    address = f"<Addr1>{street}</Addr1>\n<City>{city}</City>\n<State>{state}</State>\n<PostalCode>{postcode}</PostalCode>\n<Country>US</Country>\n"
    block = f"<Addr1>{street}</Addr1>\n<Addr2>{city}, {state}  {postcode}</Addr2>\n"
    customer_address = address.replace("<Country>US</Country>\n", "")  # (QuickBooks writes no country there)
    phone = f"{area}-{draw.randrange(200, 999)}-{draw.randrange(10000):04d}"
    return (
        f"<CompanyRet>\n<IsSampleCompany>false</IsSampleCompany>\n<CompanyName>{name}</CompanyName>\n<LegalCompanyName>{name}</LegalCompanyName>\n"
        f"<Address>\n{address}</Address>\n<AddressBlock>\n{block}</AddressBlock>\n<LegalAddress>\n{address}</LegalAddress>\n"
        f"<CompanyAddressForCustomer>\n{customer_address}</CompanyAddressForCustomer>\n<CompanyAddressBlockForCustomer>\n{block}</CompanyAddressBlockForCustomer>\n"
        f"<Phone>{phone}</Phone>\n"
        "<FirstMonthFiscalYear>January</FirstMonthFiscalYear>\n<FirstMonthIncomeTaxYear>January</FirstMonthIncomeTaxYear>\n"
        f"<CompanyType>RealEstateBrokerage</CompanyType>\n<EIN>{draw.randrange(10, 99)}-{draw.randrange(10**7):07d}</EIN>\n<TaxForm>Form1120S</TaxForm>\n<SubscribedServices>\n"
        + "".join(f"<Service>\n<Name>{service}</Name>\n<Domain>{domain}</Domain>\n<ServiceStatus>Never</ServiceStatus>\n</Service>\n" for service, domain in _SERVICES)
        + "</SubscribedServices>\n<AccountantCopy>\n<AccountantCopyExists>false</AccountantCopyExists>\n</AccountantCopy>\n"
    )


def company_answer(sdk: Any, lock: str) -> str:
    """QuickBooks' answer: the company, with the application's AppLock and FileID."""
    return (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n'
        + _company_ret(sdk.company.company_name)
        + _data_ext_ret(sdk.owner_id, "AppLock", lock)
        + _data_ext_ret(sdk.owner_id, "FileID", sdk.company.file_ids.get(sdk.owner_id, ""))
        + "</CompanyRet>\n</CompanyQueryRs>\n</QBXMLMsgsRs>\n</QBXML>\n"
    )


def data_ext_mod(owner_id: str, value: str, version: str) -> str:
    return _request(version) + (
        f'<DataExtModRq requestID="1"><DataExtMod><OwnerID>{owner_id}</OwnerID><DataExtName>AppLock</DataExtName>'
        f"<OtherDataExtType>Company</OtherDataExtType><DataExtValue>{value}</DataExtValue></DataExtMod></DataExtModRq></QBXMLMsgsRq></QBXML>"
    )


def data_ext_mod_answer(owner_id: str, value: str) -> str:
    return (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<DataExtModRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n'
        + _data_ext_ret(owner_id, "AppLock", value)
        + "</DataExtModRs>\n</QBXMLMsgsRs>\n</QBXML>\n"
    )


# Adding an application (DEBUG keeps the first 75 characters of each dump).
def data_ext_def_query(owner_id: str, version: str) -> str:
    return _request(version) + f"<DataExtDefQueryRq><OwnerID>{owner_id}</OwnerID></DataExtDefQueryRq></QBXMLMsgsRq></QBXML>"


def data_ext_def_add(owner_id: str, name: str, version: str) -> str:
    return (
        _request(version) + f"<DataExtDefAddRq><DataExtDefAdd><OwnerID>{owner_id}</OwnerID><DataExtName>{name}</DataExtName>"
        "<DataExtType>STR255TYPE</DataExtType><AssignToObject>Company</AssignToObject></DataExtDefAdd></DataExtDefAddRq></QBXMLMsgsRq></QBXML>"
    )


def data_ext_add(owner_id: str, name: str, value: str, version: str) -> str:
    return (
        _request(version) + f"<DataExtAddRq><DataExtAdd><OwnerID>{owner_id}</OwnerID><DataExtName>{name}</DataExtName>"
        f"<DataExtValue>{value}</DataExtValue></DataExtAdd></DataExtAddRq></QBXMLMsgsRq></QBXML>"
    )


def answer(element: str, code: str, message: str, severity: str = "Info") -> str:
    return (
        '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n'
        f'<{element} requestID="1" statusCode="{code}" statusSeverity="{severity}" statusMessage="{message}" />\n</QBXMLMsgsRs>\n</QBXML>\n'
    )
