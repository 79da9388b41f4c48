"""Knowledge entries as a kind of search result (feeds.search.register_search_type).

Ranked on PostgreSQL over the stored `search_vector` (migration 0002: the title weighted
above the answer), all words in the title or the text on SQLite; only readable entries
(selectors.visible_entries), so a retired entry leaves search the moment it is retired.
The snippet is cut from the answer's readable text like a post's.
"""

from feeds.search import Hit, SearchType, snippet

from . import selectors


def _hit(entry, query, markers) -> Hit:
    label = "Knowledge" if entry.state == "published" else "Knowledge · outdated"
    return Hit(
        type="knowledge",
        id=entry.pk,
        title=entry.title,
        url=entry.get_absolute_url(),
        snippet=snippet(entry, query, markers),
        created_at=entry.published_at,
        author=entry.expert.profile if entry.expert_id else None,
        obj=entry,
        kind_label=label,
    )


KNOWLEDGE = SearchType(
    name="knowledge",
    label="Knowledge",
    one="entry",
    matching=selectors.search_entries,
    hit=_hit,
)
