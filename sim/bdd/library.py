"""The wcsim step library as a whole: importing this module registers every step with pytest-bdd.

The step catalogue (sim.bdd.catalogue) reads the steps registered, and the step modules use it
for their hints, so it cannot import them itself; `catalogue`, `catalogue_text` and
`closest_steps` here are the catalogue's, over every step of the library, whether or not a
pytest run has loaded the plugin (`wcsim steps`, say).
"""

from __future__ import annotations

import sim.bdd.steps_given  # noqa: F401  (registers the steps)
import sim.bdd.steps_then  # noqa: F401
import sim.bdd.steps_when  # noqa: F401
from sim.bdd.catalogue import catalogue, catalogue_text, closest_steps

__all__ = ["catalogue", "catalogue_text", "closest_steps"]
