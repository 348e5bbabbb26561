"""The hook a vendor implements in their conftest.py to hand wcsim the adapter for their service.

    def pytest_wcsim_adapter(config, url):
        return MyServiceAdapter(url)   # a sim.stratafolio.adapter.ServiceAdapter

With `--wcsim-service URL`, every Gherkin scenario's STRATAFOLIO-side steps (authorize a computer,
delete it, download its QWC file, create invoices, compare records) go through that adapter. Without
one (and without `--wcsim-adapter`), `--wcsim-user` and `--wcsim-password` link every company file
with those credentials and the other steps fail saying what to implement.
"""

import pytest


@pytest.hookspec(firstresult=True)
def pytest_wcsim_adapter(config, url):
    """The sim.stratafolio.adapter.ServiceAdapter for the real service at `url`, or None."""
