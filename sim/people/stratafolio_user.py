"""A STRATAFOLIO user who creates invoices during the working day, as a SimPy process.

Property managers bill tenants in STRATAFOLIO; each invoice they create waits in
the integration's ledger until a sync pushes it into QuickBooks. This is what
makes an ordinary sync write to the company file, and so what can collide with
a person holding a register in QuickBooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:
    from sim.stratafolio.organization import Integration
    from sim.world import World

__all__ = ["bill_tenants"]


def bill_tenants(
    world: World,
    integration: Integration,
    customers: list[str],
    every_minutes: int,
    day_starts: str = "08:00",
    day_ends: str = "18:00",
) -> simpy.Process:
    """Create one invoice in STRATAFOLIO every `every_minutes` minutes on weekdays, within working hours."""

    def working_day():
        while True:
            yield world.env.timeout(every_minutes * 60)
            now = world.now
            if now.weekday() < 5 and day_starts <= now.strftime("%H:%M") < day_ends:
                customer = customers[world.random.randrange(len(customers))]
                integration.create_invoice(customer, f"{world.random.randint(400, 2400)}.00")

    return world.process(working_day())
