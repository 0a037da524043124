"""The demo district, built step by step by the apps through their services.

Each app that adds demo data has a `demo.py` with `build(world)`; the steps
run in `DEMO_STEPS` order and share one `DemoWorld`. Later apps append their
module to the list. Running the steps twice changes nothing: the first step
finds the demo region and the command stops there.
"""

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "sabaq-demo"

DEMO_STEPS = [
    "sabaq.orgs.demo",
    "sabaq.accounts.demo",
    "sabaq.schools.demo",
    "sabaq.people.demo",
]

# Steps that make the demo as big as a real district. `make run` runs them;
# the test suite does not, so that it works with the named personas only.
DEMO_POPULATION_STEPS = [
    "sabaq.people.demo_population",
]


@dataclass
class DemoWorld:
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    platform_admin: Any = None
