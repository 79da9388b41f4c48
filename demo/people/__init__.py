"""A believable demo company: departments, a management tree, titles, skills, four logins.

Deterministic (a seeded random generator) and idempotent: running it again adds only what
is missing, so `--employees N` can grow an existing demo. Writes in bulk so that 10,000
employees take seconds, not minutes.

By part: departments (the departments and, per department, titles, skills and share of
headcount), names (the names, places and bios people get), employees (the company planned
as a tree, then written in bulk), logins (the four demo logins), seed (seed_demo, which
runs them in order). seed_demo's command, bin/ and bench/ import from here:
`from demo.people import seed_demo, DEMO_LOGINS, DEMO_PASSWORD`.
"""

from .departments import DEPARTMENTS, ROLES
from .logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from .names import BIOS, FIRST, LAST, LOCATIONS
from .seed import EXTRA_SKILLS, seed_demo

__all__ = [
    "BIOS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "EXTRA_SKILLS",
    "FIRST",
    "LAST",
    "LOCATIONS",
    "ROLES",
    "DemoLogin",
    "seed_demo",
]
