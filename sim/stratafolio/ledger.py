"""The ledger: what STRATAFOLIO holds of one integration's QuickBooks data, and the invariant.

Records pulled from QuickBooks are kept by their QuickBooks id (TxnID or
ListID), so pulling the same record twice updates it instead of adding a copy.
Invoices created in STRATAFOLIO wait in `pending_invoices` until QuickBooks has
them; each carries a RefNumber that the service looks up in QuickBooks before
adding, so an invoice whose add was answered but never heard back (the host
went to sleep) is found and linked rather than pushed twice.
`problems()` states the invariant: every record present exactly once on both sides.
A ledger may be given bounds (`bound`: records and characters of their text); `wcsim
serve` gives them, since there what is reported comes from whoever holds the password. A
record past them is refused with `LedgerFull`; a simulation's ledger is bounded by the
scenario's own limits instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sim.quickbooks.company_file import RECORD_KINDS, CompanyFile

__all__ = ["Ledger", "LedgerFull", "StratafolioInvoice"]

_ID_FIELD = {"customers": "ListID", "accounts": "ListID", "invoices": "TxnID", "payments": "TxnID"}


class LedgerFull(Exception):
    """A record that would take the ledger past its bounds."""


def _size(record: dict[str, Any]) -> int:
    return sum(len(str(key)) + len(str(value)) for key, value in record.items())


@dataclass
class StratafolioInvoice:
    """An invoice made in STRATAFOLIO, to be pushed to QuickBooks."""

    ref_number: str
    customer: str
    amount: str
    memo: str = "Created in STRATAFOLIO"
    qb_txn_id: str | None = None  # set once QuickBooks has it
    txn_date: str = ""  # the invoice's date ("" = the day it is pushed)
    #: A change made in STRATAFOLIO to the invoice once in QuickBooks, waiting to be sent as an InvoiceMod,
    #: and the EditSequence of the version it was made on.
    change: dict[str, str] | None = None
    based_on: str = ""
    #: QuickBooks' answer the last time it refused this invoice ("" when it did not).
    rejection: str = ""


@dataclass
class Ledger:
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {kind: {} for kind in RECORD_KINDS})
    invoices_created: list[StratafolioInvoice] = field(default_factory=list)
    #: Invoices with a change waiting to be sent (STRATAFOLIO users edit few; kept apart from the rest).
    changed: list[StratafolioInvoice] = field(default_factory=list)
    #: How many of the first invoices created are in QuickBooks for good (a TxnID, once learned,
    #: is never taken back): every update session asks for the pending ones, and a year of
    #: invoices is long to scan from the start each time.
    _settled: int = field(default=0, repr=False, compare=False)
    #: (records, characters of keys and values) it may hold, or None: unbounded (see `bound`).
    limit: tuple[int, int] | None = field(default=None, compare=False)
    _records: int = field(default=0, repr=False, compare=False)
    _chars: int = field(default=0, repr=False, compare=False)

    def bound(self, records: int, chars: int) -> None:
        """From now on hold at most `records` records and `chars` characters (what it holds counts)."""
        held = [record for items in self.records.values() for record in items.values()]
        self.limit, self._records, self._chars = (records, chars), len(held), sum(map(_size, held))

    def upsert(self, kind: str, record: dict[str, Any]) -> bool:
        """Store a pulled record; True if it was new. Raises LedgerFull past the bounds."""
        key = record.get(_ID_FIELD[kind], "")
        old = self.records[kind].get(key)
        new = old is None
        if self.limit is not None:
            records, chars = self._records + new, self._chars + _size(record) - (0 if old is None else _size(old))
            if records > self.limit[0] or chars > self.limit[1]:
                raise LedgerFull(f"the ledger is full ({self.limit[0]:,} records, {self.limit[1]:,} characters)")
            self._records, self._chars = records, chars
        self.records[kind][key] = dict(record)
        return new

    @property
    def pending_invoices(self) -> list[StratafolioInvoice]:
        created, settled = self.invoices_created, self._settled
        while settled < len(created) and created[settled].qb_txn_id is not None:
            settled += 1
        self._settled = settled
        return [i for i in created[settled:] if i.qb_txn_id is None]

    @property
    def rejected(self) -> list[StratafolioInvoice]:
        """The invoices QuickBooks refused at their last push, as STRATAFOLIO lists them for its users."""
        return [i for i in self.invoices_created if i.rejection]

    def count(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.records.items()}

    def problems(self, company: CompanyFile) -> list[str]:
        """Every way the two sides disagree: records lost or duplicated on either side."""
        found = []
        for kind in RECORD_KINDS:
            ids = Counter(r.get(_ID_FIELD[kind], "") for r in company.records[kind])  # counted once: linear
            for key in sorted(ids):
                if ids[key] > 1:
                    found.append(f"QuickBooks holds {kind} {key} {ids[key]} times")
            missing = sorted(set(ids) - set(self.records[kind]))
            if missing:
                found.append(f"STRATAFOLIO lacks {len(missing)} {kind} of QuickBooks (first: {missing[0]})")
            extra = sorted(set(self.records[kind]) - set(ids))
            if extra:
                found.append(f"STRATAFOLIO has {len(extra)} {kind} that QuickBooks does not (first: {extra[0]})")
        refs = Counter(r.get("RefNumber") for r in company.records["invoices"])
        for invoice in self.invoices_created:
            copies = refs[invoice.ref_number]
            if copies != 1:
                found.append(f"STRATAFOLIO invoice {invoice.ref_number} is in QuickBooks {copies} times")
        return found
