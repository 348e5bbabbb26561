"""STRATAFOLIO's side of the office: organizations, members, integrations, authorized computers.

An organization has Administrator and non-Administrator members and an
Integrations tab; each integration is tied to one QuickBooks company file and
keeps its ledger. To link a file, an Administrator authorizes a computer for the
integration, which gets a Web Connector user name, a password (shown once) and
a fresh OwnerID/FileID pair, and downloads that computer's QWC file to a host's
Downloads folder. Deleting the authorized computer makes its credentials stop
working at once (ART recovery steps 2, 5 and 6). Actions that need an
Administrator raise `PermissionDeniedError` for anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.errors import ConfigurationError, PermissionDeniedError
from sim.stratafolio.ledger import Ledger, StratafolioInvoice
from sim.webconnector.qwc import QwcFile, write_qwc

if TYPE_CHECKING:
    from sim.parts import StratafolioService
    from sim.windows.host import Host

__all__ = ["Organization", "Integration", "AuthorizedComputer", "ADMINISTRATOR", "MEMBER"]

ADMINISTRATOR = "Administrator"
MEMBER = "Member"


@dataclass
class AuthorizedComputer:
    computer_name: str
    user_name: str
    password: str
    owner_id: str
    file_id: str
    deleted: bool = False
    #: The company file's path as the Web Connector last named it (strCompanyFileName):
    #: returned from authenticate, as the PG advises, so unattended runs open it.
    company_file: str = ""


@dataclass
class Integration:
    name: str
    company_name: str
    organization: Organization
    computers: list[AuthorizedComputer] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    syncs: list[tuple[float, str]] = field(default_factory=list)  # (when, "succeeded" or the error)
    pulled_since: dict[str, str] = field(default_factory=dict)  # record kind -> time of the last complete pull
    preparing_polls: int = 0  # sendRequestXML answers "" and getLastError "NoOp" this many times

    @property
    def active_computers(self) -> list[AuthorizedComputer]:
        return [c for c in self.computers if not c.deleted]

    def create_invoice(
        self, customer: str, amount: str, ref_number: str | None = None, dated: str = ""
    ) -> StratafolioInvoice:
        """An invoice made in STRATAFOLIO, waiting to be pushed to QuickBooks (dated `dated`, an ISO
        date, or the day it is pushed)."""
        number = ref_number or f"SF-{len(self.ledger.invoices_created) + 1:05d}"
        invoice = StratafolioInvoice(number, customer, amount, txn_date=dated)
        self.ledger.invoices_created.append(invoice)
        details = {"dated": dated} if dated else {}
        self.organization.service.world.record(
            "STRATAFOLIO",
            "stratafolio.invoice_created",
            integration=self.name,
            ref=number,
            customer=customer,
            amount=amount,
            **details,
        )
        return invoice

    def change_invoice(self, ref_number: str, amount: str) -> StratafolioInvoice:
        """A STRATAFOLIO user changes the amount of an invoice QuickBooks already has: the change is sent as
        an InvoiceMod on the version STRATAFOLIO holds (its EditSequence, from the last pull)."""
        invoice = next((i for i in self.ledger.invoices_created if i.ref_number == ref_number), None)
        if invoice is None or invoice.qb_txn_id is None:
            raise ConfigurationError(f"STRATAFOLIO: invoice {ref_number!r} of {self.name!r} is not in QuickBooks yet")
        invoice.change = {"Subtotal": amount}
        invoice.based_on = str(self.ledger.records["invoices"].get(invoice.qb_txn_id, {}).get("EditSequence", ""))
        if invoice not in self.ledger.changed:
            self.ledger.changed.append(invoice)
        self.organization.service.world.record(
            "STRATAFOLIO",
            "stratafolio.invoice_changed",
            integration=self.name,
            ref=ref_number,
            amount=amount,
            edit_sequence=invoice.based_on,
        )
        return invoice


@dataclass
class Organization:
    name: str
    service: StratafolioService
    members: dict[str, str] = field(default_factory=dict)  # e-mail -> role
    integrations: list[Integration] = field(default_factory=list)

    # --- people -----------------------------------------------------------------------------
    def add_member(self, email: str, role: str = MEMBER) -> None:
        if role not in (ADMINISTRATOR, MEMBER):
            raise ConfigurationError(f"STRATAFOLIO role must be {ADMINISTRATOR!r} or {MEMBER!r}, not {role!r}")
        self.members[email.casefold()] = role

    def require_admin(self, email: str, action: str) -> None:
        role = self.members.get(email.casefold())
        if role is None:
            raise PermissionDeniedError(f"STRATAFOLIO: {email} is not a member of {self.name!r} and cannot {action}")
        if role != ADMINISTRATOR:
            self.service.world.record("STRATAFOLIO", "stratafolio.refused", source="ART", who=email, action=action)
            raise PermissionDeniedError(
                f"STRATAFOLIO: {email} is not an Administrator of {self.name!r} and cannot {action}"
            )

    # --- integrations ---------------------------------------------------------------------------
    def integration(self, name: str) -> Integration:
        for integration in self.integrations:
            if integration.name.casefold() == name.casefold():
                return integration
        known = ", ".join(i.name for i in self.integrations) or "none"
        raise ConfigurationError(f"STRATAFOLIO: {self.name!r} has no integration {name!r} (integrations: {known})")

    def add_integration(self, by: str, name: str, company_name: str) -> Integration:
        self.require_admin(by, "add an integration")
        integration = Integration(name, company_name, self)
        self.integrations.append(integration)
        self.service.world.record("STRATAFOLIO", "stratafolio.integration_added", org=self.name, integration=name)
        return integration

    def authorize_computer(self, by: str, integration: Integration, computer_name: str) -> AuthorizedComputer:
        self.require_admin(by, "authorize a computer")
        world = self.service.world
        # Numbered across the whole service: two organizations whose names start alike
        # must never share a Web Connector user name (the second could never log in).
        self.service.computer_count += 1
        number = self.service.computer_count
        slug = "".join(c for c in self.name.lower() if c.isalnum())[:12]
        computer = AuthorizedComputer(
            computer_name=computer_name,
            user_name=f"sf-{slug}-{number}",
            password=f"{world.random.getrandbits(64):016x}",
            owner_id=world.new_guid(),
            file_id=world.new_guid(),
        )
        integration.computers.append(computer)
        world.record(
            "STRATAFOLIO",
            "stratafolio.computer_authorized",
            source="ART",
            integration=integration.name,
            computer=computer_name,
            user_name=computer.user_name,
        )
        return computer

    def delete_authorized_computer(self, by: str, integration: Integration, computer: AuthorizedComputer) -> None:
        self.require_admin(by, "delete an authorized computer")
        computer.deleted = True
        self.service.world.record(
            "STRATAFOLIO",
            "stratafolio.computer_deleted",
            source="ART",
            integration=integration.name,
            computer=computer.computer_name,
            user_name=computer.user_name,
        )

    def qwc_for(self, integration: Integration, computer: AuthorizedComputer) -> QwcFile:
        return QwcFile(
            app_name=f"STRATAFOLIO - {integration.name}",
            app_id="",
            app_url=self.service.url,
            app_description=f"Syncs {integration.company_name} with STRATAFOLIO",
            app_support=self.service.support_url,
            user_name=computer.user_name,
            owner_id=computer.owner_id,
            file_id=computer.file_id,
            qb_type="QBFS",
            unattended_mode_pref="umpOptional",
            personal_data_pref="pdpOptional",
        )

    def download_qwc(
        self,
        by: str,
        integration: Integration,
        computer: AuthorizedComputer,
        host: Host,
        windows_user: str | None = None,
    ) -> str:
        """Save the computer's QWC file in a Windows user's Downloads folder; returns its path."""
        self.require_admin(by, "download a QWC file")
        if computer.deleted:
            raise PermissionDeniedError(
                f"STRATAFOLIO: authorized computer {computer.computer_name!r} was deleted; authorize a new one"
            )
        user = windows_user or host.logged_in or host.windows_users[0]
        name = "".join(c if c.isalnum() or c in " -_" else "_" for c in integration.name)
        path = f"C:\\Users\\{user}\\Downloads\\{name} - {computer.computer_name}.qwc"
        host.fs.write_text(path, write_qwc(self.qwc_for(integration, computer)))
        self.service.world.record(
            host.name, "stratafolio.qwc_downloaded", source="ART", integration=integration.name, path=path
        )
        return path
