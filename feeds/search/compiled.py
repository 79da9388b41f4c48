"""Search's heaviest queries, compiled once per process and shape (core.compiled).

Every search counts every kind and reads a page, and the ORM built each of those queries
anew: at a million posts (bench/feed.py's data, one process) building and compiling the
ranked page of posts cost 2.5 ms, the counts of comments 1.4 ms, topics 2.2 ms, groups
1.1 ms and people 0.8 ms, beside 60-70 ms for the whole search. Here each is built once
per shape, with marker values (core.compiled.marker) where the viewer, the words, the
#topics, a phrase's word pairs and the departments named go, and later runs take the SQL
with the request's values.

The shape is what changes the SQL besides those values: the kind, the form of the
visibility rule (groups.selectors.readable_shape), how many #topics and word pairs, the
count's cap or the page's offset, size and window. The queries themselves are the ones the
kinds build (kinds.readable_bodies, matching.fulltext_matches, matching.rank_window,
kinds.topics_named): the visibility rule is still written once.

Not prepared (`prepare=False`): PostgreSQL plans each search for its own words (a rare
word reads its index, a common one the date index), which a generic plan could not.
"""

from core import compiled
from groups.selectors import readable_shape, with_viewer_id
from people.selectors import SearchTerm, profiles_with_terms, search_terms

from . import matching
from .kinds import groups_with_words, readable_bodies, topic_names, topics_named
from .matching import RANKED_PAGE, fulltext_matches, rank_window
from .query import ParsedQuery, required_word_pairs


def count(kind: str, user, query: ParsedQuery, cap: int) -> int:
    """How many posts or comments (`kind`) `user` may read match `query`, up to `cap`
    (PostgreSQL full text: count_matches)."""
    found = _bodies(
        ("count", cap),
        kind,
        user,
        query,
        wrap=compiled.COUNT,
        inner=lambda matches, _fulltext: matches.order_by().values("pk")[:cap],
    )
    return _count(found)


def ranked_page(
    kind: str, user, query: ParsedQuery, *, offset: int, limit: int
) -> list[tuple[int, int]]:
    """(id, the window's size) of `limit` posts or comments from `offset`, ranked among the
    RANK_WINDOW newest matches (matching.rank_window, RANKED_PAGE)."""
    return _bodies(
        ("page", offset, limit, matching.RANK_WINDOW),  # read where rank_window reads it
        kind,
        user,
        query,
        wrap=RANKED_PAGE.format(limit=limit, offset=offset),
        inner=rank_window,
    )


def topics_count(user, query: ParsedQuery, cap: int) -> int:
    """How many topics match `query` with a post `user` may read, up to `cap`."""
    return _words_count("topics", user, topic_names(query), topics_named, cap)


def groups_count(user, query: ParsedQuery, cap: int) -> int:
    """How many groups `user` may know of hold every word of `query`, up to `cap`
    (listed_groups' forms are readable_groups': nothing, everything, or by the member)."""
    return _words_count("groups", user, query.words + query.hashtags, groups_with_words, cap)


def _words_count(kind: str, user, words: tuple[str, ...], matching, cap: int) -> int:
    """The count of matching(user, words), up to `cap`, compiled once per shape."""
    shape = readable_shape(user)
    if not words or shape == "nothing":
        return 0
    values = {f"word{i}": word for i, word in enumerate(words)}
    if shape == "member":
        values["viewer"] = user.pk

    def build(viewer=None, **named):
        marked = with_viewer_id(user, viewer)
        found = matching(marked, tuple(named[f"word{i}"] for i in range(len(words))))
        return found.order_by().values("pk")[:cap]

    key = ("feeds.search.words", kind, shape, len(words), cap)
    return _count(compiled.rows(key, build, values, wrap=compiled.COUNT, prepare=False))


def people_count(user, query: ParsedQuery, cap: int) -> int:
    """How many people `user` may read hold every word of `query`, up to `cap`
    (people.selectors.profiles_with_words)."""
    if not query.words or not user.is_authenticated:
        return 0
    words = search_terms(query.words)
    values = {}
    for i, found in enumerate(words):
        values[f"word{i}"] = found.word
        if found.key:
            values[f"key{i}"] = found.key
        values |= {f"department{i}_{j}": pk for j, pk in enumerate(found.departments)}

    def build(**named):
        marked = tuple(
            SearchTerm(
                named[f"word{i}"],
                named.get(f"key{i}", ""),
                tuple(named[f"department{i}_{j}"] for j in range(len(found.departments))),
            )
            for i, found in enumerate(words)
        )
        return profiles_with_terms(user, marked).order_by().values("pk")[:cap]

    parts = tuple((bool(found.key), len(found.departments)) for found in words)
    key = ("feeds.search.people", parts, cap)
    return _count(compiled.rows(key, build, values, wrap=compiled.COUNT, prepare=False))


def _count(found: list) -> int:
    return found[0][0] if found else 0


def _bodies(part: tuple, kind: str, user, query: ParsedQuery, *, wrap: str, inner) -> list:
    """The rows of `wrap` around inner(the posts or comments `user` may read matching
    `query`, its full text), compiled once per shape."""
    shape = readable_shape(user)
    if shape == "nothing":
        return []
    pairs = required_word_pairs(query)
    tags = query.hashtags
    values = {"fulltext": query.fulltext}
    values |= {f"tag{i}": tag for i, tag in enumerate(tags)}
    values |= {f"pair{i}": pair for i, pair in enumerate(pairs)}
    if shape == "member":
        values["viewer"] = user.pk

    def build(fulltext, viewer=None, **named):
        marked = with_viewer_id(user, viewer)
        rows = readable_bodies(kind, marked, tuple(named[f"tag{i}"] for i in range(len(tags))))
        words = tuple(named[f"pair{i}"] for i in range(len(pairs)))
        return inner(fulltext_matches(rows, fulltext, words), fulltext)

    key = ("feeds.search.bodies", *part, kind, shape, len(tags), len(pairs))
    return compiled.rows(key, build, values, wrap=wrap, prepare=False)
