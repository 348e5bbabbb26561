"""A QBWC web service with careless habits on purpose, for the after-run checks to catch (sim.service_checks).

Run as `python tests/careless_service.py PORT`; it binds 127.0.0.1 only. The first part of the URL
path names an instance, each with its own state: `/resend-adds-1/qbwc` is the SOAP endpoint of an
instance whose habit is "resend-adds", `/resend-adds-1/admin/...` its admin API (JSON, what
tests/careless_adapter.py talks to). Each instance is the simulated STRATAFOLIO service with one habit
changed (and pushes before pulls, so a dropped receiveResponseXML lands on the first push):
  careful            none: the reference behaviour (looks an invoice up by RefNumber before adding it)
  resend-adds        adds every waiting invoice without looking it up, so an add whose answer was lost is sent again
  loop-on-error      after QuickBooks rejects a request, answers 50% and sends the same request again
  retry-forever      answers connectionError with "try again", never "done"
  silent-last-error  answers getLastError with nothing
  noop-forever       never has a request ready: sendRequestXML "" and getLastError "NoOp", forever
  fault-on-receive   fails (a SOAP fault) in receiveResponseXML
  sticky-path        remembers the first company file an integration synced and names it for every computer after
"""

from __future__ import annotations

import json
import secrets
import sys
import uuid
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn  # noqa: E402

from sim.errors import PermissionDeniedError, SimError  # noqa: E402
from sim.stratafolio import service as reference  # noqa: E402
from sim.stratafolio.http_app import create_app  # noqa: E402
from sim.stratafolio.service import StratafolioService  # noqa: E402
from sim.webconnector.qwc import write_qwc  # noqa: E402
from sim.world import World  # noqa: E402

ADMIN = "admin@example.com"
HABITS = (
    "careful",
    "resend-adds",
    "loop-on-error",
    "retry-forever",
    "silent-last-error",
    "noop-forever",
    "fault-on-receive",
    "sticky-path",
)


class CarelessService(StratafolioService):
    def __init__(self, world: World, url: str, habit: str) -> None:
        super().__init__(world, url)
        self.habit = habit
        self.first_path: dict[str, str] = {}  # integration -> the first company file it synced (sticky-path)
        self.sent: dict[str, str] = {}  # ticket -> the request sent last (loop-on-error)
        self.send_again: dict[str, str] = {}  # ticket -> a rejected request to send again, word for word

    def authenticate(self, strUserName: str, strPassword: str) -> list[str]:
        answer = super().authenticate(strUserName, strPassword)
        job = self.jobs.get(answer[0])
        if job is None:
            return answer
        steps = sorted(job.todo, key=lambda step: step[0] == "pull")  # pushes first
        if self.habit == "resend-adds":
            steps = [
                ("add", subject) if action == reference.FIRST_PUSH_STEP else (action, subject)
                for action, subject in steps
            ]
        job.todo = deque(steps)
        if self.habit == "noop-forever":
            job.integration.preparing_polls = 10**9
        if self.habit == "sticky-path" and job.integration.name in self.first_path:
            return [answer[0], self.first_path[job.integration.name]]
        return answer

    def _learn_company_file(self, job, path: str) -> None:
        super()._learn_company_file(job, path)
        if path:
            self.first_path.setdefault(job.integration.name, path)

    def sendRequestXML(self, ticket: str, *arguments, **named) -> str:
        if ticket in self.send_again:
            return self.send_again.pop(ticket)
        self.sent[ticket] = super().sendRequestXML(ticket, *arguments, **named)
        return self.sent[ticket]

    def receiveResponseXML(self, ticket: str, response: str, hresult: str, message: str) -> int:
        if self.habit == "fault-on-receive":
            raise RuntimeError("the careless service failed")
        job = self.jobs.get(ticket)
        refused = len(job.rejected) if job is not None else 0
        answer = super().receiveResponseXML(ticket, response, hresult, message)
        # (STRATAFOLIO notes a refused push and goes on; this habit sends it again instead)
        if (
            self.habit == "loop-on-error"
            and job is not None
            and (answer < 0 or len(job.rejected) > refused)
            and ticket in self.sent
        ):
            self.send_again[ticket] = self.sent[ticket]  # the same request again, as if nothing happened
            job.last_error = ""
            return 50
        return answer

    def connectionError(self, ticket: str, hresult: str, message: str) -> str:
        answer = super().connectionError(ticket, hresult, message)
        job = self.jobs.get(ticket)
        if (
            self.habit == "sticky-path"
            and answer != "done"
            and job is not None
            and job.integration.name in self.first_path
        ):
            return self.first_path[job.integration.name]
        return "try again" if self.habit == "retry-forever" else answer

    def getLastError(self, ticket: str) -> str:
        answer = super().getLastError(ticket)
        return "" if self.habit == "silent-last-error" else answer


class Instance:
    def __init__(self, port: int, name: str) -> None:
        habit = next((h for h in sorted(HABITS, key=len, reverse=True) if name.startswith(h)), "careful")
        self.url = f"http://127.0.0.1:{port}/{name}/qbwc"
        self.service = CarelessService(World(seed=0), self.url, habit)
        self.service.new_ticket = lambda: str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
        self.organization = self.service.create_organization("Example Realty", ADMIN)
        self.soap = create_app(self.service, self.url, path=f"/{name}/qbwc")

    def admin(self, action: str, data: dict) -> object:
        organization = self.organization
        if action == "integrations":
            if not any(i.name == data["integration"] for i in organization.integrations):
                organization.add_integration(data["by"], data["integration"], data["integration"])
            return {}
        if action == "members":
            organization.add_member(data["email"], data["role"])
            return {}
        integration = organization.integration(data["integration"])
        if action == "computers":
            computer = organization.authorize_computer(data["by"], integration, data["computer_name"])
            return {"user_name": computer.user_name, "password": computer.password}
        computer = next((c for c in integration.computers if c.user_name == data.get("user_name")), None)
        if action == "delete":
            organization.delete_authorized_computer(data["by"], integration, computer)
            return {}
        if action == "qwc":
            organization.require_admin(data["by"], "download a QWC file")
            return {"qwc": write_qwc(organization.qwc_for(integration, computer))}
        if action == "invoices":
            integration.create_invoice(data["customer"], data["amount"], data["ref_number"])
            return {}
        if action == "records":
            return {kind: list(records.values()) for kind, records in integration.ledger.records.items()}
        raise SimError(f"no admin action {action!r}")


def create(port: int):
    instances: dict[str, Instance] = {}

    async def respond(send, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":  # served with lifespan off: nothing else comes
            return
        parts = scope["path"].strip("/").split("/")
        if len(parts) < 2 or not parts[0]:
            await respond(send, 404, {"error": "not found"})
            return
        instance = instances.get(parts[0])
        if instance is None:
            instance = instances[parts[0]] = Instance(port, parts[0])
        if parts[1] != "admin":
            await instance.soap(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        try:
            payload = instance.admin(parts[2] if len(parts) > 2 else "", json.loads(b"".join(chunks) or b"{}"))
        except PermissionDeniedError as error:
            await respond(send, 403, {"error": str(error)})
            return
        except (SimError, KeyError, AttributeError) as error:
            await respond(send, 400, {"error": f"{type(error).__name__}: {error}"})
            return
        await respond(send, 200, payload)

    return app


if __name__ == "__main__":
    port = int(sys.argv[1])
    uvicorn.run(create(port), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
