"""The STRATAFOLIO web service: the server side of the QBWC callback contract.

It answers the eight callbacks (DOMAIN.md section 3) for every organization.
authenticate checks the Web Connector user name and password of an authorized
computer ("nvu" when unknown, wrong or deleted) and answers the company file's
path it learned from strCompanyFileName in an earlier session (PG ch.10), or ""
(the file open in QuickBooks) while it knows none. A full sync pulls customers, accounts, invoices and payments with
iterators, then pushes the invoices created in STRATAFOLIO, looking each one up
by RefNumber first so a retry never adds it twice, then sends the changes its users made
to invoices QuickBooks already has (InvoiceMod, on the EditSequence of the version they
changed). QuickBooks refusing one of these pushes (a closing date, a credit limit, an
out-of-date edit sequence, an inactive customer, a record in use) does not stop the
others: STRATAFOLIO notes the refusal on the invoice for its users, goes on, and tries it
again at every sync until someone fixes the cause; a session with refusals ends with a
negative receiveResponseXML and getLastError naming them, so the Web Connector shows the
error (assumed: what a service reasonably does; AYS Software and InterWeave describe the
same, tests/data/vendor_pages/). Any other QuickBooks error makes receiveResponseXML answer
a negative number at once and getLastError explain it; connectionError asks for a retry
twice, then says "done".
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.errors import ConfigurationError
from sim.quickbooks.qbxml import QbxmlError, Request, build_request, parse_response, qb_time
from sim.stratafolio.ledger import LedgerFull, StratafolioInvoice
from sim.stratafolio.organization import ADMINISTRATOR, AuthorizedComputer, Integration, Organization
from sim.text import one_line

if TYPE_CHECKING:
    from sim.parts import World

__all__ = [
    "StratafolioService",
    "SERVICE_URL",
    "SUPPORT_URL",
    "CONNECTION_RETRIES",
    "PAGE_SIZE",
    "MAX_OPEN_TICKETS",
    "MAX_USER_NAME",
    "MAX_SYNCS_KEPT",
]

SERVICE_URL = "https://app.stratafolio.com/qbwc/"
SUPPORT_URL = "https://help.stratafolio.com/"
CONNECTION_RETRIES = 2  # PG advises services to stop after a couple of tries
PAGE_SIZE = 25
#: Sessions open at once; past it the one idle longest is dropped (its ticket then gets
#: the contract's harmless answers), so tickets nobody closes cannot pile up.
MAX_OPEN_TICKETS = 1_000
#: Longer user names are refused before anything is looked up or recorded.
MAX_USER_NAME = 256
#: Finished syncs each integration remembers (its history page; assumed): the oldest go first,
#: so a closed session leaves nothing behind past this many.
MAX_SYNCS_KEPT = 1_000
_PULLS = ("customers", "accounts", "invoices", "payments")
_QUERY_OF = {
    "customers": "CustomerQueryRq",
    "accounts": "AccountQueryRq",
    "invoices": "InvoiceQueryRq",
    "payments": "ReceivePaymentQueryRq",
}
_KIND_OF_RS = {
    "CustomerQueryRs": "customers",
    "AccountQueryRs": "accounts",
    "InvoiceQueryRs": "invoices",
    "ReceivePaymentQueryRs": "payments",
}


@dataclass
class SyncJob:
    """What one ticket still has to do."""

    ticket: str
    integration: Integration
    computer: AuthorizedComputer
    todo: deque[tuple[str, Any]] = field(default_factory=deque)  # taken from and put back at the front
    done: int = 0
    in_flight: tuple[str, Any] | None = None
    last_error: str = ""
    connection_errors: int = 0
    completed: bool = False
    noop: bool = False
    started: str = ""  # simulated time of authenticate: the next sync pulls what changed since
    rejected: list[str] = field(default_factory=list)  # pushes QuickBooks refused this session


def _expected_response(step: tuple[str, Any]) -> str:
    """The response element a step's request must be answered with."""
    action, subject = step
    if action == "pull":
        return _QUERY_OF[subject].removesuffix("Rq") + "Rs"
    if action == "continue":
        return _QUERY_OF[subject[0]].removesuffix("Rq") + "Rs"
    return {"lookup": "InvoiceQueryRs", "mod": "InvoiceModRs"}.get(action, "InvoiceAddRs")


#: What pushing a waiting invoice starts with: looking it up by RefNumber, so an add whose answer
#: was lost (the connection dropped) is found and linked on the next sync, never added twice.
FIRST_PUSH_STEP = "lookup"


class StratafolioService:
    """STRATAFOLIO, as seen from Web Connector and from its own web pages."""

    def __init__(self, world: World, url: str = SERVICE_URL, support_url: str = SUPPORT_URL) -> None:
        self.world = world
        self.url = url
        self.support_url = support_url
        self.organizations: list[Organization] = []
        self.jobs: dict[str, SyncJob] = {}  # oldest first: a dict keeps insertion order
        #: Where tickets come from: the world's seed in a simulation; `wcsim serve`
        #: replaces it with `secrets`, since a ticket there faces a real network.
        self.new_ticket = world.new_ticket
        self.computer_count = 0  # Web Connector user names are numbered across organizations
        #: The TLS certificate of its URL as a Web Connector sees it: "valid", "expired", "untrusted".
        self.certificate = "valid"
        #: Callbacks during which it closes the connection (a failing load balancer, say).
        self.drops_connection_during: set[str] = set()
        #: The oldest TLS version its address accepts (sim.windows.dotnet_tls): 1.2, as cloud services
        #: have required since TLS 1.0 and 1.1 were retired (FIELD: Intuit's own APIs from 2018,
        #: tests/data/dotnet_tls.md; STRATAFOLIO's own setting assumed).
        self.minimum_tls = "1.2"
        #: What it does wrong in which callback, and what its address does to every call (sim.stratafolio.misbehaviour).
        self.misbehaviour: dict[str, str] = {}
        self.endpoint = ""
        #: What serverVersion answers: a .NET service's assembly version with its build number, as
        #: real services answer (FIELD: "3.0.2.0", qbsync-62; "0.0.0", "1.0" in other published logs);
        #: the number itself assumed.
        self.version = "4.12.0.2318"
        world.web_services[url] = self

    # --- the web pages -------------------------------------------------------------------------
    def create_organization(self, name: str, admin_email: str) -> Organization:
        organization = Organization(name, self)
        organization.add_member(admin_email, ADMINISTRATOR)
        self.organizations.append(organization)
        self.world.record("STRATAFOLIO", "stratafolio.organization_created", org=name, admin=admin_email)
        return organization

    def organization(self, name: str) -> Organization:
        for organization in self.organizations:
            if organization.name.casefold() == name.casefold():
                return organization
        raise ConfigurationError(f"STRATAFOLIO has no organization {name!r}")

    def _computer(self, user_name: str) -> tuple[Integration, AuthorizedComputer] | None:
        for organization in self.organizations:
            for integration in organization.integrations:
                for computer in integration.computers:
                    if computer.user_name == user_name:
                        return integration, computer
        return None

    # --- the callbacks ----------------------------------------------------------------------------
    def serverVersion(self) -> str:
        return self.version

    def clientVersion(self, strVersion: str) -> str:
        return ""

    def authenticate(self, strUserName: str, strPassword: str) -> list[str]:
        user_name, password = str(strUserName), str(strPassword)
        found = self._computer(user_name) if len(user_name) <= MAX_USER_NAME else None
        if (
            found is None
            or found[1].deleted
            or not secrets.compare_digest(found[1].password.encode(), password.encode())
        ):
            why = (
                "unknown user"
                if found is None
                else ("authorized computer deleted" if found[1].deleted else "wrong password")
            )
            self.world.record(
                "STRATAFOLIO", "stratafolio.login_refused", source="PG", user_name=one_line(user_name, 64), reason=why
            )
            return ["", "nvu"]
        integration, computer = found
        ticket = self.new_ticket()
        job = SyncJob(ticket, integration, computer, started=qb_time(self.world.now))
        ledger = integration.ledger
        job.todo = deque(
            [("pull", kind) for kind in _PULLS]
            + [(FIRST_PUSH_STEP, invoice) for invoice in ledger.pending_invoices]
            + [("mod", invoice) for invoice in ledger.changed]
        )
        while len(self.jobs) >= MAX_OPEN_TICKETS:
            dropped = next(iter(self.jobs))
            del self.jobs[dropped]
            self.world.record("STRATAFOLIO", "stratafolio.ticket_expired", source="assumed", ticket=dropped)
        self.jobs[ticket] = job
        self.world.record("STRATAFOLIO", "stratafolio.sync_started", integration=integration.name, ticket=ticket)
        # PG ch.10: return the path learned from strCompanyFileName; "" (the file open in
        # QuickBooks) until one is known.
        return [ticket, computer.company_file]

    def _learn_company_file(self, job: SyncJob, path: str) -> None:
        """PG ch.10: remember the file Web Connector opened, to name it in the next authenticate.
        Whatever file that is: the service cannot tell one company file from another by its path."""
        if path and path != job.computer.company_file:
            job.computer.company_file = path
            self.world.record(
                "STRATAFOLIO",
                "stratafolio.company_file_learned",
                source="PG",
                integration=job.integration.name,
                path=path,
            )

    def sendRequestXML(
        self,
        ticket: str,
        strHCPResponse: str,
        strCompanyFileName: str,
        qbXMLCountry: str,
        qbXMLMajorVers: int,
        qbXMLMinorVers: int,
    ) -> str:
        job = self.jobs.get(ticket)
        if job is None:
            return ""
        self._learn_company_file(job, str(strCompanyFileName)[:1000])
        if job.integration.preparing_polls > 0:
            job.integration.preparing_polls -= 1
            job.noop = True
            return ""
        job.noop = False
        if not job.todo:
            job.last_error = "nothing left to send"
            return ""
        job.in_flight = step = job.todo.popleft()
        action, subject = step
        if action == "pull":
            since = job.integration.pulled_since.get(subject)
            request = Request(
                _QUERY_OF[subject],
                request_id=str(job.done),
                iterator="Start",
                max_returned=PAGE_SIZE,
                fields={"FromModifiedDate": since} if since else {},
            )
        elif action == "continue":
            kind, iterator_id = subject
            request = Request(
                _QUERY_OF[kind],
                request_id=str(job.done),
                iterator="Continue",
                iterator_id=iterator_id,
                max_returned=PAGE_SIZE,
            )
        elif action == "lookup":
            request = Request("InvoiceQueryRq", request_id=str(job.done), fields={"RefNumber": subject.ref_number})
        elif action == "mod":
            invoice: StratafolioInvoice = subject
            request = Request(
                "InvoiceModRq",
                request_id=str(job.done),
                fields={"TxnID": invoice.qb_txn_id or "", "EditSequence": invoice.based_on, **(invoice.change or {})},
            )
        else:  # add
            invoice = subject
            request = Request(
                "InvoiceAddRq",
                request_id=str(job.done),
                fields={
                    "CustomerRef": invoice.customer,
                    "TxnDate": invoice.txn_date or self.world.now.date().isoformat(),
                    "RefNumber": invoice.ref_number,
                    "Memo": invoice.memo,
                    "Subtotal": invoice.amount,
                },
            )
        return build_request([request])

    def receiveResponseXML(self, ticket: str, response: str, hresult: str, message: str) -> int:
        job = self.jobs.get(ticket)
        if job is None or job.in_flight is None:
            return -1
        step, job.in_flight = job.in_flight, None
        if hresult:
            job.last_error = one_line(f"QuickBooks error {hresult}: {message}", 500)
            return -101
        try:
            answers = parse_response(response)
        except QbxmlError as error:
            job.last_error = one_line(f"unreadable response: {error}", 500)
            return -102
        if len(answers) != 1:  # one request was sent; one answer each time keeps what is left to do bounded
            job.last_error = f"QuickBooks answered {len(answers)} responses to one request"
            return -103
        try:
            problem = self._take_answer(job, step, answers[0])
        except LedgerFull as full:
            job.last_error = f"STRATAFOLIO cannot keep more of this integration's records: {full}"
            self.world.record(
                "STRATAFOLIO",
                "stratafolio.ledger_full",
                source="assumed",
                integration=job.integration.name,
                limit=str(full),
            )
            return -105
        if problem:
            return problem
        job.done += 1
        if not job.todo and job.rejected:
            job.last_error = one_line(
                f"QuickBooks rejected {len(job.rejected)} record(s), sent again at the next sync: "
                + "; ".join(job.rejected),
                500,
            )
            return -1
        if not job.todo:
            job.completed = True
            return 100
        return max(1, min(99, 100 * job.done // (job.done + len(job.todo))))

    def _take_answer(self, job: SyncJob, step: tuple[str, Any], answer) -> int:
        """Store what one answer brought and queue what it leads to; 0, or the negative number to answer."""
        action, subject = step
        expected = _expected_response(step)
        ledger = job.integration.ledger
        if answer.name != expected:
            job.last_error = one_line(f"QuickBooks answered <{answer.name}> to a request for <{expected}>", 500)
            return -103
        if answer.status_code == 1:  # nothing matched: a query that found nothing new
            if action == "pull":
                job.integration.pulled_since[subject] = job.started
            elif action == "lookup":
                job.todo.appendleft(("add", subject))
            return 0
        if not answer.ok and action in ("add", "mod"):
            return self._on_rejection(job, subject, answer) or 0
        if not answer.ok:
            job.last_error = one_line(f"QuickBooks status {answer.status_code}: {answer.status_message}", 500)
            return -1
        if action in ("pull", "continue"):
            kind = _KIND_OF_RS[answer.name]
            for record in answer.records:
                ledger.upsert(kind, record)
            if answer.iterator_remaining:
                job.todo.appendleft(("continue", (kind, answer.iterator_id)))
            else:
                job.integration.pulled_since[kind] = job.started
        elif action == "lookup":
            if answer.records:
                subject.qb_txn_id = answer.records[0].get("TxnID")
                ledger.upsert("invoices", answer.records[0])
            else:
                job.todo.appendleft(("add", subject))
        elif answer.records:
            subject.qb_txn_id = answer.records[0].get("TxnID")
            subject.rejection = ""
            if action == "mod":
                subject.change = None
                ledger.changed.remove(subject)
            ledger.upsert("invoices", answer.records[0])
        else:
            job.last_error = "QuickBooks added the invoice but returned no InvoiceRet"
            return -104
        return 0

    def _on_rejection(self, job: SyncJob, invoice: StratafolioInvoice, answer) -> int | None:
        """QuickBooks refused a push: noted on the invoice for STRATAFOLIO's users, and the session goes on
        with the other records (None; assumed, see the module's docstring)."""
        invoice.rejection = one_line(f"{answer.status_code}: {answer.status_message}", 300)
        job.rejected.append(
            one_line(f"invoice {invoice.ref_number}: {answer.status_code} {answer.status_message}", 200)
        )
        self.world.record(
            "STRATAFOLIO",
            "stratafolio.push_rejected",
            source="assumed",
            integration=job.integration.name,
            ref=invoice.ref_number,
            status=answer.status_code,
            code=str(answer.status_code),
        )
        return None

    def connectionError(self, ticket: str, hresult: str, message: str) -> str:
        job = self.jobs.get(ticket)
        if job is None:
            return "done"
        job.connection_errors += 1
        job.last_error = one_line(f"QuickBooks could not be reached: {hresult} {message}", 500)
        # PG: anything but "done" is the company file to try again: the one it remembers.
        return job.computer.company_file if job.connection_errors <= CONNECTION_RETRIES else "done"

    def getLastError(self, ticket: str) -> str:
        job = self.jobs.get(ticket)
        if job is None:
            return "unknown ticket"
        return "NoOp" if job.noop else job.last_error

    # Interactive mode (PG ch.10): STRATAFOLIO never asks for it, so a Web Connector that
    # enters it anyway is told there is no page and the session ends.
    def getInteractiveURL(self, wcTicket: str, sessionID: str) -> str:
        return ""

    def interactiveDone(self, wcTicket: str) -> str:
        return "Done"

    def interactiveRejected(self, wcTicket: str, reason: str) -> str:
        job = self.jobs.get(wcTicket)
        if job is not None:
            job.last_error = one_line(f"interactive session rejected: {reason}", 500)
        return "OK"

    def closeConnection(self, ticket: str) -> str:
        job = self.jobs.pop(ticket, None)
        if job is None:
            return "OK"
        outcome = "succeeded" if job.completed else (job.last_error or "stopped")
        syncs = job.integration.syncs
        syncs.append((self.world.seconds, outcome))
        if len(syncs) >= 2 * MAX_SYNCS_KEPT:  # trimmed now and then, so each close costs little
            del syncs[:-MAX_SYNCS_KEPT]
        # What Web Connector shows in its Status column: short, as real services answer ("OK" in
        # Intuit's sample service, "Complete!" in the PHP DevKit's, FIELD: published logs); the
        # details are getLastError's. The wording of the two others is assumed.
        if job.rejected and not job.todo:
            self.world.record(
                "STRATAFOLIO",
                "stratafolio.sync_finished",
                integration=job.integration.name,
                outcome="rejected",
                records=sum(job.integration.ledger.count().values()),
            )
            return f"Completed with {len(job.rejected)} error(s)"
        self.world.record(
            "STRATAFOLIO",
            "stratafolio.sync_finished",
            integration=job.integration.name,
            outcome="succeeded" if job.completed else "failed",
            records=sum(job.integration.ledger.count().values()),
        )
        return "OK" if job.completed else "Stopped: see the last error"
