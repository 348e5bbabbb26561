"""`--wcsim-service`: Gherkin scenarios with a real QBWC web service in place of the simulated STRATAFOLIO.

`service_from_options` reads the plugin's options once per run (a bad combination is a usage error,
one line) and gives the factory each scenario's context calls for its world: a binding to the service
(sim.stratafolio.real_service) with the adapter from the `pytest_wcsim_adapter` hook, from
`--wcsim-adapter module:Class`, or made of `--wcsim-user` and `--wcsim-password` alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

__all__ = ["service_from_options"]


def service_from_options(config) -> Callable | None:
    url = config.getoption("--wcsim-service", default=None)
    user = config.getoption("--wcsim-user", default=None)
    password = config.getoption("--wcsim-password", default=None)
    adapter_spec = config.getoption("--wcsim-adapter", default=None)
    from sim.wire_commands import service_options_problem

    hooked = bool(config.pluginmanager.hook.pytest_wcsim_adapter.get_hookimpls())
    problem = service_options_problem(url, user, password, adapter_spec, prefix="--wcsim-", hook=hooked)
    if problem:
        raise pytest.UsageError(problem)
    if url is None:
        return None

    def bind(world):
        from sim.errors import SimError
        from sim.stratafolio.adapter import load_adapter
        from sim.stratafolio.real_service import bind_service

        adapter = config.hook.pytest_wcsim_adapter(config=config, url=url)
        if adapter is None and adapter_spec:
            try:
                adapter = load_adapter(adapter_spec, url)
            except SimError as error:
                raise pytest.UsageError(str(error)) from None
        return bind_service(world, url, adapter, user or "", password or "")

    return bind
