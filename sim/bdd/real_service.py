"""`--wcsim-service`: Gherkin scenarios with a real QBWC web service in place of the simulated STRATAFOLIO.

`service_from_options` reads the plugin's options once per run (a bad combination is a usage error,
one line) and gives the factory each scenario's context calls for its world: a binding to the service
(sim.stratafolio.real_service) with the adapter from the `pytest_wcsim_adapter` hook, from
`--wcsim-adapter module:Class`, or made of `--wcsim-user` and `--wcsim-password` alone.
"""

from __future__ import annotations

from typing import Callable

import pytest

__all__ = ["service_from_options"]


def service_from_options(config) -> Callable | None:
    url = config.getoption("--wcsim-service", default=None)
    user = config.getoption("--wcsim-user", default=None)
    password = config.getoption("--wcsim-password", default=None)
    adapter_spec = config.getoption("--wcsim-adapter", default=None)
    if not url:
        given = [name for name, value in (("--wcsim-user", user), ("--wcsim-password", password), ("--wcsim-adapter", adapter_spec)) if value]
        if given:
            raise pytest.UsageError(f"{', '.join(given)} without --wcsim-service: name the service's URL too")
        return None
    from sim.webconnector.http_transport import masked_url
    from sim.wire_commands import url_problem

    problem = url_problem(url)
    if problem:
        raise pytest.UsageError(f"--wcsim-service {masked_url(url)!r} {problem}")
    hooked = config.pluginmanager.hook.pytest_wcsim_adapter.get_hookimpls()
    if not hooked and not adapter_spec and (user is None or password is None):
        raise pytest.UsageError("--wcsim-service needs --wcsim-user and --wcsim-password, --wcsim-adapter module:Class, or a pytest_wcsim_adapter hook")

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
