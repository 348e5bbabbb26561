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

The fields describe one business, drawn whole: one state (and its area code) for every address and
phone, a legal form from which the tax form and the legal name's suffix follow, a legal address that
is usually the address itself. How often each field is filled in, and each share, is assumed (no
survey of small offices' company files exists): drawn once per company file from a stream of its own (the seed and the
company's name), so one office's file
is the same in every run and adding a company changes nothing else that is drawn.
"""

from __future__ import annotations

import random
from typing import Any, cast
from xml.sax.saxutils import escape

__all__ = ["draw_company_info", "company_info_problem", "company_ret", "company_record", "data_ext_ret"]

#: States a small office may be in, each with its area code and two towns (city, ZIP code): the
#: office's own and a neighbouring postal town. Real places, so an address hangs together as a
#: company's does: every address of one company is drawn from one state.
_STATES = (
    ("IL", "217", (("Springfield", "62701"), ("Chatham", "62629"))),
    ("OH", "614", (("Columbus", "43215"), ("Dublin", "43017"))),
    ("TX", "512", (("Austin", "78701"), ("Round Rock", "78664"))),
    ("CO", "303", (("Denver", "80202"), ("Lakewood", "80226"))),
    ("NC", "919", (("Raleigh", "27601"), ("Cary", "27511"))),
    ("FL", "813", (("Tampa", "33602"), ("Brandon", "33511"))),
    ("AZ", "602", (("Phoenix", "85004"), ("Glendale", "85301"))),
    ("OR", "503", (("Portland", "97204"), ("Beaverton", "97005"))),
    ("NY", "518", (("Albany", "12207"), ("Troy", "12180"))),
    ("VA", "804", (("Richmond", "23219"), ("Glen Allen", "23060"))),
    ("GA", "912", (("Savannah", "31401"), ("Pooler", "31322"))),
    ("ID", "208", (("Boise", "83702"), ("Meridian", "83642"))),
    ("WI", "608", (("Madison", "53703"), ("Middleton", "53562"))),
    ("NE", "402", (("Omaha", "68102"), ("Bellevue", "68005"))),
    ("NJ", "609", (("Trenton", "08608"), ("Hamilton", "08690"))),
)
_STREETS = (
    "Main St",
    "Oak Ave",
    "Market Street",
    "Park Avenue",
    "Washington St.",
    "Elm Street",
    "Broadway",
    "Commerce Dr",
    "N 3rd St",
    "Lincoln Hwy",
)
#: The business's legal form, how often a small property business has it (assumed), the tax return it
#: files (IRS: an S corporation files Form 1120-S, a C corporation 1120, a partnership or multi-member
#: LLC 1065, a sole proprietor or single-member LLC Schedule C with Form 1040) and the suffixes its
#: legal name may carry.
_ENTITIES = (
    ("multi-member LLC", 0.35, "Form1065", (", LLC", " LLC")),
    ("S corporation", 0.3, "Form1120S", (", Inc.", " Inc", ", LLC")),
    ("single-member LLC", 0.15, "Form1040", (", LLC", " LLC")),
    ("sole proprietor", 0.1, "Form1040", ("",)),
    ("C corporation", 0.1, "Form1120", (", Inc.", " Corp.", " Corporation")),
)
#: CompanyType, as STRATAFOLIO's customers (property owners and managers) would pick it in the
#: interview (assumed; the two values published answers show are other industries').
_COMPANY_TYPES = (
    ("RealEstateBrokerage", 0.6),
    ("GeneralServiceBasedBusiness", 0.3),
    ("GeneralProductBasedBusiness", 0.1),
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: QuickBooks' catalogue of services, listed with every company (FIELD: both published answers).
SERVICES = (
    ("QuickBooks Online Banking", "banking.qb"),
    ("QuickBooks Online Billing", "billing.qb"),
    ("QuickBooks Online Billing Level 1 Service", "qbob1.qbn"),
    ("QuickBooks Online Billing Level 2 Service", "qbob2.qbn"),
    ("QuickBooks Online Billing Payment Service", "qbobpay.qbn"),
    ("QuickBooks Bill Payment", "billpay.qb"),
    ("QuickBooks Online Billing Paper Mailing Service", "qbobpaper.qbn"),
    ("QuickBooks Payroll Service", "payroll.qb"),
    ("QuickBooks Basic Payroll Service", "payrollbsc.qb"),
    ("QuickBooks Basic Disk Payroll Service", "payrollbscdisk.qb"),
    ("QuickBooks Deluxe Payroll Service", "payrolldlx.qb"),
    ("QuickBooks Premier Payroll Service", "payrollprm.qb"),
    ("Basic Plus Federal", "basic_plus_fed.qb"),
    ("Basic Plus Federal and State", "basic_plus_fed_state.qb"),
    ("Basic Plus Direct Deposit", "basic_plus_dd.qb"),
    ("Merchant Account Service", "mas.qbn"),
)


def _weighted(draw: random.Random, options: tuple) -> tuple:
    return draw.choices(options, [option[1] for option in options])[0]


def draw_company_info(seed: int, company_name: str) -> dict[str, Any]:
    """What a small office typed about its company when it created the file: one business, drawn
    whole (its state, legal form and payroll first, every field from them), so its addresses share
    a state, its tax form fits its legal form and its legal name its suffix (every share assumed)."""
    draw = random.Random(f"company-info:{seed}:{company_name}")  # (a str seed is hashed the same in every process)
    chance = draw.random
    info: dict[str, Any] = {}
    state, area, towns = draw.choice(_STATES)
    home, neighbour = towns if chance() < 0.8 else towns[::-1]
    entity, _, tax_form, suffixes = _weighted(draw, _ENTITIES)
    street = (
        f"{draw.choice((draw.randrange(2, 99), draw.randrange(100, 999), draw.randrange(1000, 19999)))} "
        f"{draw.choice(_STREETS)}"
    )
    po_box = f"P.O. Box {draw.randrange(10, 9999)}"

    def address(town: tuple[str, str], style: str, street: str = street) -> dict[str, str]:
        city, postcode = town
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

    if chance() < 0.85:  # most files carry a legal name: the company's own, or it with its legal form
        info["LegalCompanyName"] = company_name + draw.choice(suffixes) if chance() < 0.55 else company_name
    if chance() < 0.9:
        style = draw.choices(("street", "po box", "po box in city", "town"), (0.65, 0.15, 0.08, 0.12))[0]
        info["Address"] = address(home, style)
        if chance() < 0.7:
            info["Address"]["Country"] = "US"
        legal = chance()
        if legal < 0.6:  # QuickBooks' interview copies the address to the legal address
            info["LegalAddress"] = {**info["Address"], "Country": "US"}
        elif legal < 0.8:  # the mail goes elsewhere: a P.O. box, or the owner's street, in the same state
            other = f"{draw.randrange(100, 9999)} {draw.choice(_STREETS)}"
            info["LegalAddress"] = {
                **address(draw.choice((home, neighbour)), draw.choice(("street", "po box")), other),
                "Country": "US",
            }
        if chance() < 0.25:  # what customers see: the same street, or a P.O. box, in the office's or the postal town
            info["CompanyAddressForCustomer"] = address(
                draw.choice((home, neighbour)), draw.choice(("street", "street", "po box"))
            )
    if chance() < 0.8:
        info["Phone"] = draw.choice(("{a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}")).format(
            a=area, b=draw.randrange(200, 999), c=f"{draw.randrange(10000):04d}"
        )
        if chance() < 0.15:
            info["Fax"] = f"{area}-{draw.randrange(200, 999)}-{draw.randrange(10000):04d}"
    if chance() < 0.55:
        mailbox = draw.choice(("info", "office", "accounting", "admin", "billing"))
        domain = "".join(ch for ch in company_name.lower() if ch.isalnum())[:20] or "office"
        info["Email"] = (
            f"{mailbox}@{domain}.com"
            if chance() < 0.6
            else f"{domain}{draw.randrange(1, 99)}@{draw.choice(MAIL_PROVIDERS)}"
        )
        if info["Email"].endswith(f"@{domain}.com") and chance() < 0.6:
            info["CompanyWebSite"] = f"www.{domain}.com"
    fiscal = "January" if chance() < 0.9 else draw.choice(_MONTHS)
    info["FirstMonthFiscalYear"] = fiscal
    info["FirstMonthIncomeTaxYear"] = (
        fiscal if entity == "C corporation" else "January"
    )  # (only a C corporation's tax year may differ)
    if chance() < 0.85:
        info["CompanyType"] = _weighted(draw, _COMPANY_TYPES)[0]
    if chance() < (0.4 if entity == "sole proprietor" else 0.8):  # a sole proprietor often files under an SSN
        info["EIN"] = f"{draw.randrange(10, 99)}-{draw.randrange(10**7):07d}"
    if chance() < 0.8:
        info["TaxForm"] = tax_form
    services = {}
    payroll = chance()
    if payroll < 0.3:  # a payroll subscription, running or lapsed (the sample file's is Active)
        services[draw.choice(("payroll.qb", "payrolldlx.qb", "payrollprm.qb"))] = (
            "Active" if chance() < 0.7 else "Expired"
        )
    elif payroll < 0.35:
        services[draw.choice(("payrollbsc.qb", "basic_plus_fed_state.qb"))] = "Expired"
    if services and chance() < 0.5:
        services["basic_plus_dd.qb" if "basic_plus_fed_state.qb" in services else "billpay.qb"] = draw.choice(
            ("Active", "Expired")
        )
    if chance() < 0.1:
        services["mas.qbn"] = draw.choice(("Active", "Expired"))
    if services:
        info["Services"] = services
    return info


#: The fields of the company information that hold fields of their own (an address, the services'
#: statuses); every other field is text.
_AGGREGATES = ("Address", "LegalAddress", "CompanyAddressForCustomer", "Services")


def company_info_problem(info: object) -> str | None:
    """What keeps `info`, read from a company file, from being company information as this module
    writes it (None: nothing): a set of fields whose values are text, the aggregates sets of text."""

    def shown(value: object) -> str:
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."

    if not isinstance(info, dict):
        return f"{shown(info)} is not a set of fields"
    for key, value in info.items():
        if key not in _AGGREGATES:
            if not isinstance(value, str):
                return f"{key} is {shown(value)}, not text"
        elif not isinstance(value, dict):
            return f"{key} is {shown(value)}, not a set of fields"
        else:
            for part, text in value.items():
                if not isinstance(text, str):
                    return f"{key} {part} is {shown(text)}, not text"
    return None


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


def company_ret(company_name: str, info: dict[str, Any], is_sample: bool = False, separator: str = "\n") -> str:
    """The CompanyRet's elements before its data extensions, in qbXML's order, each followed by
    `separator` (a line break as QuickBooks' answers are dumped, "" as the wire carries one); a field
    the office left empty is absent. A company file keeps it made (CompanyFile.company_information)."""
    out = [
        f"<IsSampleCompany>{str(is_sample).lower()}</IsSampleCompany>",
        f"<CompanyName>{escape(company_name)}</CompanyName>",
    ]

    def element(name: str, value: str) -> None:
        out.append(f"<{name}>{escape(value)}</{name}>")

    def aggregate(name: str, fields: dict[str, str] | list[str], block: bool = False) -> None:
        out.append(f"<{name}>")
        if block:
            for number, line in enumerate(fields, 1):
                element(f"Addr{number}", line)
        else:
            address = cast("dict[str, str]", fields)  # only a block comes as a list of lines
            for key in ("Addr1", "Addr2", "Addr3", "City", "State", "PostalCode", "Country"):
                if key in address:
                    element(key, address[key])
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
    for key in (
        "Phone",
        "Fax",
        "Email",
        "CompanyWebSite",
        "FirstMonthFiscalYear",
        "FirstMonthIncomeTaxYear",
        "CompanyType",
        "EIN",
        "TaxForm",
    ):
        if key in info:
            element(key, info[key])
    statuses = info.get("Services", {})
    out.append("<SubscribedServices>")
    for service, domain in SERVICES:
        out += [
            "<Service>",
            f"<Name>{service}</Name>",
            f"<Domain>{domain}</Domain>",
            f"<ServiceStatus>{escape(statuses.get(domain, 'Never'))}</ServiceStatus>",
            "</Service>",
        ]
    out += [
        "</SubscribedServices>",
        "<AccountantCopy>",
        "<AccountantCopyExists>false</AccountantCopyExists>",
        "</AccountantCopy>",
    ]
    return separator.join(out) + separator


#: Where a small office's mailbox lives when it is not at its own domain (assumed).
MAIL_PROVIDERS = ("gmail.com", "yahoo.com", "outlook.com", "comcast.net")


def data_ext_ret(owner_id: str, name: str, value: object, separator: str = "\n") -> str:
    """A private data extension's DataExtRet, each element followed by `separator`; the value is
    written as text whatever the file holds (a company file's FileID is whatever its bytes say)."""
    return (
        f"<DataExtRet>{separator}<OwnerID>{owner_id}</OwnerID>{separator}<DataExtName>"
        f"{name}</DataExtName>{separator}<DataExtType>STR255TYPE</DataExtType>{separator}"
        f"<DataExtValue>{escape(str(value))}</DataExtValue>{separator}</DataExtRet>{separator}"
    )


def company_record(company: Any, owner_id: str, separator: str = "\n") -> str:
    """The whole CompanyRet QuickBooks answers a CompanyQuery with, each element followed by
    `separator` (one to a line in a dump, "" on the wire): the company information, then the asking
    application's private data extensions (its AppLock and FileID, those the file holds). Web
    Connector's own CompanyQuery and the one in the first sendRequestXML's HCP answer carry the same
    record (FIELD: the qbwc gem's strHCPResponse, whose CompanyRet ends with the AppLock and FileID,
    tests/data/real_company_answers/)."""
    record = f"<CompanyRet>{separator}" + company.company_information(separator)
    for name, values in (("AppLock", company.app_locks), ("FileID", company.file_ids)):
        if owner_id in values:
            record += data_ext_ret(owner_id, name, values[owner_id], separator)
    return record + f"</CompanyRet>{separator}"
