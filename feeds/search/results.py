"""A search, together: counts of every kind (up to COUNT_LIMIT), and a page of hits of the
kinds asked for, in a fixed number of queries whatever the number of results."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet

from ..selectors import searchable_comments, searchable_posts
from . import compiled
from .kinds import (
    comments_matching,
    groups_matching,
    people_matching,
    posts_matching,
    topics_matching,
)
from .matching import _headline
from .query import (
    CONFIG,
    COUNT_LIMIT,
    MAX_OFFSET,
    RANK_WINDOW,
    SUMMARY_SIZE,
    ParsedQuery,
    parse_query,
    uses_fulltext,
)
from .registry import Hit, _registered, search_types
from .snippets import _built_here, _Markers, excerpt, highlight, snippet


@dataclass
class Section:
    type: str
    count: int
    hits: list[Hit] = field(default_factory=list)
    next_offset: int | None = None

    @property
    def count_is_capped(self) -> bool:
        return self.count >= COUNT_LIMIT


@dataclass
class SearchResults:
    query: ParsedQuery
    sections: dict[str, Section]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections.values())


def _matching(kind: str, user, query: ParsedQuery, *, markers: _Markers | None = None) -> QuerySet:
    if kind in _registered:
        return _registered[kind].matching(user, query, markers)
    if kind == "posts":
        return posts_matching(user, query, markers=markers)
    if kind == "comments":
        return comments_matching(user, query, markers=markers)
    if kind == "people":
        return people_matching(user, query)
    if kind == "groups":
        return groups_matching(user, query)
    return topics_matching(user, query)


def count_matches(kind: str, user, query: ParsedQuery) -> int:
    """How many `kind` results `user` may read, up to COUNT_LIMIT (one query). Posts and
    comments count their matches unranked and unordered, the first ones found: as many as
    their ranked window holds (RANK_WINDOW newest matches on PostgreSQL), without reading
    it in date order or ranking it."""
    if _windowed(kind, query):  # compiled once per shape (feeds.search.compiled)
        return compiled.count(kind, user, query, min(COUNT_LIMIT, RANK_WINDOW))
    if kind == "topics":
        return compiled.topics_count(user, query, COUNT_LIMIT)
    if kind == "groups":
        return compiled.groups_count(user, query, COUNT_LIMIT)
    if kind == "people":
        return compiled.people_count(user, query, COUNT_LIMIT)
    if kind == "posts":
        queryset = posts_matching(user, query, counting=True)
    elif kind == "comments":
        queryset = comments_matching(user, query, counting=True)
    else:
        queryset = _matching(kind, user, query)
    return queryset.order_by()[:COUNT_LIMIT].count()


def search(
    user,
    raw_query: str,
    *,
    types: tuple[str, ...] | None = None,
    offset: int = 0,
    size: int = SUMMARY_SIZE,
) -> SearchResults:
    """Counts of every kind, and `size` hits of each of `types` from `offset`.

    Queries: one count per kind, one page per kind in `types` (plus nothing per hit); a
    full-text page (body_search on PostgreSQL) carries its own count, so its kind asks no
    count query unless a later page comes back empty.
    """
    query = parse_query(raw_query)
    offset = max(0, min(offset, MAX_OFFSET))
    types = search_types() if types is None else types
    sections = {}
    for kind in search_types():
        if not query:
            sections[kind] = Section(kind, 0)
            continue
        if kind not in types or not _windowed(kind, query):
            section = Section(kind, count_matches(kind, user, query))
            if kind in types and section.count > offset:
                _fill(section, user, query, offset, size)
        else:  # the page first: it carries the count (an empty first page: none)
            section = Section(kind, 0)
            windowed = _fill(section, user, query, offset, size)
            if windowed is None and offset:
                section.count = count_matches(kind, user, query)
        sections[kind] = section
    return SearchResults(query=query, sections=sections)


def _windowed(kind: str, query: ParsedQuery) -> bool:
    """Whether `kind`'s page carries its own count (body_search's window_total)."""
    return kind in ("posts", "comments") and bool(query.words) and uses_fulltext()


def _fill(section: Section, user, query: ParsedQuery, offset: int, size: int) -> int | None:
    """The page of `section` from `offset` (one query; posts and comments on PostgreSQL:
    two, see _fill_ranked); the window's size if it carried it."""
    markers = _Markers()
    kind = section.type
    if kind in ("posts", "comments") and _windowed(kind, query):
        return _fill_ranked(section, user, query, offset, size, markers)
    rows = list(_matching(kind, user, query, markers=markers)[offset : offset + size + 1])
    section.hits = [_hit(kind, row, query, markers) for row in rows[:size]]
    if len(rows) > size and offset + size <= MAX_OFFSET:
        section.next_offset = offset + size
    windowed = getattr(rows[0], "window_total", None) if rows else None
    if windowed is not None:
        section.count = min(windowed, COUNT_LIMIT)
    return windowed


def _fill_ranked(
    section: Section, user, query: ParsedQuery, offset: int, size: int, markers: _Markers
) -> int | None:
    """A full-text page of posts or comments in two queries: the page's ids, ranked within
    the window, with the window's size (compiled.ranked_page); then those rows loaded for
    display (their group and author, the headline). In one query the joins for display
    were made for every row of the window (1,000) before the ranking cut it to a page. The
    second query reads through the visibility selector again, so a row is shown only if
    still readable."""
    found = compiled.ranked_page(section.type, user, query, offset=offset, limit=size + 1)
    if not found:
        return None
    ids = [pk for pk, _total in found[:size]]
    if section.type == "posts":
        shown = searchable_posts(user).select_related("group", "author__profile")
    else:
        shown = searchable_comments(user).select_related("post__group", "author__profile")
    tsquery = SearchQuery(query.fulltext, search_type="websearch", config=CONFIG)
    loaded = shown.filter(pk__in=ids).annotate(headline=_headline(tsquery, markers))
    by_id = {row.pk: row for row in loaded}
    section.hits = [_hit(section.type, by_id[pk], query, markers) for pk in ids if pk in by_id]
    if len(found) > size and offset + size <= MAX_OFFSET:
        section.next_offset = offset + size
    windowed = found[0][1]
    section.count = min(windowed, COUNT_LIMIT)
    return windowed


def _hit(kind: str, row, query: ParsedQuery, markers: _Markers) -> Hit:
    if kind in _registered:
        return _registered[kind].hit(row, query, markers)
    if kind == "posts":
        return Hit(
            type=kind,
            id=row.pk,
            title=f"{row.author.profile.display_name} in {row.group.name}",
            url=row.get_absolute_url(),
            snippet=snippet(row, query, markers),
            created_at=row.created_at,
            group=row.group,
            author=row.author.profile,
            obj=row,
        )
    if kind == "comments":
        return Hit(
            type=kind,
            id=row.pk,
            title=f"{row.author.profile.display_name} commented in {row.post.group.name}",
            url=row.get_absolute_url(),
            snippet=snippet(row, query, markers),
            created_at=row.created_at,
            group=row.post.group,
            author=row.author.profile,
            obj=row,
        )
    if kind == "people":
        about = " · ".join(
            x for x in (row.title, row.department.name if row.department else "") if x
        )
        return Hit(
            type=kind,
            id=row.pk,
            title=row.display_name,
            url=row.get_absolute_url(),
            snippet=highlight(about or f"@{row.user.username}", query.words),
            author=row,
            obj=row,
        )
    if kind == "groups":
        words = query.words + query.hashtags
        return Hit(
            type=kind,
            id=row.pk,
            title=row.name,
            url=row.get_absolute_url(),
            snippet=excerpt(row.description, words) if row.description else _built_here(""),
            created_at=row.created_at,
            obj=row,
        )
    return Hit(
        type=kind,
        id=row.pk,
        title=f"#{row.name}",
        url=row.get_absolute_url(),
        snippet=highlight(f"#{row.name}", query.hashtags + query.words),
        obj=row,
    )
