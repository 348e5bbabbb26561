"""A company file's own company information (Company > My Company), as a small office fills it in,
and how QuickBooks writes it in a CompanyRet.

QuickBooks keeps, beside the records, what the person who created the file typed about the company:
its legal name, addresses, phone, e-mail, EIN, tax form, fiscal year, and the services it subscribed
to. Published CompanyQuery answers show how unevenly that is filled in (FIELD: the two answers kept in
tests/data/real_company_answers/, with their sources): Intuit's sample file has every field and a
customer-facing address in another town; a real QuickBooks Pro 2014 file has a legal name of its own,
an address of a P.O. box typed into the city field, a legal address that differs, a phone and e-mail,
and no customer-facing address, fax or web site. QuickBooks writes no element for a field left empty
(the qbXML SDK's rule for every Ret: an element is present only when it has a value).

How often each field is filled in is assumed (no survey of small offices' company files exists): drawn
once per company file from a stream of its own (the seed and the company's name), so one office's file
is the same in every run and adding a company changes nothing else that is drawn.
"""

from __future__ import annotations

import random
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["draw_company_info", "company_ret"]

#: Towns (city, state, ZIP code, area code): real ones, so an address hangs together as a company's does.
_TOWNS = (
    ("Springfield", "IL", "62701", "217"), ("Columbus", "OH", "43215", "614"), ("Austin", "TX", "78701", "512"),
    ("Denver", "CO", "80202", "303"), ("Raleigh", "NC", "27601", "919"), ("Tampa", "FL", "33602", "813"),
    ("Phoenix", "AZ", "85004", "602"), ("Portland", "OR", "97204", "503"), ("Albany", "NY", "12207", "518"),
    ("Richmond", "VA", "23219", "804"), ("Savannah", "GA", "31401", "912"), ("Boise", "ID", "83702", "208"),
    ("Madison", "WI", "53703", "608"), ("Omaha", "NE", "68102", "402"), ("Trenton", "NJ", "08608", "609"),
)
_STREETS = ("Main St", "Oak Ave", "Market Street", "Park Avenue", "Washington St.", "Elm Street", "Broadway", "Commerce Dr", "N 3rd St", "Lincoln Hwy")
#: CompanyType values: the two seen in published answers, and property businesses' (assumed).
_COMPANY_TYPES = ("RealEstateBrokerage", "RealEstateBrokerage", "GeneralServiceBasedBusiness", "WholesaleDistributionandSales", "InformationTechnologyComputersSoftware")
_TAX_FORMS = ("Form1120S", "Form1065", "Form1120", "Form1040", "OtherOrNone")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_LEGAL_SUFFIXES = (", LLC", " LLC", ", Inc.", " Inc", " Corp.")

#: QuickBooks' catalogue of services, listed with every company (FIELD: both published answers).
SERVICES = (
    ("QuickBooks Online Banking", "banking.qb"), ("QuickBooks Online Billing", "billing.qb"),
    ("QuickBooks Online Billing Level 1 Service", "qbob1.qbn"), ("QuickBooks Online Billing Level 2 Service", "qbob2.qbn"),
    ("QuickBooks Online Billing Payment Service", "qbobpay.qbn"), ("QuickBooks Bill Payment", "billpay.qb"),
    ("QuickBooks Online Billing Paper Mailing Service", "qbobpaper.qbn"), ("QuickBooks Payroll Service", "payroll.qb"),
    ("QuickBooks Basic Payroll Service", "payrollbsc.qb"), ("QuickBooks Basic Disk Payroll Service", "payrollbscdisk.qb"),
    ("QuickBooks Deluxe Payroll Service", "payrolldlx.qb"), ("QuickBooks Premier Payroll Service", "payrollprm.qb"),
    ("Basic Plus Federal", "basic_plus_fed.qb"), ("Basic Plus Federal and State", "basic_plus_fed_state.qb"),
    ("Basic Plus Direct Deposit", "basic_plus_dd.qb"), ("Merchant Account Service", "mas.qbn"),
)


def draw_company_info(seed: int, company_name: str) -> dict[str, Any]:
    """What a small office typed about its company when it created the file (every share assumed)."""
    draw = random.Random(f"company-info:{seed}:{company_name}")  # (a str seed is hashed the same in every process)
    chance = draw.random
    info: dict[str, Any] = {}
    town = draw.choice(_TOWNS)
    street = f"{draw.choice((draw.randrange(2, 99), draw.randrange(100, 999), draw.randrange(1000, 19999)))} {draw.choice(_STREETS)}"
    po_box = f"P.O. Box {draw.randrange(10, 9999)}"

    def address(town: tuple[str, ...], style: str) -> dict[str, str]:
        city, state, postcode, _ = town
        if style == "street":
            lines = {"Addr1": street}
            if chance() < 0.2:
                lines["Addr2"] = draw.choice(("Suite ", "Ste ", "Unit ", "#")) + str(draw.randrange(1, 400))
            return {**lines, "City": city, "State": state, "PostalCode": postcode}
        if style == "po box in city":  # the box typed where the city goes (FIELD: the Pro 2014 answer)
            return {"City": po_box, "State": state, "PostalCode": postcode}
        if style == "po box":
            return {"Addr1": po_box, "City": city, "State": state, "PostalCode": postcode}
        return {"City": city, "State": state}  # only a town

    if chance() < 0.55:
        info["LegalCompanyName"] = company_name + draw.choice(_LEGAL_SUFFIXES) if chance() < 0.6 else company_name
    if chance() < 0.85:
        style = draw.choices(("street", "po box", "po box in city", "town"), (0.6, 0.15, 0.1, 0.15))[0]
        info["Address"] = address(town, style)
        if chance() < 0.7:
            info["Address"]["Country"] = "US"
        legal = chance()
        if legal < 0.5:
            info["LegalAddress"] = dict(info["Address"])
        elif legal < 0.75:  # the owner's or the accountant's address
            info["LegalAddress"] = {**address(draw.choice(_TOWNS), draw.choice(("street", "po box"))), "Country": "US"}
        if chance() < 0.3:  # what customers see: often another office or the same street in the postal town
            info["CompanyAddressForCustomer"] = address(draw.choice((town, draw.choice(_TOWNS))), draw.choice(("street", "po box")))
    if chance() < 0.75:
        area = town[3]
        info["Phone"] = draw.choice(("{a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}")).format(a=area, b=draw.randrange(200, 999), c=f"{draw.randrange(10000):04d}")
        if chance() < 0.15:
            info["Fax"] = f"{area}-{draw.randrange(200, 999)}-{draw.randrange(10000):04d}"
    if chance() < 0.5:
        mailbox = draw.choice(("info", "office", "accounting", "admin", "billing"))
        domain = "".join(ch for ch in company_name.lower() if ch.isalnum())[:20] or "office"
        info["Email"] = f"{mailbox}@{domain}.com" if chance() < 0.6 else f"{domain}{draw.randrange(1, 99)}@{draw.choice(('gmail.com', 'yahoo.com', 'outlook.com', 'comcast.net'))}"
        if chance() < 0.4:
            info["CompanyWebSite"] = f"www.{domain}.com"
    fiscal = "January" if chance() < 0.9 else draw.choice(_MONTHS)
    info["FirstMonthFiscalYear"] = fiscal
    info["FirstMonthIncomeTaxYear"] = fiscal if chance() < 0.9 else "January"
    if chance() < 0.8:
        info["CompanyType"] = draw.choice(_COMPANY_TYPES)
    if chance() < 0.6:
        info["EIN"] = f"{draw.randrange(10, 99)}-{draw.randrange(10**7):07d}"
    if chance() < 0.7:
        info["TaxForm"] = draw.choice(_TAX_FORMS)
    if chance() < 0.2:  # a payroll subscription, running or lapsed (the sample file's is Active)
        info["Services"] = {draw.choice(("payroll.qb", "payrollbsc.qb", "payrollprm.qb")): draw.choice(("Active", "Expired"))}
    return info


def _address_block(address: dict[str, str]) -> list[str]:
    """QuickBooks' block form: the street lines, then "City, ST  ZIP" (FIELD: the sample file's
    answer, two spaces before the ZIP code); without a city, "ST ZIP" (FIELD: the Pro 2014 answer)."""
    lines = [address[key] for key in ("Addr1", "Addr2", "Addr3") if key in address]
    city, state, postcode = address.get("City", ""), address.get("State", ""), address.get("PostalCode", "")
    if "Addr1" not in address and city:
        lines.append(city)
        city = ""
    last = f"{city}, {state}  {postcode}".strip(", ") if city else f"{state} {postcode}".strip()
    if last:
        lines.append(last)
    return lines


def company_ret(company_name: str, info: dict[str, Any], is_sample: bool = False) -> str:
    """The CompanyRet's elements before its data extensions, one to a line, in qbXML's order; a
    field the office left empty is absent."""
    out = [f"<IsSampleCompany>{str(is_sample).lower()}</IsSampleCompany>", f"<CompanyName>{escape(company_name)}</CompanyName>"]

    def element(name: str, value: str) -> None:
        out.append(f"<{name}>{escape(value)}</{name}>")

    def aggregate(name: str, fields: dict[str, str] | list[str], block: bool = False) -> None:
        out.append(f"<{name}>")
        if block:
            for number, line in enumerate(fields, 1):
                element(f"Addr{number}", line)
        else:
            for key in ("Addr1", "Addr2", "Addr3", "City", "State", "PostalCode", "Country"):
                if key in fields:
                    element(key, fields[key])
        out.append(f"</{name}>")

    if "LegalCompanyName" in info:
        element("LegalCompanyName", info["LegalCompanyName"])
    if "Address" in info:
        aggregate("Address", info["Address"])
        aggregate("AddressBlock", _address_block(info["Address"]), block=True)
    if "LegalAddress" in info:
        aggregate("LegalAddress", info["LegalAddress"])
    if "CompanyAddressForCustomer" in info:
        aggregate("CompanyAddressForCustomer", info["CompanyAddressForCustomer"])
        aggregate("CompanyAddressBlockForCustomer", _address_block(info["CompanyAddressForCustomer"]), block=True)
    for key in ("Phone", "Fax", "Email", "CompanyWebSite", "FirstMonthFiscalYear", "FirstMonthIncomeTaxYear", "CompanyType", "EIN", "TaxForm"):
        if key in info:
            element(key, info[key])
    statuses = info.get("Services", {})
    out.append("<SubscribedServices>")
    for service, domain in SERVICES:
        out += ["<Service>", f"<Name>{service}</Name>", f"<Domain>{domain}</Domain>", f"<ServiceStatus>{statuses.get(domain, 'Never')}</ServiceStatus>", "</Service>"]
    out += ["</SubscribedServices>", "<AccountantCopy>", "<AccountantCopyExists>false</AccountantCopyExists>", "</AccountantCopy>"]
    return "\n".join(out) + "\n"
