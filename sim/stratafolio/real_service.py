"""STRATAFOLIO's side of the office when real web services stand in for some or all of its integrations.

A `ServiceBinding` ties integrations to a real service: the endpoint the Web Connector's sessions go
to (sim.webconnector.service_endpoint.RealService, which records them) and the adapter that acts on
the service's admin side (sim.stratafolio.adapter). `ServiceOrganization` is the organization as the
office sees it: an integration bound to a service is a `ServiceIntegration`, whose computers, QWC
files and invoices come from that service's adapter; the others stay the simulated STRATAFOLIO's.
It offers the simulated Organization's methods, so scenario timelines, Gherkin steps and linking
(sim.people.admin.link_company_file) act on either without knowing which. Downloading a QWC file
registers the endpoint under the file's AppURL, which is how the Web Connector's sessions find it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.errors import QWCError
from sim.stratafolio.adapter import CredentialsOnlyAdapter, ServiceAdapter
from sim.stratafolio.ledger import Ledger, StratafolioInvoice
from sim.stratafolio.organization import AuthorizedComputer, Integration, Organization
from sim.webconnector.service_endpoint import RealService

if TYPE_CHECKING:
    from sim.parts import World
    from sim.windows.host import Host

__all__ = ["ServiceBinding", "ServiceIntegration", "ServiceOrganization", "bind_service", "HTTP_TRANSCRIPT_LINES"]

#: Lines of the HTTP transcript kept (the last ones): a week of sessions would make millions.
HTTP_TRANSCRIPT_LINES = 500


@dataclass
class ServiceBinding:
    endpoint: RealService
    adapter: ServiceAdapter

    @property
    def url(self) -> str:
        return self.endpoint.url


def bind_service(
    world: World,
    url: str,
    adapter: ServiceAdapter | None = None,
    user: str = "",
    password: str = "",
    transport: Any = None,
    timeout: float = 60.0,
    wall_clock: bool = True,
) -> ServiceBinding:
    """A binding to the real service at `url`, over HTTP unless `transport` is given (a
    SoapInProcessTransport or InProcessTransport for a service in this process). Without an adapter,
    `user` and `password` are the one computer's credentials (CredentialsOnlyAdapter)."""
    if transport is None:
        from sim.webconnector.http_transport import HttpTransport

        transport = HttpTransport(url, timeout=timeout, transcript=deque(maxlen=HTTP_TRANSCRIPT_LINES))
    endpoint = RealService(world, url, transport, wall_clock=wall_clock)
    endpoint.register()
    return ServiceBinding(endpoint, adapter or CredentialsOnlyAdapter(url, user, password, world.new_guid))


@dataclass
class ServiceIntegration:
    """An integration whose service is real: what the office knows of it is what its adapter says."""

    name: str
    company_name: str
    organization: ServiceOrganization
    binding: ServiceBinding
    computers: list[AuthorizedComputer] = field(default_factory=list)
    invoices_created: list[StratafolioInvoice] = field(default_factory=list)

    @property
    def active_computers(self) -> list[AuthorizedComputer]:
        return [c for c in self.computers if not c.deleted]

    def create_invoice(
        self, customer: str, amount: str, ref_number: str | None = None, dated: str = ""
    ) -> StratafolioInvoice:
        number = ref_number or f"SF-{len(self.invoices_created) + 1:05d}"
        # (named only when given, so an adapter written before invoices had dates keeps working)
        self.binding.adapter.create_invoice(self.name, customer, amount, number, **({"dated": dated} if dated else {}))
        invoice = StratafolioInvoice(number, customer, amount, txn_date=dated)
        self.invoices_created.append(invoice)
        self.organization.world.record(
            "STRATAFOLIO",
            "stratafolio.invoice_created",
            integration=self.name,
            ref=number,
            customer=customer,
            amount=amount,
            service=self.binding.url,
        )
        return invoice

    @property
    def ledger(self) -> Ledger:
        """What the service holds, as a ledger to compare with the company file (the adapter's
        `synced_records`), with the invoices created through it."""
        ledger = Ledger(invoices_created=list(self.invoices_created))
        for kind, records in self.binding.adapter.synced_records(self.name).items():
            for record in records:
                if kind in ledger.records:
                    ledger.upsert(kind, record)
        return ledger


class ServiceOrganization:
    """The organization, with the integrations named in `bindings` (or all, with `default`) in real services."""

    def __init__(
        self,
        organization: Organization,
        bindings: dict[str, ServiceBinding] | None = None,
        default: ServiceBinding | None = None,
    ) -> None:
        self.organization = organization
        self.bindings = dict(bindings or {})
        self.default = default
        self.world = organization.service.world
        self.integrations: list[Any] = list(organization.integrations)

    def __getattr__(self, name: str) -> Any:  # name, members, service, require_admin, qwc_for: the simulated one's
        return getattr(self.organization, name)

    def binding_for(self, integration_name: str) -> ServiceBinding | None:
        return self.bindings.get(integration_name, self.default)

    @property
    def adapters(self) -> list[ServiceAdapter]:
        found = [b.adapter for b in [*self.bindings.values(), self.default] if b is not None]
        return list({id(a): a for a in found}.values())

    # --- people and integrations ------------------------------------------------------------------
    def add_member(self, email: str, role: str = "Member") -> None:
        self.organization.add_member(email, role)
        admin = next((e for e, r in self.organization.members.items() if r == "Administrator"), "")
        for adapter in self.adapters:
            adapter.add_member(admin, self.organization.name, email, role)

    def integration(self, name: str):
        for integration in self.integrations:
            if integration.name.casefold() == name.casefold():
                return integration
        return self.organization.integration(name)

    def add_integration(self, by: str, name: str, company_name: str):
        binding = self.binding_for(name)
        integration: Integration | ServiceIntegration
        if binding is None:
            integration = self.organization.add_integration(by, name, company_name)
        else:
            self.organization.require_admin(by, "add an integration")
            binding.adapter.add_integration(by, self.organization.name, name)
            integration = ServiceIntegration(name, company_name, self, binding)
            self.world.record(
                "STRATAFOLIO",
                "stratafolio.integration_added",
                org=self.organization.name,
                integration=name,
                service=binding.url,
            )
        self.integrations = [i for i in self.integrations if i.name.casefold() != name.casefold()] + [integration]
        return integration

    # --- computers and QWC files -------------------------------------------------------------------
    def authorize_computer(self, by: str, integration, computer_name: str) -> AuthorizedComputer:
        if not isinstance(integration, ServiceIntegration):
            return self.organization.authorize_computer(by, integration, computer_name)
        credentials = integration.binding.adapter.authorize_computer(by, integration.name, computer_name)
        computer = AuthorizedComputer(
            computer_name, credentials.user_name, credentials.password, owner_id="", file_id=""
        )
        integration.computers.append(computer)
        self.world.record(
            "STRATAFOLIO",
            "stratafolio.computer_authorized",
            integration=integration.name,
            computer=computer_name,
            user_name=computer.user_name,
            service=integration.binding.url,
        )
        return computer

    def delete_authorized_computer(self, by: str, integration, computer: AuthorizedComputer) -> None:
        if not isinstance(integration, ServiceIntegration):
            self.organization.delete_authorized_computer(by, integration, computer)
            return
        integration.binding.adapter.delete_authorized_computer(by, integration.name, computer.user_name)
        computer.deleted = True
        self.world.record(
            "STRATAFOLIO",
            "stratafolio.computer_deleted",
            integration=integration.name,
            computer=computer.computer_name,
            user_name=computer.user_name,
            service=integration.binding.url,
        )

    def download_qwc(
        self, by: str, integration, computer: AuthorizedComputer, host: Host, windows_user: str | None = None
    ) -> str:
        """The service's QWC file for `computer`, saved in a Windows user's Downloads folder; its
        AppURL now leads to the real service."""
        if not isinstance(integration, ServiceIntegration):
            return self.organization.download_qwc(by, integration, computer, host, windows_user)
        from sim.webconnector.qwc import read_qwc

        text = integration.binding.adapter.download_qwc(by, integration.name, computer.user_name)
        try:
            integration.binding.endpoint.register(read_qwc(text).app_url)
        except QWCError:
            pass  # the Web Connector will refuse the file when it is added, in its own words
        user = windows_user or host.logged_in or host.windows_users[0]
        name = "".join(c if c.isalnum() or c in " -_" else "_" for c in integration.name)
        path = f"C:\\Users\\{user}\\Downloads\\{name} - {computer.computer_name}.qwc"
        host.fs.write_text(path, text)
        self.world.record(
            host.name,
            "stratafolio.qwc_downloaded",
            integration=integration.name,
            path=path,
            service=integration.binding.url,
        )
        return path
