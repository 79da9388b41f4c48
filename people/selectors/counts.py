"""The company-wide counts (people per department, popular skills, everyone), cached and
forgotten together, and the directory's total for its filters, capped."""

import hashlib
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q

from core.cache import get_many_or_set

from ..models import Department, Skill, fold
from .profiles import directory_profiles, visible_profiles
from .words import DEPARTMENT_NAMES_KEY

# Company-wide counts are the same for every viewer and cost a pass over every profile, so
# they are cached briefly and forgotten whenever a profile changes (forget_counts).
COUNTS_TTL = 300
_DEPARTMENTS_KEY = "people:departments-with-counts:v2"
_SKILLS_KEY = "people:popular-skills:v2"
_ACTIVE_KEY = "people:active-count"
# people/experts.py keys its cached rankings by this, directory_total its counts of searches
# and the directory its cards (people/templatetags/people.py); forgetting it forgets them all.
EXPERTS_GENERATION_KEY = "people:experts-generation"
POPULAR_SKILLS = 30


def forget_counts() -> None:
    cache.delete_many(
        [_DEPARTMENTS_KEY, _SKILLS_KEY, _ACTIVE_KEY, EXPERTS_GENERATION_KEY, DEPARTMENT_NAMES_KEY]
    )


def _new_generation() -> str:
    return secrets.token_hex(4)


def counts_generation() -> str:
    """A token that changes whenever the directory counts are forgotten (forget_counts): a
    key holding it is never read after a change to a profile, an account, a skill list or a
    department."""
    return cache.get_or_set(EXPERTS_GENERATION_KEY, _new_generation, None)


# The counts are read from the cache on every directory and expert finder page: as plain
# values they cost 12 us to unpickle, as model instances 190 us (10 departments, 30 skills).
class DepartmentCount(NamedTuple):
    """A department as the directory lists it, with its active people's count."""

    pk: int
    name: str
    slug: str
    description: str
    parent: str | None  # the parent department's slug
    member_count: int


class SkillCount(NamedTuple):
    """A skill as the directory's chips show it, with how many active people list it."""

    pk: int
    name: str
    slug: str
    people: int


def _departments() -> list[DepartmentCount]:
    active = Count("members", filter=Q(members__user__is_active=True))
    rows = (
        Department.objects.annotate(member_count=active)
        .order_by("name")
        .values_list("pk", "name", "slug", "description", "parent__slug", "member_count")
    )
    return [DepartmentCount(*row) for row in rows]


def departments_with_counts() -> list[DepartmentCount]:
    """Every department with `member_count` (active people) and its parent's slug."""
    return cache.get_or_set(_DEPARTMENTS_KEY, _departments, COUNTS_TTL)


@dataclass(frozen=True)
class DirectoryCounts:
    departments: list[DepartmentCount]  # departments_with_counts()
    popular_skills: list[SkillCount]  # popular_skills()
    generation: str  # counts_generation()
    everyone: int | None  # how many people the viewer reads, when asked for


def directory_counts(viewer, *, everyone: bool) -> DirectoryCounts:
    """What the directory page reads from the cache before its people, in one round trip:
    the departments and the popular skills with their counts, the generation (read before
    the page's query: its cards and total are kept under it), and with `everyone` how many
    people `viewer` reads (the unfiltered directory's total)."""
    wanted = {
        _DEPARTMENTS_KEY: (_departments, COUNTS_TTL),
        _SKILLS_KEY: (_popular_skills, COUNTS_TTL),
        EXPERTS_GENERATION_KEY: (_new_generation, None),
    }
    if everyone:
        # Built only on a miss: building the queryset cost more than the cache's answer.
        wanted[_ACTIVE_KEY] = (lambda: visible_profiles(viewer).count(), COUNTS_TTL)
    found = get_many_or_set(wanted)
    return DirectoryCounts(
        departments=found[_DEPARTMENTS_KEY],
        popular_skills=found[_SKILLS_KEY],
        generation=found[EXPERTS_GENERATION_KEY],
        everyone=found.get(_ACTIVE_KEY),
    )


# Past this many matches the directory says "10,000+": counting every match of a broad
# search at 100,000 people costs more than the page itself.
TOTAL_CAP = 10_000


def directory_total(
    *, viewer, department, skill, query, generation: str, everyone: int | None = None
) -> int:
    """How many people the directory's filters match, from the cached counts when they
    answer it (`everyone`: directory_counts' count for no filter, when it read it), else one
    count query that stops at TOTAL_CAP + 1 (a larger result means "more than TOTAL_CAP"),
    kept under `generation` (counts_generation(), which the page read already)."""
    if not (skill or query):
        if department is None:
            if everyone is not None:
                return everyone
            return cache.get_or_set(
                _ACTIVE_KEY, lambda: visible_profiles(viewer).count(), COUNTS_TTL
            )
        if hasattr(department, "member_count"):  # one of departments_with_counts() already
            return department.member_count
        for counted in departments_with_counts():
            if counted.pk == department.pk:
                return counted.member_count
    # The same for every viewer (everyone reads every active profile), and reading every
    # match's row to count it costs more than the page at 100,000 people (a name shared by
    # 2,000): kept like the company counts, forgotten with them whenever a profile or an
    # account changes (forget_counts), so someone offboarded leaves the count at once.
    digest = hashlib.sha256(fold(query).encode()).hexdigest()[:32]
    key = (
        f"people:total:{generation}:{TOTAL_CAP}:{getattr(department, 'pk', '')}:"
        f"{getattr(skill, 'pk', '')}:{digest}"
    )

    def count() -> int:
        found = directory_profiles(viewer=viewer, department=department, skill=skill, query=query)
        return found.order_by()[: TOTAL_CAP + 1].count()

    return cache.get_or_set(key, count, COUNTS_TTL)


def _popular_skills() -> list[SkillCount]:
    rows = (
        Skill.objects.annotate(people=Count("profiles", filter=Q(profiles__user__is_active=True)))
        .filter(people__gt=0)
        .order_by("-people", "name")
        .values_list("pk", "name", "slug", "people")[:POPULAR_SKILLS]
    )
    return [SkillCount(*row) for row in rows]


def popular_skills(limit: int = POPULAR_SKILLS) -> list[SkillCount]:
    """The most listed skills, with `people` (how many active people list each)."""
    return cache.get_or_set(_SKILLS_KEY, _popular_skills, COUNTS_TTL)[:limit]
