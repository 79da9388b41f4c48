"""The "@" autocomplete: active people whose name or username starts with a prefix."""

from django.db.models import Q

from ..models import Profile, SearchWord, fold
from .profiles import visible_profiles

# suggest_people reads the candidates in batches of this many (a few more than a list shows,
# so that someone offboarded among them rarely costs a second batch).
SUGGEST_BATCH = 24
# A prefix that starts fewer words than this is answered from SearchWord (sorting them costs
# a few ms); a broader one by walking the profiles in name order, which meets eight matches
# within the first few hundred rows when one word in 12 or more matches.
SUGGEST_SORT_CAP = 8000


def suggest_people(*, viewer, prefix: str, limit: int = 8) -> list[Profile]:
    """Active people whose name (first or any later word of it) or username starts with
    `prefix`, by name, for autocompletes. Two or three queries (rarely more).

    How many words start with the prefix decides how (one count that stops at
    SUGGEST_SORT_CAP): a broad prefix ("@m", every "demo." username) walks the profiles in
    name order; a narrow one ("@zo": the first "Zoe" is 99,000 rows into that walk at
    100,000 people) sorts its words (SearchWord) and reads the people they name through
    visible_profiles, so that whoever is offboarded is left out; a batch that loses someone
    that way is followed by the next one."""
    key = fold(" ".join(prefix.split()).lstrip("@"))
    if not key:
        return []
    first, _, rest = key.partition(" ")
    words = SearchWord.objects.filter(word__startswith=first)
    if words.order_by()[:SUGGEST_SORT_CAP].count() >= SUGGEST_SORT_CAP:
        # name_key starts with a space, so " " + the prefix is the start of any word of it.
        return list(
            visible_profiles(viewer)
            .filter(Q(name_key__contains=f" {key}") | Q(username_key__startswith=key))
            .order_by("display_name", "id")[:limit]
        )
    if rest:  # "zoe sm": a word starting with "zoe", and " zoe sm" in the name
        words = words.filter(profile__name_key__contains=f" {key}")
    words = words.order_by("display_name", "profile_id").values_list("display_name", "profile_id")
    found: list[Profile] = []
    after = None
    while len(found) < limit:
        batch = words.filter(_after_word(after)) if after else words
        # No DISTINCT (a hash of every match before the top rows): a person two of whose
        # words match comes twice in a row, and is kept once.
        rows = list(batch[:SUGGEST_BATCH])
        if not rows:
            break
        people = visible_profiles(viewer).in_bulk([pk for _name, pk in rows])
        for _name, pk in rows:
            if pk in people and (not found or found[-1].pk != pk):
                found.append(people[pk])
        if len(rows) < SUGGEST_BATCH:
            break
        after = rows[-1]
    return found[:limit]


def _after_word(after: tuple[str, int]) -> Q:
    name, pk = after
    return Q(display_name__gte=name) & (Q(display_name__gt=name) | Q(profile_id__gt=pk))
