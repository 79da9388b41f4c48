"""Site search's words as the people search matches them: each word folded, and the
departments whose name holds it, from a cached list of every department's name."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet

from ..models import Department, Profile, fold
from .profiles import visible_profiles

# Every department's id and name, for site search (a handful of rows, read at every search
# for people), cached and forgotten with the directory's counts (forget_counts: a department
# or a profile saved or deleted, people.receivers).
DEPARTMENT_NAMES_KEY = "people:department-names"
DEPARTMENT_NAMES_TTL = 300


def department_names() -> list[tuple[int, str]]:
    return cache.get_or_set(
        DEPARTMENT_NAMES_KEY,
        lambda: list(Department.objects.order_by("pk").values_list("pk", "name")),
        DEPARTMENT_NAMES_TTL,
    )


@dataclass(frozen=True)
class SearchTerm:
    """A word of a site search as the people search matches it: as typed ("ask me about",
    and the fields themselves when nothing is left once folded), folded (name, title and
    username keys), and the ids of the departments whose name holds it."""

    word: str
    key: str
    departments: tuple[int, ...]


def search_terms(words: tuple[str, ...]) -> tuple[SearchTerm, ...]:
    names = department_names()
    found = []
    for word in words:
        upper = word.upper()  # as the database's UPPER(name) LIKE UPPER('%word%')
        named = tuple(pk for pk, name in names if upper in name.upper())
        found.append(SearchTerm(word, fold(word), named))
    return tuple(found)


def profiles_with_words(viewer, words: tuple[str, ...]) -> QuerySet[Profile]:
    """Visible profiles holding every one of `words` in their name, title, username, "ask
    me about" or department name (site search). Name, title and username are matched on
    their folded keys (no case folding per row: about half the time of icontains on the
    fields at 10,000 people); the department by the ids of the departments so named
    (department_names: no join, no subquery).

    On PostgreSQL each word's fields are one BitmapOr of trigram indexes. A subquery for the
    departments could not join it (the planner scanned every profile: 12-18 ms at 10,000
    against 3 ms), and a department matched as a list of ids is left out when there is
    none."""
    return profiles_with_terms(viewer, search_terms(words))


def profiles_with_terms(viewer, words: tuple[SearchTerm, ...]) -> QuerySet[Profile]:
    """profiles_with_words, its words read already (search_terms): feeds.search compiles
    it with marker values."""
    condition = Q()
    for found in words:
        word, key = found.word, found.key
        either = Q(ask_me_about__icontains=word)
        if found.departments:
            either |= Q(department_id__in=found.departments)
        if key:
            either |= Q(name_key__contains=key) | Q(title_key__contains=key)
            either |= Q(username_key__contains=key)
        else:  # nothing left once folded (a lone accent): the fields as typed
            either |= Q(display_name__icontains=word) | Q(title__icontains=word)
            either |= Q(user__username__icontains=word)
        condition &= either
    return visible_profiles(viewer).filter(condition)
