"""QuickBooks company files (.QBW): what one holds and how it is stored on a fake disk.

A company file is a real file on a host's fake filesystem; its bytes are a
header line and JSON written by this module. It holds the company's QuickBooks
users (Admin and others), the records (customers, invoices, payments, accounts,
made with the world's Faker), the integrated-application authorizations the
Admin granted in the certificate prompt, the FileID stamps Web Connector writes
under an OwnerID (DOMAIN.md sections 2 and 6), and the pop-ups that will show the
next time QuickBooks opens it. Anything that is not such content raises
`CorruptCompanyFileError` naming the path and the problem.
"""

from __future__ import annotations

import bisect
import copy
import enum
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sim.errors import ConfigurationError, CorruptCompanyFileError, UnknownQuickBooksUserError
from sim.quickbooks.company_info import company_info_problem, company_ret, draw_company_info
from sim.quickbooks.qbxml import qb_time

if TYPE_CHECKING:
    from sim.parts import World
    from sim.windows.host import Host

__all__ = ["CompanyFile", "QuickBooksUser", "Authorization", "AccessLevel", "create_company_file", "RECORD_KINDS"]

HEADER = b"QBW-SIM 1\n"

#: The record lists a company file holds, with the qbXML name of each.
RECORD_KINDS = {"customers": "Customer", "invoices": "Invoice", "payments": "ReceivePayment", "accounts": "Account"}


class AccessLevel(str, enum.Enum):  # noqa: UP042 - StrEnum would change what str() and format() give
    """The four answers of the certificate prompt (DOMAIN.md section 6)."""

    NO = "no"
    PROMPT_EACH_TIME = "prompt each time"
    WHEN_FILE_OPEN = "whenever this file is open"
    ALWAYS = "always, even if QuickBooks is not running"

    @classmethod
    def parse(cls, text: str | AccessLevel) -> AccessLevel:
        if isinstance(text, cls):
            return text
        wanted = str(text).strip().casefold()
        for level in cls:
            if wanted in (level.value, level.name.casefold(), level.name.casefold().replace("_", " ")):
                return level
        raise ConfigurationError(
            f"unknown access level {text!r}; choose one of: {', '.join(level.value for level in cls)}"
        )


@dataclass
class QuickBooksUser:
    name: str
    password: str = ""
    is_admin: bool = False
    restricted: bool = False  # rights narrowed: no access to Customers & Receivables
    #: Counts changes to this user's password and rights. An automatic login remembers the count it
    #: was granted with (FIELD: Acctivate, "if any of the permissions or settings for [the]
    #: synchronization user have changed in any way": "Could not start QuickBooks").
    settings_version: int = 0


@dataclass
class Authorization:
    """An integrated application's permission, as the Admin granted it."""

    app_name: str
    owner_id: str
    access: AccessLevel
    login_as: str
    allowed: bool = True  # Edit > Preferences > Integrated Applications: "Allow access" ticked
    certificate: str = ""  # the certificate the application presented when the Admin approved it
    #: The "login as" user's settings_version when the Admin granted automatic login.
    login_as_settings: int = 0
    #: The QuickBooks release ("2024 R1") under which automatic login was last saved ("" unknown).
    auto_login_release: str = ""
    #: An expired certificate the Admin clicked "Allow Always" for (SDK 0x8004041E's text).
    expired_certificate_allowed: str = ""


@dataclass
class CompanyFile:
    """The content of one .QBW file."""

    company_name: str
    users: list[QuickBooksUser]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {kind: [] for kind in RECORD_KINDS})
    authorizations: list[Authorization] = field(default_factory=list)
    file_ids: dict[str, str] = field(default_factory=dict)  # OwnerID -> FileID stamp (private data extension)
    #: OwnerID -> Web Connector's AppLock, another private data extension (sim.webconnector.company_file_lock).
    app_locks: dict[str, str] = field(default_factory=dict)
    popups: list[str] = field(default_factory=list)
    next_id: int = 1
    version: int = 2024  # the QuickBooks year-version that last upgraded the file
    #: Accounting preferences: the closing date ("" none). QuickBooks refuses transactions dated on or
    #: before it while a closing-date password is set (status 3171; AYS Software's export-error guide).
    closing_date: str = ""
    #: Company > My Company: what the office typed about itself (sim.quickbooks.company_info).
    company_info: dict[str, Any] = field(default_factory=dict)
    #: kind -> (the list checked, how many of its first records were checked, the last of them, whether they
    #: are in TimeModified order): see modified_since.
    _order_checked: dict[str, tuple[list[dict], int, dict | None, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: (kind, field) -> (the list indexed, records indexed so far, the last of them, value -> records): see matching.
    _indexes: dict[tuple[str, str], tuple[list, int, Any, dict[Any, list[dict]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: separator -> the company information as a CompanyRet writes it, made from `_information_of`:
    #: see company_information.
    _information: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _information_of: tuple[str, dict[str, Any]] | None = field(default=None, init=False, repr=False, compare=False)

    # --- company information ------------------------------------------------------------------
    def company_information(self, separator: str = "\n") -> str:
        """The CompanyRet's company-information elements (sim.quickbooks.company_info.company_ret),
        each followed by `separator`. Kept while the name and information stay what they were when
        it was made (compared with a copy, so a change in place counts): every session's
        CompanyQuery and HCP answer carry it, and it is the same text thousands of times a month."""
        if self._information_of != (self.company_name, self.company_info):
            self._information_of = (self.company_name, copy.deepcopy(self.company_info))
            self._information = {}
        text = self._information.get(separator)
        if text is None:
            text = self._information[separator] = company_ret(self.company_name, self.company_info, separator=separator)
        return text

    # --- users ------------------------------------------------------------------------
    def user(self, name: str) -> QuickBooksUser:
        for user in self.users:
            if user.name.casefold() == name.casefold():
                return user
        known = ", ".join(u.name for u in self.users)
        raise UnknownQuickBooksUserError(
            f"company file {self.company_name!r} has no QuickBooks user {name!r} (users: {known})"
        )

    def check_login(self, name: str, password: str) -> QuickBooksUser:
        user = self.user(name)
        if user.password != password:
            raise UnknownQuickBooksUserError(
                f"wrong password for QuickBooks user {user.name!r} of {self.company_name!r}"
            )
        return user

    def change_password(self, name: str, password: str) -> list[Authorization]:
        """The Admin sets a user's new password: a change of that user's settings. Returns the grants
        whose automatic login logs in as that user (only those are affected, see settings_version)."""
        user = self.user(name)
        user.password = password
        user.settings_version += 1
        return [g for g in self.authorizations if g.login_as.casefold() == name.casefold()]

    def restrict_user(self, name: str) -> None:
        """The Admin narrows a user's rights (Company > Users): a change of that user's settings."""
        user = self.user(name)
        user.restricted = True
        user.settings_version += 1

    def remove_user(self, name: str) -> None:
        user = self.user(name)
        if user.is_admin:
            raise UnknownQuickBooksUserError(f"the Admin of {self.company_name!r} cannot be removed")
        self.users = [u for u in self.users if u is not user]

    def add_user(self, name: str, password: str = "") -> QuickBooksUser:
        if any(u.name.casefold() == name.casefold() for u in self.users):
            return self.user(name)
        user = QuickBooksUser(name, password)
        self.users.append(user)
        return user

    # --- authorizations -----------------------------------------------------------------
    def authorization(self, owner_id: str) -> Authorization | None:
        for grant in self.authorizations:
            if grant.owner_id.casefold() == owner_id.casefold():
                return grant
        return None

    def grant(self, app_name: str, owner_id: str, access: AccessLevel, login_as: str) -> Authorization:
        user = self.user(login_as)  # the login-as user must exist in this file
        self.authorizations = [g for g in self.authorizations if g.owner_id.casefold() != owner_id.casefold()]
        grant = Authorization(app_name, owner_id, access, login_as, login_as_settings=user.settings_version)
        self.authorizations.append(grant)
        return grant

    # --- records --------------------------------------------------------------------------
    def new_id(self) -> str:
        value = self.next_id
        self.next_id += 1
        return f"{value:X}-{1600000000 + value}"

    def record_count(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.records.items()}

    def matching(self, kind: str, name: str, value: Any) -> list[dict]:
        """The records of `kind` whose `name` is `value`, in file order. Records are appended, or
        changed through `update_record`, so an index is kept, extended with the records added since
        it was last used, and kept right by `update_record` (rebuilt if the list was replaced, or
        shortened or changed at its end some other way)."""
        return list(self._index(kind, name).get(value, ()))

    def _index(self, kind: str, name: str) -> dict[Any, list[dict]]:
        """The index of `kind` by `name`, covering the whole list now."""
        items = self.records[kind]
        indexed_list, count, last, index = self._indexes.get((kind, name), (None, 0, None, {}))
        if indexed_list is not items or len(items) < count or (count and items[count - 1] is not last):
            count, index = 0, {}
        for record in items[count:]:
            index.setdefault(record.get(name), []).append(record)
        self._indexes[(kind, name)] = (items, len(items), items[-1] if items else None, index)
        return index

    def update_record(self, kind: str, record: dict[str, Any], changes: dict[str, Any], modified: str = "") -> None:
        """Change a record of `kind` in place (an InvoiceMod, an edit in QuickBooks, the Admin's change
        to a list entry), keeping `matching`'s indexes right. With `modified` (a TimeModified stamp) it is
        an edit saved now: stamped and moved to the end of its list, which is kept in TimeModified order
        (`modified_since` relies on it)."""
        items = self.records[kind]
        indexes = {name: self._index(kind, name) for indexed_kind, name in list(self._indexes) if indexed_kind == kind}
        before = {name: record.get(name) for name in indexes}
        record.update(changes)
        if modified:
            record["TimeModified"] = modified
            moved_from = next(n for n, item in enumerate(items) if item is record)  # (this record, not an equal one)
            del items[moved_from]
            items.append(record)
            order = self._order_checked.get(kind)
            if order is not None and order[0] is items:
                # The records checked stay in order without it, and it is new at the end: it is checked
                # against the one before it when the order is next needed (its stamp may be earlier).
                _, checked, _, ordered = order
                checked -= moved_from < checked
                self._order_checked[kind] = (items, checked, items[checked - 1] if checked else None, ordered)
        for name, index in indexes.items():
            if not modified:
                if record.get(name) != before[name]:
                    # It keeps its place, so where it goes among its new equals is not known without
                    # a scan: the index is rebuilt when next used.
                    del self._indexes[(kind, name)]
                continue
            # Moved to the end of the list: the end of its bucket, the new one if the value changed.
            bucket = index[before[name]]
            del bucket[next(n for n, item in enumerate(bucket) if item is record)]
            if not bucket:
                del index[before[name]]
            index.setdefault(record.get(name), []).append(record)
            self._indexes[(kind, name)] = (items, len(items), record, index)

    def modified_since(self, kind: str, since: str) -> list[dict]:
        """The records of `kind` whose TimeModified is `since` or later (a FromModifiedDate filter).

        Records are appended as they are saved, and an edit saved through `update_record` is re-stamped
        and moved to the end, so a list is normally in TimeModified order and a binary search finds the
        start. The order is verified as the list changes (only the records at its end not yet checked:
        those appended, and one moved there), and an unordered list is scanned whole."""
        items = self.records[kind]
        listed, checked, last, ordered = self._order_checked.get(kind, (None, 0, None, True))
        if listed is not items or len(items) < checked or (checked and items[checked - 1] is not last):
            checked, ordered = 0, True  # the list was replaced, shortened or changed some other way: check it all
        for index in range(max(checked, 1), len(items)) if ordered else ():
            if items[index].get("TimeModified", "") < items[index - 1].get("TimeModified", ""):
                ordered = False
                break
        self._order_checked[kind] = (items, len(items), items[-1] if items else None, ordered)
        if not ordered:
            return [r for r in items if r.get("TimeModified", "") >= since]
        return items[bisect.bisect_left(items, since, key=lambda r: r.get("TimeModified", "")) :]

    # --- storage ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        # Built by hand: dataclasses.asdict deep-copies every record, which long runs feel.
        body = {
            "company_name": self.company_name,
            "users": [_user_dict(u) for u in self.users],
            "records": self.records,
            "authorizations": [_grant_dict(g) for g in self.authorizations],
            "file_ids": self.file_ids,
            "app_locks": self.app_locks,
            "popups": self.popups,
            "next_id": self.next_id,
            "version": self.version,
        }
        if self.closing_date:
            body["closing_date"] = self.closing_date
        if self.company_info:  # written only when set, so files from before it read and write the same
            body["company_info"] = self.company_info
        return HEADER + json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "company file") -> CompanyFile:
        if not data.startswith(HEADER):
            raise CorruptCompanyFileError(f"{where}: not a QuickBooks company file (no QBW header)")
        try:
            body = json.loads(data[len(HEADER) :].decode("utf-8"))
            users = [QuickBooksUser(**u) for u in body["users"]]
            grants = [
                Authorization(
                    g["app_name"],
                    g["owner_id"],
                    AccessLevel(g["access"]),
                    g["login_as"],
                    bool(g.get("allowed", True)),
                    str(g.get("certificate", "")),
                    int(g.get("login_as_settings", 0)),
                    str(g.get("auto_login_release", "")),
                    str(g.get("expired_certificate_allowed", "")),
                )
                for g in body["authorizations"]
            ]
            records = body["records"]
            if set(records) != set(RECORD_KINDS):
                raise ValueError(f"record lists {sorted(records)} instead of {sorted(RECORD_KINDS)}")
            info = body.get("company_info", {})
            problem = company_info_problem(info)
            if problem is not None:
                raise CorruptCompanyFileError(f"{where}: damaged company information ({problem})")
            company = cls(
                company_name=str(body["company_name"]),
                users=users,
                records=records,
                authorizations=grants,
                file_ids=dict(body["file_ids"]),
                app_locks={str(k): str(v) for k, v in dict(body.get("app_locks", {})).items()},
                popups=list(body["popups"]),
                next_id=int(body["next_id"]),
                version=int(body.get("version", 2024)),
                closing_date=str(body.get("closing_date", "")),
                company_info=dict(info),
            )
        except CorruptCompanyFileError:
            raise
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CorruptCompanyFileError(f"{where}: damaged content ({error})") from None
        except (KeyError, TypeError, ValueError) as error:
            raise CorruptCompanyFileError(f"{where}: damaged content (bad or missing field {error})") from None
        if not any(u.is_admin for u in users):
            raise CorruptCompanyFileError(f"{where}: damaged content (no Admin user)")
        return company

    # --- on disk ----------------------------------------------------------------------------
    @classmethod
    def load(cls, host: Host, path: str) -> CompanyFile:
        """Read the company file at `path` as seen from `host` (local, mapped or UNC)."""
        where = host.world.network.resolve(host, path)
        return cls.from_bytes(where.host.fs.read_bytes(where.path), where=f"{host.name}:{path}")

    def save(self, host: Host, path: str, by: str | None = None) -> None:
        """Save the file: checked now (a program holding it open refuses), its bytes written when
        next read (`HostFilesystem.write_later`), from this object as it is then."""
        where = host.world.network.resolve(host, path)
        where.host.fs.write_later(where.path, self.to_bytes, by=by)


def _user_dict(user: QuickBooksUser) -> dict[str, Any]:
    data = {"name": user.name, "password": user.password, "is_admin": user.is_admin, "restricted": user.restricted}
    if user.settings_version:  # written only when set, so files from before it read and write the same
        data["settings_version"] = user.settings_version
    return data


def _grant_dict(grant: Authorization) -> dict[str, Any]:
    data = {
        "app_name": grant.app_name,
        "owner_id": grant.owner_id,
        "access": grant.access.value,
        "login_as": grant.login_as,
        "allowed": grant.allowed,
        "certificate": grant.certificate,
    }
    for name in ("login_as_settings", "auto_login_release", "expired_certificate_allowed"):
        if getattr(grant, name):
            data[name] = getattr(grant, name)
    return data


def create_company_file(
    world: World,
    host: Host,
    path: str,
    company_name: str | None = None,
    users: dict[str, str] | None = None,
    customers: int = 12,
    invoices: int = 30,
    payments: int = 15,
    version: int = 2024,
) -> CompanyFile:
    """Write a new company file filled with Faker records at `path` on `host`.

    `users` maps QuickBooks user names to passwords; "Admin" is always there and is
    the file's administrator.
    """
    if not path.casefold().endswith(".qbw"):
        raise ConfigurationError(f"{path!r}: a company file name ends in .QBW")
    fake = world.faker
    name = company_name or fake.company()
    people = [QuickBooksUser("Admin", (users or {}).get("Admin", ""), is_admin=True)]
    people += [QuickBooksUser(user, password) for user, password in (users or {}).items() if user.casefold() != "admin"]
    company = CompanyFile(
        company_name=name, users=people, version=version, company_info=draw_company_info(world.seed, name)
    )
    for account_name, account_type in (
        ("Checking", "Bank"),
        ("Accounts Receivable", "AccountsReceivable"),
        ("Rental Income", "Income"),
        ("Repairs and Maintenance", "Expense"),
    ):
        company.records["accounts"].append(
            {"ListID": company.new_id(), "Name": account_name, "AccountType": account_type}
        )
    for _ in range(customers):
        company.records["customers"].append({"ListID": company.new_id(), "Name": fake.unique.company()})
    for number in range(invoices):
        customer = world.random.choice(company.records["customers"])
        company.records["invoices"].append(
            {
                "TxnID": company.new_id(),
                "RefNumber": str(1000 + number),
                "CustomerRef": customer["Name"],
                "TxnDate": fake.date_between_dates(
                    world.start.date().replace(day=1, month=1, year=world.start.year - 1), world.start.date()
                ).isoformat(),
                "Subtotal": f"{world.random.randint(250, 4500)}.00",
                "Memo": "",
            }
        )
    for invoice in world.random.sample(company.records["invoices"], min(payments, len(company.records["invoices"]))):
        company.records["payments"].append(
            {
                "TxnID": company.new_id(),
                "CustomerRef": invoice["CustomerRef"],
                "TotalAmount": invoice["Subtotal"],
                "AppliedTo": invoice["TxnID"],
                "TxnDate": invoice["TxnDate"],
            }
        )
    stamp = qb_time(world.now)
    for items in company.records.values():
        for record in items:
            record["TimeModified"] = stamp
    company.save(host, path)
    world.record(
        host.name,
        "company_file.created",
        path=path,
        company=name,
        users=len(people),
        **cast("dict[str, Any]", company.record_count()),
    )  # record kinds: never `source`
    return company
