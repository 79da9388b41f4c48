"""Search's heaviest queries, compiled once per process and shape (core.compiled).

Every search counts every kind and reads a page, and the ORM built each of those queries
anew: at a million posts (bench/feed.py's data, one process) building and compiling the
ranked page of posts cost 2.5 ms, the count of comments 1.4 ms and the count of topics
2.2 ms, beside 60-70 ms for the whole search. Here each is built once per shape, with
marker values (core.compiled.marker) where the viewer, the words, the #topics and a
phrase's word pairs go, and later runs take the SQL with the request's values.

The shape is what changes the SQL besides those values: the kind, the form of the
visibility rule (groups.selectors.readable_shape), how many #topics and word pairs, the
count's cap or the page's offset, size and window. The queries themselves are the ones the
kinds build (kinds.readable_bodies, matching.fulltext_matches, matching.rank_window,
kinds.topics_named): the visibility rule is still written once.

Not prepared (`prepare=False`): PostgreSQL plans each search for its own words (a rare
word reads its index, a common one the date index), which a generic plan could not.
"""

import copy

from core import compiled
from groups.selectors import readable_shape

from . import matching
from .kinds import readable_bodies, topic_names, topics_named
from .matching import RANKED_PAGE, fulltext_matches, rank_window
from .query import ParsedQuery, required_word_pairs

COUNT = "SELECT COUNT(*) FROM ({}) subquery"


def count(kind: str, user, query: ParsedQuery, cap: int) -> int:
    """How many posts or comments (`kind`) `user` may read match `query`, up to `cap`
    (PostgreSQL full text: count_matches)."""
    found = _bodies(
        ("count", cap),
        kind,
        user,
        query,
        wrap=COUNT,
        inner=lambda matches, _fulltext: matches.order_by().values("pk")[:cap],
    )
    return found[0][0] if found else 0


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
    names = topic_names(query)
    shape = readable_shape(user)
    if not names or shape == "nothing":
        return 0
    values = {f"name{i}": name for i, name in enumerate(names)}
    if shape == "member":
        values["viewer"] = user.pk

    def build(viewer=None, **named):
        marked = _marked(user, viewer)
        topics = topics_named(marked, tuple(named[f"name{i}"] for i in range(len(names))))
        return topics.order_by().values("pk")[:cap]

    found = compiled.rows(
        ("feeds.search.topics", shape, len(names), cap), build, values, wrap=COUNT, prepare=False
    )
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
        marked = _marked(user, viewer)
        rows = readable_bodies(kind, marked, tuple(named[f"tag{i}"] for i in range(len(tags))))
        words = tuple(named[f"pair{i}"] for i in range(len(pairs)))
        return inner(fulltext_matches(rows, fulltext, words), fulltext)

    key = ("feeds.search.bodies", *part, kind, shape, len(tags), len(pairs))
    return compiled.rows(key, build, values, wrap=wrap, prepare=False)


def _marked(user, viewer):
    """`user` with the viewer marker as its id (its roles were cached by readable_shape),
    or `user` itself when the rule does not name the viewer (an admin reads everything)."""
    if viewer is None:
        return user
    marked = copy.copy(user)
    marked.pk = viewer
    return marked
