"""seed_demo: the departments, the roles, the skills, the missing employees and the demo
logins, in one transaction; the directory's counts are forgotten once it commits."""

import random
import time

from django.contrib.auth.models import Group
from django.db import transaction

from core.after_commit import call_on_commit
from people import roles
from people.models import Profile
from people.selectors import forget_counts
from people.services import get_or_create_skills

from .departments import ROLES, _departments
from .employees import _bulk_create, _plan
from .logins import DEMO_PASSWORD, _demo_logins

EXTRA_SKILLS = {"leadership", "strategy"}


def seed_demo(
    *, employees: int = 220, password: str = DEMO_PASSWORD, rng_seed: int = 2026, stdout=None
) -> dict:
    """Create (or complete) the demo company. Returns counts of what it created. Each stage
    is written to `stdout` (a file-like object) with the seconds since the start, if given."""
    rng = random.Random(rng_seed)
    created = {"departments": 0, "employees": 0}
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"  {message} ({time.monotonic() - started:.0f} s)\n")
            stdout.flush()

    with transaction.atomic():
        departments = _departments(created)
        for role in roles.ROLES:
            Group.objects.get_or_create(name=role)
        names = sorted({s for r in ROLES.values() for s in r[3]} | EXTRA_SKILLS)
        all_skills = dict(zip(names, get_or_create_skills(names), strict=True))
        existing = Profile.objects.filter(user__username__startswith="demo.").count()
        plan = _plan(rng, max(employees, 20))
        missing = plan[existing:]
        say(f"planned {len(plan):,} people, {existing:,} there, {len(missing):,} to create")
        if missing:
            _bulk_create(missing, plan, departments, all_skills, rng, say)
            created["employees"] = len(missing)
        _demo_logins(departments, all_skills, password)
        call_on_commit(forget_counts, what="forget the directory counts")
    return created
