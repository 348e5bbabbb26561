"""What wcsim needs from a web service's own admin side, and the class a vendor writes for it.

Against a real QBWC web service, the office's STRATAFOLIO-side actions (authorizing a computer,
deleting it, downloading its QWC file, creating invoices to push, reading what the service holds)
cannot go through the callbacks: each service has its own admin pages or API. `ServiceAdapter` names
those actions; a vendor subclasses it and implements them against their admin API, and wcsim calls it
wherever the simulated STRATAFOLIO would have acted (scenario timelines, Gherkin steps, linking).
Every method of the base class fails with `AdapterMissing`, whose message says what to implement, so
a scenario or feature that needs an action the adapter lacks fails saying so, never silently.

Two implementations ship: `SimulatedStratafolioAdapter`, the reference, over the simulated
STRATAFOLIO (the tests run the bundled scenarios through it), and `CredentialsOnlyAdapter`, what
`--service URL --user U --password P` gives when no adapter is named: one computer with those
credentials per integration and a QWC file pointing at URL, nothing else. `load_adapter` loads a
vendor's class from `module:Class`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import ConfigurationError, SimError
from sim.text import one_line

if TYPE_CHECKING:
    from sim.stratafolio.organization import Organization

__all__ = [
    "Credentials",
    "ServiceAdapter",
    "AdapterMissing",
    "SimulatedStratafolioAdapter",
    "CredentialsOnlyAdapter",
    "load_adapter",
    "ADAPTER_HELP",
]

ADAPTER_HELP = (
    "subclass sim.stratafolio.adapter.ServiceAdapter, implement it against your service's admin API, "
    "and name it with --adapter module:Class (pytest: --wcsim-adapter, or the pytest_wcsim_adapter hook)"
)


class AdapterMissing(SimError, AssertionError):
    """An action on the service's own side that the adapter in use does not implement (made by
    `missing`; one message argument, so it survives being raised through a simulation process)."""


def missing(action: str, method: str, signature: str) -> AdapterMissing:
    return AdapterMissing(f"{action} needs the service's adapter to implement {method}({signature}): {ADAPTER_HELP}")


@dataclass(frozen=True)
class Credentials:
    """What authorizing a computer gives: the Web Connector user name and its password."""

    user_name: str
    password: str


class ServiceAdapter:
    """The admin side of a QBWC web service, as wcsim acts on it. `url` is the service's endpoint
    (the AppURL its QWC files name). `by` is the e-mail of the STRATAFOLIO user acting: raise
    sim.errors.PermissionDeniedError when your service would refuse them."""

    def __init__(self, url: str) -> None:
        self.url = url

    def add_integration(self, by: str, organization: str, integration: str) -> None:
        """Make sure the integration (named after its company file) exists. Optional: the default
        does nothing, for a service set up beforehand."""

    def add_member(self, by: str, organization: str, email: str, role: str) -> None:
        """Make `email` a member with `role` ("Administrator" or "Member"). Optional: the default does
        nothing (then only your service's own members act)."""

    def authorize_computer(self, by: str, integration: str, computer_name: str) -> Credentials:
        raise missing(
            "authorizing a computer",
            "authorize_computer",
            "by, integration, computer_name) -> Credentials(user_name, password",
        )

    def delete_authorized_computer(self, by: str, integration: str, user_name: str) -> None:
        raise missing("deleting an authorized computer", "delete_authorized_computer", "by, integration, user_name")

    def download_qwc(self, by: str, integration: str, user_name: str) -> str:
        raise missing("downloading a QWC file", "download_qwc", "by, integration, user_name) -> the QWC file's text")

    def create_invoice(self, integration: str, customer: str, amount: str, ref_number: str, dated: str = "") -> None:
        """`dated`: the invoice's own date (an ISO date), or "" for the day it is pushed."""
        raise missing(
            "creating an invoice in the service",
            "create_invoice",
            "integration, customer, amount, ref_number, dated=''",
        )

    def synced_records(self, integration: str) -> dict[str, list[dict[str, str]]]:
        raise missing(
            "comparing what the service holds with the company file",
            "synced_records",
            "integration) -> {'customers'|'accounts'|'invoices'|'payments': [records with their ListID or TxnID]}",
        )


class SimulatedStratafolioAdapter(ServiceAdapter):
    """The reference implementation: the simulated STRATAFOLIO's own organization, acted on directly."""

    def __init__(self, url: str, organization: Organization) -> None:
        super().__init__(url)
        self.organization = organization

    def _integration(self, name: str):
        return self.organization.integration(name)

    def add_integration(self, by: str, organization: str, integration: str) -> None:
        if not any(i.name.casefold() == integration.casefold() for i in self.organization.integrations):
            self.organization.add_integration(by, integration, integration)

    def add_member(self, by: str, organization: str, email: str, role: str) -> None:
        self.organization.add_member(email, role)

    def authorize_computer(self, by: str, integration: str, computer_name: str) -> Credentials:
        computer = self.organization.authorize_computer(by, self._integration(integration), computer_name)
        return Credentials(computer.user_name, computer.password)

    def _computer(self, integration: str, user_name: str):
        for computer in self._integration(integration).computers:
            if computer.user_name == user_name:
                return computer
        raise ConfigurationError(f"STRATAFOLIO: {integration!r} has no authorized computer {user_name!r}")

    def delete_authorized_computer(self, by: str, integration: str, user_name: str) -> None:
        self.organization.delete_authorized_computer(
            by, self._integration(integration), self._computer(integration, user_name)
        )

    def download_qwc(self, by: str, integration: str, user_name: str) -> str:
        from sim.errors import PermissionDeniedError
        from sim.webconnector.qwc import write_qwc

        self.organization.require_admin(by, "download a QWC file")
        computer = self._computer(integration, user_name)
        if computer.deleted:
            raise PermissionDeniedError(
                f"STRATAFOLIO: authorized computer {computer.computer_name!r} was deleted; authorize a new one"
            )
        return write_qwc(self.organization.qwc_for(self._integration(integration), computer))

    def create_invoice(self, integration: str, customer: str, amount: str, ref_number: str, dated: str = "") -> None:
        self._integration(integration).create_invoice(customer, amount, ref_number, dated=dated)

    def synced_records(self, integration: str) -> dict[str, list[dict[str, str]]]:
        return {kind: list(records.values()) for kind, records in self._integration(integration).ledger.records.items()}


class CredentialsOnlyAdapter(ServiceAdapter):
    """No adapter named: every integration links with the one user name and password given, through a
    QWC file wcsim writes for `url`. Everything else fails saying what an adapter would need."""

    def __init__(self, url: str, user_name: str, password: str, new_guid: Callable[[], str]) -> None:
        super().__init__(url)
        self.credentials = Credentials(user_name, password)
        self.new_guid = new_guid
        self._ids: dict[str, tuple[str, str]] = {}  # integration -> (OwnerID, FileID) of its QWC

    def authorize_computer(self, by: str, integration: str, computer_name: str) -> Credentials:
        if integration in self._ids:
            raise missing(
                "authorizing another computer (the service's own credentials were given, once)",
                "authorize_computer",
                "by, integration, computer_name) -> Credentials(user_name, password",
            )
        self._ids[integration] = (self.new_guid(), self.new_guid())
        return self.credentials

    def download_qwc(self, by: str, integration: str, user_name: str) -> str:
        from urllib.parse import urlsplit

        from sim.webconnector.http_transport import masked_url
        from sim.webconnector.qwc import QwcFile, write_qwc

        if integration not in self._ids:
            raise ConfigurationError(f"no computer was authorized for {integration!r}")
        owner_id, file_id = self._ids[integration]
        shown = masked_url(self.url)
        parts = urlsplit(shown)
        return write_qwc(
            QwcFile(
                app_name=f"STRATAFOLIO - {integration}",
                app_id="",
                app_url=shown,
                app_description=f"{integration} through {shown}",
                app_support=f"{parts.scheme}://{parts.netloc}/",
                user_name=user_name,
                owner_id=owner_id,
                file_id=file_id,
                qb_type="QBFS",
                unattended_mode_pref="umpOptional",
                personal_data_pref="pdpOptional",
            )
        )


def load_adapter(spec: str, url: str) -> ServiceAdapter:
    """The vendor's adapter named `module:Class` (the module importable from here), made with the
    service's URL. A bad name is one line naming what is wrong."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ConfigurationError(
            f"--adapter {one_line(spec, 100)!r}: name it as module:Class (e.g. myservice.wcsim_adapter:Adapter)"
        )
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - whatever importing the vendor's module raises
        raise ConfigurationError(
            f"--adapter {one_line(spec, 100)!r}: cannot import {module_name!r} "
            f"({type(error).__name__}: {one_line(error, 200)})"
        ) from None
    adapter_class = getattr(module, class_name, None)
    if not (isinstance(adapter_class, type) and issubclass(adapter_class, ServiceAdapter)):
        raise ConfigurationError(
            f"--adapter {one_line(spec, 100)!r}: {module_name} has no subclass of "
            f"sim.stratafolio.adapter.ServiceAdapter named {class_name!r}"
        )
    try:
        return adapter_class(url)
    except Exception as error:  # noqa: BLE001
        raise ConfigurationError(
            f"--adapter {one_line(spec, 100)!r}: {class_name}({url!r}) failed "
            f"({type(error).__name__}: {one_line(error, 200)})"
        ) from None
