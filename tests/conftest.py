"""Shared fixtures: a fresh office per test (see sim.office); the Hypothesis profiles."""

import pytest
from hypothesis import HealthCheck, settings

from sim.office import build_office


@pytest.fixture
def office():
    return build_office(seed=7)


@pytest.fixture
def linked_office():
    built = build_office(seed=7)
    built.link_all()
    return built


# Hypothesis: a small, derandomized budget for CI (the same examples every run, so a red
# CI is reproducible); `--hypothesis-profile=nightly` runs long randomized searches.
settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("nightly", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("ci")
