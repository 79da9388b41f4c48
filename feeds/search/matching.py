"""Matching and ranking a Markdown body: on PostgreSQL the row's stored `search_vector`
(and a quoted phrase's word pairs), ranked among the RANK_WINDOW newest matches, with
ts_headline snippets; elsewhere every word and phrase in one of the fields, newest first.
Apps above feeds reuse body_search for their own bodies (knowledge entries)."""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    Q,
    QuerySet,
    Window,
)

from .query import CONFIG, RANK_WINDOW, ParsedQuery, required_word_pairs, uses_fulltext
from .snippets import _Markers


def _all_words(words: tuple[str, ...], fields: tuple[str, ...]) -> Q:
    """Every word (or phrase) appears in at least one of `fields`."""
    condition = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


class StoredVector(Expression):
    """The row's stored `search_vector` column (PostgreSQL, migration 0006): not a model
    field, since SQLite has no such column; read from the query's own table (or alias)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_vector", []


class WordPair(Expression):
    """PostgreSQL: the row holds `pair` (two words typed next to each other in a quoted
    phrase) as adjacent stems, read from the GIN index of feeds_word_pairs(search_vector)
    (migration 0008). A phrase's words may each be in a fifth of the posts while the phrase
    is in a few thousand: the words' GIN entries find the rows holding both, each of which
    must then be read to check that they are adjacent; the pair's entries find the phrase's
    rows themselves. Only narrows: the tsquery still decides what matches."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, pair: str):
        super().__init__()
        self.pair = pair

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = (
            f"feeds_word_pairs({table}.search_vector) @> "
            "feeds_word_pairs(to_tsvector(%s::regconfig, %s))"
        )
        return sql, [CONFIG, self.pair]


def body_matches(
    queryset: QuerySet, query: ParsedQuery, *, fields=("body",), pairs: bool = False
) -> QuerySet:
    """The rows of `queryset` matching `query`, unordered and unranked: what a count
    reads. PostgreSQL: the stored search_vector, and with `pairs` (a table with the word
    pairs index of migration 0008: posts, comments) a quoted phrase's word pairs;
    elsewhere every word and phrase in one of `fields`."""
    if not query.words:
        return queryset
    if not uses_fulltext():
        return queryset.filter(_all_words(query.words + query.phrases, fields))
    return fulltext_matches(queryset, query.fulltext, required_word_pairs(query) if pairs else ())


def fulltext_matches(queryset: QuerySet, fulltext: str, pairs: tuple[str, ...] = ()) -> QuerySet:
    """PostgreSQL: the rows of `queryset` whose stored search_vector matches
    websearch_to_tsquery(`fulltext`) and that hold each of the word `pairs` (body_matches;
    feeds.search.results compiles it with marker values)."""
    tsquery = SearchQuery(fulltext, search_type="websearch", config=CONFIG)
    matches = queryset.alias(search=StoredVector()).filter(search=tsquery)
    for pair in pairs:
        matches = matches.filter(WordPair(pair))
    return matches


def _headline(tsquery: SearchQuery, markers: _Markers) -> SearchHeadline:
    return SearchHeadline(
        "body",
        tsquery,
        config=CONFIG,
        start_sel=markers.start,
        stop_sel=markers.stop,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def body_search(
    queryset: QuerySet,
    query: ParsedQuery,
    markers: _Markers | None,
    *,
    newest: tuple[str, ...] = ("-created_at", "-id"),
    fields: tuple[str, ...] = ("body",),
    pairs: bool = False,
) -> QuerySet:
    """Match, rank and snippet `body` on PostgreSQL; match and order newest first elsewhere.

    On PostgreSQL the readable matches (`queryset`: visibility, hashtags) are cut to the
    RANK_WINDOW newest (`newest`: an indexed order) in a subquery, and only those are ranked;
    the stored `search_vector` decides what matches. Elsewhere every word must appear in one
    of `fields`."""
    if query.words and uses_fulltext():
        tsquery = SearchQuery(query.fulltext, search_type="websearch", config=CONFIG)
        matches = body_matches(queryset, query, pairs=pairs)
        window = matches.order_by(*newest).values("pk")[:RANK_WINDOW]
        queryset = queryset.model.objects.filter(pk__in=window)
        queryset = queryset.annotate(rank=SearchRank(StoredVector(), tsquery))
        queryset = queryset.order_by("-rank", *newest)
        if markers is not None:
            # The page brings the window's size (the count, at most RANK_WINDOW) along, so
            # search() reads the window once, not once to count and once to rank.
            queryset = queryset.annotate(window_total=Window(Count("pk")))
            queryset = queryset.annotate(headline=_headline(tsquery, markers))
        return queryset
    return body_matches(queryset, query, fields=fields, pairs=pairs).order_by(*newest)


# A page of the ranked window (rank_window's rows): by rank, then newest first, with the
# window's size. LIMIT and OFFSET are checked integers, formatted in.
RANKED_PAGE = (
    "SELECT w.pk, COUNT(*) OVER () FROM ({{}}) w "
    "ORDER BY w.rank DESC, w.created_at DESC, w.pk DESC LIMIT {limit:d} OFFSET {offset:d}"
)


def rank_window(matches: QuerySet, fulltext: str) -> QuerySet:
    """PostgreSQL: the RANK_WINDOW newest of `matches` (fulltext_matches), each with its
    rank, for RANKED_PAGE: what body_search ranks, in one query.

    Each row of the window carries its rank from the scan that finds it. body_search's
    queryset ranks after the window, reading each of its 1,000 rows again by id, which at a
    million posts (a table of 1.1 GB) cost about a third of the page query: bench/feed.py's
    data, "invoice", 14.6 ms against 10.0 ms in PostgreSQL."""
    tsquery = SearchQuery(fulltext, search_type="websearch", config=CONFIG)
    return (
        matches.annotate(rank=SearchRank(StoredVector(), tsquery))
        .order_by("-created_at", "-id")
        .values("pk", "created_at", "rank")[:RANK_WINDOW]
    )
