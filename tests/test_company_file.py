"""Company files: content made with Faker, stored on a fake disk, read back strictly."""

import pytest

from sim.errors import ConfigurationError, CorruptCompanyFileError, UnknownQuickBooksUserError
from sim.quickbooks.company_file import AccessLevel, CompanyFile, create_company_file
from sim.world import World


@pytest.fixture
def world_and_host():
    world = World(seed=5)
    return world, world.add_workstation("WS1")


def test_round_trip_through_the_fake_disk(world_and_host):
    world, host = world_and_host
    made = create_company_file(world, host, r"C:\Data\Acme.QBW", company_name="Acme", users={"maria": "pw"})
    loaded = CompanyFile.load(host, r"c:\data\acme.qbw")
    assert loaded == made
    assert [u.name for u in loaded.users] == ["Admin", "maria"] and loaded.users[0].is_admin
    assert loaded.record_count() == {"customers": 12, "invoices": 30, "payments": 15, "accounts": 4}


def test_same_seed_same_records():
    def records(seed):
        world = World(seed=seed)
        host = world.add_workstation("WS1")
        return create_company_file(world, host, r"C:\A.QBW").records

    assert records(11) == records(11)
    assert records(11) != records(12)


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"MZ\x90\x00binary", "no QBW header"),
        (b"QBW-SIM 1\n{not json", "damaged content"),
        (b'QBW-SIM 1\n{"company_name": "x"}', "bad or missing field 'users'"),
    ],
)
def test_malformed_content_raises_a_precise_error(world_and_host, content, problem):
    world, host = world_and_host
    host.fs.write_bytes(r"C:\Bad.QBW", content)
    with pytest.raises(CorruptCompanyFileError, match=problem) as caught:
        CompanyFile.load(host, r"C:\Bad.QBW")
    assert r"WS1:C:\Bad.QBW" in str(caught.value)


def _file_bytes(**fields) -> bytes:
    """A small company file's bytes, with `fields` as its bytes hold them."""
    import json

    from sim.quickbooks.company_file import HEADER, QuickBooksUser

    company = CompanyFile("Acme", [QuickBooksUser("Admin", is_admin=True)])
    body = json.loads(company.to_bytes()[len(HEADER) :])
    return HEADER + json.dumps({**body, **fields}).encode()


@pytest.mark.parametrize(
    "info, problem",
    [
        (["Phone", "217-555-0100"], r"\['Phone', '217-555-0100'\] is not a set of fields"),
        ({"Phone": 2175550100}, "Phone is 2175550100, not text"),
        ({"EIN": None}, "EIN is None, not text"),
        ({"Address": "1 Main St"}, "Address is '1 Main St', not a set of fields"),
        ({"Services": ["payroll.qb"]}, r"Services is \['payroll.qb'\], not a set of fields"),
        ({"LegalAddress": {"City": 62701}}, "LegalAddress City is 62701, not text"),
    ],
)
def test_company_information_of_the_wrong_shape_is_a_damaged_file(info, problem):
    """Read from a file's bytes, the company information must be fields of text, its addresses and
    services sets of them: anything else is named, not met later as a crash writing an answer."""
    with pytest.raises(CorruptCompanyFileError, match=rf"^Bad\.QBW: damaged company information \({problem}\)$"):
        CompanyFile.from_bytes(_file_bytes(company_info=info), where="Bad.QBW")
    assert CompanyFile.from_bytes(_file_bytes(company_info={"Phone": "217-555-0100"})).company_info == {
        "Phone": "217-555-0100"
    }


def test_a_file_id_that_is_not_text_is_answered_as_text():
    """A FileID is whatever the file's bytes hold: the CompanyRet writes it as text, not a crash."""
    from sim.quickbooks.company_info import company_record

    company = CompanyFile.from_bytes(_file_bytes(file_ids={"{OWNER}": 12345}))
    assert "<DataExtValue>12345</DataExtValue>" in company_record(company, "{OWNER}")


def test_unknown_user_and_wrong_password(world_and_host):
    world, host = world_and_host
    company = create_company_file(world, host, r"C:\A.QBW", users={"maria": "pw"})
    with pytest.raises(UnknownQuickBooksUserError, match="no QuickBooks user 'bob'"):
        company.user("bob")
    with pytest.raises(UnknownQuickBooksUserError, match="wrong password"):
        company.check_login("maria", "nope")
    assert company.check_login("MARIA", "pw").name == "maria"


def test_grant_needs_an_existing_login_as_user(world_and_host):
    world, host = world_and_host
    company = create_company_file(world, host, r"C:\A.QBW")
    with pytest.raises(UnknownQuickBooksUserError):
        company.grant("App", "{X}", AccessLevel.ALWAYS, "ghost")


def test_access_levels_read_from_words():
    assert AccessLevel.parse("always") is AccessLevel.ALWAYS
    assert AccessLevel.parse("prompt each time") is AccessLevel.PROMPT_EACH_TIME
    with pytest.raises(ConfigurationError, match="unknown access level"):
        AccessLevel.parse("sometimes")


def test_file_name_must_end_in_qbw(world_and_host):
    world, host = world_and_host
    with pytest.raises(ConfigurationError, match=".QBW"):
        create_company_file(world, host, r"C:\A.txt")


def test_modified_since_finds_the_same_records_as_a_scan_ordered_or_not():
    from sim.quickbooks.company_file import CompanyFile, QuickBooksUser

    company = CompanyFile("Acme", [QuickBooksUser("Admin", "", True)])
    stamps = ["2026-01-05T07:00:00", "2026-01-05T08:00:00", "2026-01-05T08:00:00", "2026-01-05T09:30:00"]
    company.records["invoices"] = [{"TxnID": str(n), "TimeModified": stamp} for n, stamp in enumerate(stamps)]
    scan = lambda since: [r for r in company.records["invoices"] if r["TimeModified"] >= since]  # noqa: E731
    for since in ("2026-01-05T06:00:00", "2026-01-05T08:00:00", "2026-01-05T08:00:01", "2026-01-06T00:00:00"):
        assert company.modified_since("invoices", since) == scan(since)
    company.records["invoices"].append({"TxnID": "late", "TimeModified": "2026-01-05T07:30:00"})  # out of order
    assert company.modified_since("invoices", "2026-01-05T07:15:00") == scan("2026-01-05T07:15:00")


def test_modified_since_checks_an_edit_moved_to_the_end_even_when_it_is_stamped_earlier():
    # update_record re-stamps an edit and moves it to the end at the same length: a stamp far in the past
    # (a computer's clock set back) leaves the list out of order, which the binary search must not trust.
    from sim.quickbooks.company_file import CompanyFile, QuickBooksUser

    company = CompanyFile("Acme", [QuickBooksUser("Admin", "", True)])
    invoices = company.records["invoices"]
    invoices += [{"TxnID": str(n), "TimeModified": f"2026-01-05T07:0{n}:00"} for n in range(6)]
    scan = lambda since: [r for r in company.records["invoices"] if r["TimeModified"] >= since]  # noqa: E731
    assert company.modified_since("invoices", "2026-01-05T07:03:00") == scan("2026-01-05T07:03:00")
    company.update_record("invoices", invoices[1], {"Memo": "edited"}, modified="2019-03-01T00:00:00")
    assert invoices[-1]["TxnID"] == "1"
    for since in ("2026-01-05T07:03:00", "2019-01-01T00:00:00", "2026-01-05T07:00:30"):
        assert company.modified_since("invoices", since) == scan(since), since
    # An edit stamped later keeps the list in order: the search goes on finding the same records.
    company = CompanyFile("Acme", [QuickBooksUser("Admin", "", True)])
    company.records["invoices"] += [{"TxnID": str(n), "TimeModified": f"2026-01-05T07:0{n}:00"} for n in range(6)]
    company.modified_since("invoices", "2026-01-05T07:03:00")
    company.update_record("invoices", company.records["invoices"][5], {}, modified="2099-12-31T23:59:59")
    company.update_record("invoices", company.records["invoices"][0], {}, modified="2099-12-31T23:59:59")
    # Only the two moved to the end are left to check, not the whole list again.
    _, checked, last, _ = company._order_checked["invoices"]
    assert checked == 4 and last is company.records["invoices"][3]
    assert [r["TxnID"] for r in company.modified_since("invoices", "2026-01-05T07:03:00")] == ["3", "4", "5", "0"]
    assert company._order_checked["invoices"][3] is True
    # Changed at its end some other way (the same length), or replaced: checked again, not trusted.
    company.records["invoices"].pop()
    company.records["invoices"].append({"TxnID": "late", "TimeModified": "2020-01-01T00:00:00"})
    assert company.modified_since("invoices", "2026-01-05T07:03:00") == scan("2026-01-05T07:03:00")
    company.records["invoices"] = [dict(r) for r in reversed(company.records["invoices"])]
    assert company.modified_since("invoices", "2026-01-05T07:03:00") == scan("2026-01-05T07:03:00")
    in_order = [{"TxnID": str(n), "TimeModified": f"2026-01-05T07:0{n}:00"} for n in range(6)]
    company.records["invoices"] = in_order
    company.modified_since("invoices", "2026-01-05T07:02:00")
    replaced = list(in_order)  # the same length and the same last record, one earlier in the middle
    replaced[3] = {"TxnID": "old", "TimeModified": "2019-03-01T00:00:00"}
    company.records["invoices"] = replaced
    assert company.modified_since("invoices", "2026-01-05T07:02:00") == scan("2026-01-05T07:02:00")


def test_matching_records_follow_the_list_as_it_grows_or_is_replaced():
    from sim.quickbooks.company_file import CompanyFile, QuickBooksUser

    company = CompanyFile("Acme", [QuickBooksUser("Admin", "", True)])
    invoices = company.records["invoices"]
    invoices += [{"TxnID": "1", "CustomerRef": "A"}, {"TxnID": "2", "CustomerRef": "B"}]
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["1"]
    invoices.append({"TxnID": "3", "CustomerRef": "A"})
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["1", "3"]
    company.records["invoices"] = [{"TxnID": "9", "CustomerRef": "A"}]
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["9"]


def test_matching_follows_a_record_changed_through_update_record():
    from sim.quickbooks.company_file import CompanyFile, QuickBooksUser

    company = CompanyFile("Acme", [QuickBooksUser("Admin", "", True)])
    invoices = company.records["invoices"]
    invoices += [
        {"TxnID": str(n), "CustomerRef": "AB"[n % 2], "TimeModified": f"2026-01-05T07:0{n}:00"} for n in range(6)
    ]
    by_customer = company._index("invoices", "CustomerRef")
    invoices.append(
        {"TxnID": "6", "CustomerRef": "B", "TimeModified": "2026-01-05T07:06:00"}
    )  # added since the index was last used
    # An edit saved now (an InvoiceMod): moved to the end of the list, and of its new customer's records.
    company.update_record("invoices", invoices[2], {"CustomerRef": "B"}, modified="2026-01-05T08:00:00")
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "B")] == ["1", "3", "5", "6", "2"]
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["0", "4"]
    assert company._index("invoices", "CustomerRef") is by_customer  # kept right, not rebuilt
    # A change that keeps the record's place (the Admin's change to a list entry).
    company.update_record("invoices", invoices[0], {"CustomerRef": "C"})
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "C")] == ["0"]
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["4"]
    # A record taken off the end and another appended (the same length): not the records indexed.
    invoices.pop()
    invoices.append({"TxnID": "7", "CustomerRef": "A"})
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "A")] == ["4", "7"]
    assert [r["TxnID"] for r in company.matching("invoices", "CustomerRef", "B")] == ["1", "3", "5", "6"]
