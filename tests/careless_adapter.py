"""The adapter for tests/careless_service.py's admin API: what a vendor writes for their own service.

Each method is one JSON POST to `<instance>/admin/<action>` beside the SOAP endpoint; a refusal
(HTTP 403) becomes PermissionDeniedError, as the simulated STRATAFOLIO raises it, and any other
failure one line naming the action. Named on the command line as
`--adapter tests.careless_adapter:CarelessServiceAdapter`.
"""

from __future__ import annotations

import httpx

from sim.errors import ConfigurationError, PermissionDeniedError
from sim.stratafolio.adapter import Credentials, ServiceAdapter


class CarelessServiceAdapter(ServiceAdapter):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.admin = url.rstrip("/").removesuffix("/qbwc") + "/admin/"

    def _post(self, action: str, **data) -> dict:
        try:
            reply = httpx.post(self.admin + action, json=data, timeout=10)
        except httpx.HTTPError as error:
            raise ConfigurationError(f"the service's admin API at {self.admin} cannot be reached ({error})") from None
        payload = reply.json()
        if reply.status_code == 403:
            raise PermissionDeniedError(payload["error"])
        if reply.status_code != 200:
            raise ConfigurationError(
                f"the service's admin API refused {action}: {payload.get('error', reply.status_code)}"
            )
        return payload

    def add_integration(self, by: str, organization: str, integration: str) -> None:
        self._post("integrations", by=by, integration=integration)

    def add_member(self, by: str, organization: str, email: str, role: str) -> None:
        self._post("members", by=by, email=email, role=role)

    def authorize_computer(self, by: str, integration: str, computer_name: str) -> Credentials:
        found = self._post("computers", by=by, integration=integration, computer_name=computer_name)
        return Credentials(found["user_name"], found["password"])

    def delete_authorized_computer(self, by: str, integration: str, user_name: str) -> None:
        self._post("delete", by=by, integration=integration, user_name=user_name)

    def download_qwc(self, by: str, integration: str, user_name: str) -> str:
        return self._post("qwc", by=by, integration=integration, user_name=user_name)["qwc"]

    def create_invoice(self, integration: str, customer: str, amount: str, ref_number: str) -> None:
        self._post("invoices", integration=integration, customer=customer, amount=amount, ref_number=ref_number)

    def synced_records(self, integration: str) -> dict[str, list[dict[str, str]]]:
        return self._post("records", integration=integration)
