"""The parts of a qbXML message as the simulator holds them: one `Request` or `Response` each.

sim.quickbooks.qbxml reads and writes them as XML, and sim.quickbooks.qbxml_read_back works out
what reading back a message the builders wrote gives; both use these classes, so they live here,
below both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Request", "Response", "NESTED"]

# Fields stored flat in a company file that qbXML writes as a nested reference.
NESTED = {"CustomerRef": ("CustomerRef", "FullName"), "AppliedTo": ("AppliedToTxnRet", "TxnID")}


@dataclass
class Request:
    """One request of a qbXML message, e.g. `InvoiceQueryRq` or `CustomerAddRq`."""

    name: str  # "InvoiceQueryRq"
    request_id: str = ""
    iterator: str = ""  # "", "Start" or "Continue"
    iterator_id: str = ""
    max_returned: int | None = None
    fields: dict[str, str] = field(default_factory=dict)  # filters of a query, values of an add
    include: list[str] = field(default_factory=list)  # IncludeRetElement: answer only these elements
    owner_ids: list[str] = field(default_factory=list)  # OwnerID: data extensions wanted ("0" = public)

    @property
    def object_name(self) -> str:
        return self.name.removesuffix("Rq").removesuffix("Query").removesuffix("Add").removesuffix("Mod")

    @property
    def is_query(self) -> bool:
        return self.name.endswith("QueryRq")

    @property
    def is_add(self) -> bool:
        return self.name.endswith("AddRq")

    @property
    def is_mod(self) -> bool:
        return self.name.endswith("ModRq")

    @property
    def carries_record(self) -> bool:
        """An add or a mod: its fields are written inside one element named after the request."""
        return self.name.endswith(("AddRq", "ModRq"))


@dataclass
class Response:
    name: str  # "InvoiceQueryRs"
    request_id: str = ""
    status_code: int = 0
    status_severity: str = "Info"
    status_message: str = "Status OK"
    records: list[dict[str, str]] = field(default_factory=list)
    iterator_remaining: int | None = None
    iterator_id: str = ""

    @property
    def object_name(self) -> str:
        return self.name.removesuffix("Rs").removesuffix("Query").removesuffix("Add").removesuffix("Mod")

    @property
    def ok(self) -> bool:
        return self.status_severity != "Error"
