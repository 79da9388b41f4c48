"""The "@" autocomplete: active people whose name or username starts with a prefix."""

import hashlib

from django.core.cache import cache
from django.db.models import Q

from core import compiled

from ..models import Profile, SearchWord, fold
from .counts import counts_generation
from .profiles import (
    PAGE_ORDER,
    PAGE_RELATED,
    loaded_profiles,
    profiles_by_id,
    visible_profiles,
)

# suggest_people reads the candidates in batches of this many (a few more than a list shows,
# so that someone offboarded among them rarely costs a second batch).
SUGGEST_BATCH = 24
# A prefix that starts fewer words than this is answered from SearchWord (sorting them costs
# a few ms); a broader one by walking the profiles in name order, which meets eight matches
# within the first few hundred rows when one word in 12 or more matches.
SUGGEST_SORT_CAP = 8000


def suggest_people(*, viewer, prefix: str, limit: int = 8) -> list[Profile]:
    """Active people whose name (first or any later word of it) or username starts with
    `prefix`, by name, for autocompletes. Two or three queries (rarely more), each compiled
    once per process and shape (core.compiled): building them cost the ORM more than
    PostgreSQL spent running them.

    How many words start with the prefix decides how (one count that stops at
    SUGGEST_SORT_CAP): a broad prefix ("@m", every "demo." username) walks the profiles in
    name order; a narrow one ("@zo": the first "Zoe" is 99,000 rows into that walk at
    100,000 people) sorts its words (SearchWord) and reads the people they name through
    visible_profiles, so that whoever is offboarded is left out; a batch that loses someone
    that way is followed by the next one. The words are planned with each prefix (a LIKE
    prefix reads its index only when the planner sees its value); their first batch is kept
    until a profile or an account changes (the directory counts' generation)."""
    key = fold(" ".join(prefix.split()).lstrip("@"))
    if not key or not viewer.is_authenticated:
        return []
    first, _, rest = key.partition(" ")
    if _words_starting(first) >= SUGGEST_SORT_CAP:
        return _walk_by_name(viewer, key, limit)
    values = {"first": first}
    if rest:  # "zoe sm": a word starting with "zoe", and " zoe sm" in the name
        values["spaced"] = f" {key}"  # name_key starts with a space: " " + a word's start
    generation = counts_generation()  # before the words: a change after it forgets them
    found: list[dict] = []  # rows: only those shown become profiles
    after = None
    while len(found) < limit:
        rows = _words(values, after, generation)
        if not rows:
            break
        people = profiles_by_id(viewer, [pk for _name, pk in rows], as_rows=True)
        for _name, pk in rows:
            # No DISTINCT (a hash of every match before the top rows): a person two of whose
            # words match comes twice in a row, and is kept once.
            if pk in people and (not found or found[-1]["id"] != pk):
                found.append(people[pk])
        if len(rows) < SUGGEST_BATCH:
            break
        after = rows[-1]
    return loaded_profiles(found[:limit])


def _walk_by_name(viewer, key: str, limit: int) -> list[Profile]:
    """The first `limit` visible people by name with a word of their name or their username
    starting with `key`."""

    def build(spaced, key):
        condition = Q(name_key__contains=spaced) | Q(username_key__startswith=key)
        return (
            visible_profiles(viewer)
            .filter(condition)
            .order_by(*PAGE_ORDER)
            .values(*compiled.related_fields(Profile, PAGE_RELATED))[:limit]
        )

    values = {"spaced": f" {key}", "key": key}
    rows = compiled.run(("people.suggest_walk", limit), build, values, prepare=False)
    return loaded_profiles(rows)


# How many words start with a prefix only chooses how suggest_people reads (never what it
# finds), so a count a few minutes old does: kept per prefix, it saves the count's index scan
# (2 ms for "g" at 100,000 people) on the next keystrokes. A prefix's first batch of words is
# kept as long, under the directory counts' generation (forgotten at any change).
SUGGEST_TTL = 600


def _words_starting(first: str) -> int:
    """How many words start with `first`, counted up to SUGGEST_SORT_CAP (cached)."""

    def build(first):
        return (
            SearchWord.objects.filter(word__startswith=first)
            .order_by()
            .values("id")[:SUGGEST_SORT_CAP]
        )

    def count() -> int:
        shape = ("people.suggest_count", SUGGEST_SORT_CAP)
        values = {"first": first}
        ((counted,),) = compiled.rows(shape, build, values, wrap=compiled.COUNT, prepare=False)
        return counted

    digest = hashlib.sha256(first.encode()).hexdigest()[:32]
    return cache.get_or_set(f"people:suggest-count:{SUGGEST_SORT_CAP}:{digest}", count, SUGGEST_TTL)


def _words(values: dict, after: tuple[str, int] | None, generation: str) -> list[tuple[str, int]]:
    """SUGGEST_BATCH words starting with values["first"] by name after `after`, as (display
    name, profile id); with values["spaced"] (a prefix of several words, "zoe sm"), only
    those whose person's name holds it.

    The first batch of a prefix is kept under `generation` (counts_generation): each
    keystroke of a name asks for one, and sorting a short prefix's words is most of its
    cost (6,101 words start with "g" at 100,000 people: 3 ms). Only ids and names are kept;
    who may be shown is read afresh (profiles_by_id)."""
    if after is None:
        digest = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:32]
        key = f"people:suggest-words:{generation}:{SUGGEST_BATCH}:{digest}"
        return cache.get_or_set(key, lambda: _read_words(values, None), SUGGEST_TTL)
    return _read_words(values, after)


def _read_words(values: dict, after: tuple[str, int] | None) -> list[tuple[str, int]]:
    if after is not None:
        values = values | {"after_name": after[0], "after_id": after[1]}

    def build(first, spaced=None, after_name=None, after_id=None):
        words = SearchWord.objects.filter(word__startswith=first)
        if spaced is not None:
            words = words.filter(profile__name_key__contains=spaced)
        if after_name is not None:
            words = words.filter(_after_word((after_name, after_id)))
        words = words.order_by("display_name", "profile_id")
        return words.values("display_name", "profile_id")[:SUGGEST_BATCH]

    shape = ("people.suggest_words", "spaced" in values, after is not None, SUGGEST_BATCH)
    rows = compiled.run(shape, build, values, prepare=False)
    return [(row["display_name"], row["profile_id"]) for row in rows]


def _after_word(after: tuple[str, int]) -> Q:
    name, pk = after
    return Q(display_name__gte=name) & (Q(display_name__gt=name) | Q(profile_id__gt=pk))
