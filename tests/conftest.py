"""Shared fixtures: a fresh office per test (see sim.office); the Hypothesis profiles; the order in
which the xdist workers are handed the tests (the slowest first, those sharing a result together)."""

import pytest
from hypothesis import HealthCheck, settings

from sim.office import build_office


@pytest.fixture
def office():
    return build_office(seed=7)


@pytest.fixture
def claims_run_once(monkeypatch):
    """`sim.claims.check_claims` (also as the CLI calls it) answered from tests/claims_once.py."""
    from sim import claims
    from tests.claims_once import bundled_claims

    monkeypatch.setattr(claims, "check_claims", bundled_claims)
    return bundled_claims


@pytest.fixture
def linked_office():
    built = build_office(seed=7)
    built.link_all()
    return built


# Hypothesis: a small, derandomized budget for CI (the same examples every run, so a red
# CI is reproducible); `--hypothesis-profile=nightly` runs long randomized searches.
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "nightly",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")


# --- scheduling under xdist (`--dist worksteal`, pyproject.toml) ----------------------------------------
#: The tests that dominate the run, as blocks of node id prefixes with their seconds on a quiet machine
#: (measured with --durations, rounded). A block runs on one worker, in its files' order: the claims
#: report's modules share one run of the claims (tests/claims_once.py) and of their situations
#: (sim.report.boundaries) per process, a browser per module, a hostile server per module.
SLOW_BLOCKS = (
    (
        (
            "tests/test_claims_report.py",
            "tests/test_report_pages.py",
            "tests/test_report_tiers.py",
            "tests/test_report_timeline.py",
            "tests/test_report_in_a_browser.py",
            "tests/test_report_boundaries.py",
        ),
        14,
    ),
    (("tests/test_bdd_plugin.py",), 11),
    (("tests/test_hostile_services.py",), 9),
    (("tests/test_fuzz_logs.py",), 9),
    (("tests/test_real_logs.py",), 9),
    (("tests/test_explorer.py::test_a_seeded_fault_is_found_shrunk_and_unexplained[scheduler-spins",), 6),
    (("tests/test_explorer.py",), 6),
    (("tests/test_bdd_real_service.py",), 7),
    (("tests/test_real_service_runs.py",), 3.5),
    (("tests/test_packaging.py",), 3),
    (("tests/test_qbxml_read_back.py",), 3),
    (("tests/test_service_checks.py",), 3),
    (("tests/test_explorer_branching.py",), 3),
    (("tests/test_features.py",), 2.5),
    (("tests/test_interop_qbwc_kit.py",), 2.5),
    (("tests/test_scenarios.py",), 2.5),
    (("tests/test_explore_limits.py",), 2),
    (("tests/test_determinism.py",), 2),
    (("tests/test_trace_identity.py",), 2),
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under xdist only (a run in one process keeps the files' order), the order that makes the two
    workers end together. xdist's worksteal hands each worker one half of the list and, when one runs
    dry, moves the last half of the other's queue to it. So each half begins with its share of
    SLOW_BLOCKS (shared out by their seconds, the costliest first), the other tests fill both halves
    in their files' order, and what is moved at the end are short tests. Only an order: any passes."""
    if not hasattr(config, "workerinput") or len(items) < 4:
        return
    blocks: list[list] = [[] for _ in SLOW_BLOCKS]
    rest = []
    for item in items:
        index = next((i for i, (prefixes, _) in enumerate(SLOW_BLOCKS) if item.nodeid.startswith(prefixes)), None)
        (rest if index is None else blocks[index]).append(item)
    lanes: tuple[list, list] = ([], [])
    seconds = [0.0, 0.0]
    for index in sorted(range(len(SLOW_BLOCKS)), key=lambda i: -SLOW_BLOCKS[i][1]):
        lane = 0 if seconds[0] <= seconds[1] else 1
        lanes[lane].extend(blocks[index])
        seconds[lane] += SLOW_BLOCKS[index][1] if blocks[index] else 0
    fill = max(0, len(items) // 2 - len(lanes[0]))
    items[:] = lanes[0] + rest[:fill] + lanes[1] + rest[fill:]
