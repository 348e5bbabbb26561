"""Shared fixtures: a fresh office per test (see sim.office)."""

import pytest

from sim.office import build_office


@pytest.fixture
def office():
    return build_office(seed=7)


@pytest.fixture
def linked_office():
    built = build_office(seed=7)
    built.link_all()
    return built
