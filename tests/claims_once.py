"""The claims' verdicts for the bundled features, run once per test process and shared.

`check_claims` runs every claim's scenarios in a pytest session of its own (seconds of work), and a
dozen tests of the claims report read the verdicts of the same seed: they get them from here instead,
each a deep copy, so no test can change what another one reads. A run depends on its seed alone
(the reference trace is byte for byte the same in any process), so a verdict run once is the verdict
every later run would give. Runs with other features or against a real service are never shared."""

from __future__ import annotations

import copy

from sim import claims

_REAL_CHECK_CLAIMS = claims.check_claims
_VERDICTS: dict[int, list] = {}


def bundled_claims(seed: int = 0, features=None, service=None) -> list:
    """What `check_claims(seed)` returns, computed the first time it is asked for in this process."""
    if features is not None or service is not None:
        return _REAL_CHECK_CLAIMS(seed=seed, features=features, service=service)
    if seed not in _VERDICTS:
        _VERDICTS[seed] = _REAL_CHECK_CLAIMS(seed=seed)
    return copy.deepcopy(_VERDICTS[seed])
