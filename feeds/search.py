"""Search over posts, comments, people, groups and topics: only what the searcher may read.

Every kind starts from its visibility selector (visible_posts, visible_comments,
listed_groups, visible_profiles; a topic counts only through a post the user may read), so a
result, a count and a snippet all obey the rule written once in the owning app.

On PostgreSQL, posts and comments use full-text search: `websearch_to_tsquery('english', q)`
against the row's stored `search_vector` (migration 0006: a generated column,
to_tsvector('english', COALESCE(body, '')), GIN-indexed on live rows), so matching and
ranking never recompute to_tsvector. Ranking is among the RANK_WINDOW most recent readable
matches (a word in a quarter of a million posts would otherwise rank them all): the
candidates are the newest matches first (an index scan by date, or the GIN index for a rare
word), then ts_rank orders them, newest first among equals, with ts_headline snippets for
the page only. Elsewhere (SQLite) every word and every "quoted phrase" must appear
(icontains), newest first.
People, groups and topics are short names: every word must appear in one of their fields,
on both databases.

Apps above feeds add their own kinds with `register_search_type` (knowledge entries): a
SearchType brings its visibility-filtered matcher and its hit; counts, paging, the page and
the API treat it like the built-in kinds. `body_search` and `snippet` are what such a
matcher reuses for a Markdown body with a stored `search_vector`.

Snippets are HTML built here and only here: the source is raw Markdown typed by users, so
a snippet is cut from its readable text (core.markdown.markdown_text: no Markdown
syntax, entities decoded), between words, escaped, and the only markup is <mark> around the
matches. On PostgreSQL ts_headline says which words matched (stemmed forms included): it
marks them with random per-call tokens that no stored text can contain.
"""

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.utils.safestring import SafeString, mark_safe

from core.markdown import TOPIC, html_text, markdown_text
from groups.selectors import listed_groups
from people.selectors import profiles_with_words, visible_profiles

from .models import Comment, Post, Topic
from .selectors import searchable_comments, searchable_posts, visible_posts

TYPES = ("posts", "comments", "people", "groups", "topics")
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# Counts stop here ("1,000+"): counting every match of a common word in a million posts
# costs more than the page itself, and nobody reads past the first thousand.
COUNT_LIMIT = 1000
# A results page reads at most this deep (offset paging: ranked results have no index order).
MAX_OFFSET = 500
SUMMARY_SIZE = 5
PAGE_SIZE = 20
SNIPPET_RADIUS = 90
CONFIG = "english"
PHRASE = re.compile(r'"([^"]+)"')
# Full-text results are ranked among this many most recent matches (PostgreSQL); as many as
# a count shows before "1,000+", and twice what paging can reach (MAX_OFFSET).
RANK_WINDOW = COUNT_LIMIT
# PostgreSQL's English stop words (tsearch_data/english.stop): to_tsvector leaves them out,
# so two typed words make a stored word pair (migration 0008) only when neither is one.
_STOP_WORDS = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
PLAIN_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what the user typed, cleaned
    words: tuple[str, ...]  # plain words (hashtags removed), for the simple matchers
    hashtags: tuple[str, ...]  # topic names written as #name, lower case
    phrases: tuple[str, ...] = ()  # "quoted words", for the simple matchers

    @property
    def fulltext(self) -> str:
        """The text for websearch_to_tsquery: everything but the hashtags."""
        return " ".join(TOPIC.sub(" ", self.text).split())

    def __bool__(self) -> bool:
        return bool(self.words or self.hashtags)


def parse_query(raw: str | None) -> ParsedQuery:
    text = " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    hashtags = tuple(dict.fromkeys(m.group(1).lower() for m in TOPIC.finditer(text)))
    rest = TOPIC.sub(" ", text)
    # Quotes and the websearch operators mean nothing to icontains: keep the words.
    words = tuple(
        dict.fromkeys(w for w in (w.strip("\"'()").lstrip("-") for w in rest.split()) if w)
    )
    phrases = tuple(
        dict.fromkeys(p for p in (" ".join(m.split()) for m in PHRASE.findall(rest)) if " " in p)
    )
    return ParsedQuery(
        text=text,
        words=words[:MAX_WORDS],
        hashtags=hashtags[:MAX_WORDS],
        phrases=phrases[:MAX_WORDS],
    )


def uses_fulltext() -> bool:
    return connection.vendor == "postgresql"


# --- snippets ---------------------------------------------------------------------------


def _built_here(markup: str) -> SafeString:
    """The one place snippets become safe: callers pass html.escape'd text and <mark> tags."""
    return mark_safe(markup)  # noqa: S308 - escaped text plus literal <mark></mark> only


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """`text` escaped, every word holding one of `words` (case-insensitive) in <mark>:
    whole words, so "bill" marks "Billing", never "<mark>Bill</mark>ing"."""
    words = tuple(w for w in words if w)
    if not words:
        return _built_here(html.escape(text))
    either = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\w*(?:{either})\w*", re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return _built_here("".join(out))


def _word_start(text: str, i: int, limit: int) -> int:
    """A start at or after `i` (up to `limit`), else before it, that is not inside a word."""
    if i <= 0 or text[i - 1].isspace():
        return max(i, 0)
    space = text.find(" ", i, limit)
    if space >= 0:
        return space + 1
    space = text.rfind(" ", 0, i)
    return space + 1 if space >= 0 else 0


def _word_end(text: str, i: int, limit: int) -> int:
    """An end at or before `i` (down to `limit`), else after it, that is not inside a word."""
    if i >= len(text) or text[i].isspace():
        return min(i, len(text))
    space = text.rfind(" ", limit, i)
    if space > limit:
        return space
    space = text.find(" ", i)
    return space if space >= 0 else len(text)


def excerpt(text: str, words: tuple[str, ...], radius: int = SNIPPET_RADIUS) -> SafeString:
    """An escaped window of plain `text` around the first match of `words`, matches in
    <mark>, never starting or ending inside a word."""
    text = " ".join(text.split())
    lowered = text.lower()
    hits = [i for i in (lowered.find(w.lower()) for w in words if w) if i >= 0]
    at = min(hits) if hits else 0
    start = _word_start(text, max(0, at - radius), at)
    end = _word_end(text, min(len(text), at + radius * 2 if hits else radius * 2), at)
    body = highlight(text[start:end].strip(), words)
    return _built_here(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))


class _Markers:
    """Random selection markers for ts_headline, turned into <mark> after escaping."""

    def __init__(self):
        token = secrets.token_hex(8)
        self.start, self.stop = f"hl{token}s", f"hl{token}e"

    def terms(self, headline: str) -> tuple[str, ...]:
        """The words ts_headline marked as matches, as the text spells them."""
        pattern = re.escape(self.start) + "(.*?)" + re.escape(self.stop)
        return tuple(dict.fromkeys(m for m in re.findall(pattern, headline, re.S) if m.strip()))

    def to_html(self, headline: str) -> SafeString:
        text = html.escape(" ".join(headline.split()))
        return _built_here(text.replace(self.start, "<mark>").replace(self.stop, "</mark>"))


# --- one kind at a time -----------------------------------------------------------------


def _all_words(words: tuple[str, ...], fields: tuple[str, ...]) -> Q:
    """Every word (or phrase) appears in at least one of `fields`."""
    condition = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def _tagged(hashtags: tuple[str, ...], prefix: str = "") -> Q:
    """Posts (or comments, via `prefix`) carrying every one of `hashtags` as a topic."""
    condition = Q()
    for name in hashtags:
        tagged = Post.topics.through.objects.filter(topic__name=name).values("post_id")
        condition &= Q(**{f"{prefix}id__in": tagged})
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


def required_word_pairs(query: ParsedQuery) -> tuple[str, ...]:
    """The pairs of words ("invoice review") every match must hold next to each other: two
    plain words (letters only, no stop word) side by side in a quoted phrase. None when
    the query has an OR or a negation (a phrase may then be absent from a match). Each
    pair alone makes exactly one stored pair; a pair list cut from the whole phrase could
    be empty (stop words between every two words), and an empty list matches every row."""
    tokens = query.fulltext.lower().split()
    if "or" in tokens or "-" in query.fulltext:
        return ()
    found = []
    for phrase in query.phrases:
        words = phrase.split()
        for a, b in zip(words, words[1:], strict=False):
            if all(PLAIN_WORD.fullmatch(w) and w.lower() not in STOP_WORDS for w in (a, b)):
                found.append(f"{a} {b}")
    return tuple(dict.fromkeys(found))


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
    tsquery = SearchQuery(query.fulltext, search_type="websearch", config=CONFIG)
    matches = queryset.alias(search=StoredVector()).filter(search=tsquery)
    for pair in required_word_pairs(query) if pairs else ():
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


def snippet(item, query: ParsedQuery, markers: _Markers | None) -> SafeString:
    """A window of the readable text (no Markdown syntax) around the matches; on PostgreSQL
    the matches are the words ts_headline marked (stemmed forms too)."""
    words = query.words + tuple(f"#{t}" for t in query.hashtags)
    headline = getattr(item, "headline", None)
    if markers is not None and headline:
        words = markers.terms(headline) + words
    return excerpt(html_text(item.body_html) or markdown_text(item.body), words)


def posts_matching(
    user, query: ParsedQuery, *, markers: _Markers | None = None, counting: bool = False
) -> QuerySet[Post]:
    """Posts `user` may read that match; with `markers`, loaded for display with headlines;
    `counting`: unordered and unranked (count_matches)."""
    posts = searchable_posts(user)
    if query.hashtags:
        posts = posts.filter(_tagged(query.hashtags))
    if counting:
        return body_matches(posts, query, pairs=True)
    posts = body_search(posts, query, markers, pairs=True)
    if markers is not None:
        posts = posts.select_related("group", "author__profile")
    return posts


def comments_matching(
    user, query: ParsedQuery, *, markers: _Markers | None = None, counting: bool = False
) -> QuerySet[Comment]:
    if not query.words:  # topics belong to posts; a bare #topic finds posts, not comments
        return Comment.objects.none()
    comments = searchable_comments(user)
    if query.hashtags:
        comments = comments.filter(_tagged(query.hashtags, prefix="post__"))
    if counting:
        return body_matches(comments, query, pairs=True)
    comments = body_search(comments, query, markers, pairs=True)
    if markers is not None:
        comments = comments.select_related("post__group", "author__profile")
    return comments


def people_matching(user, query: ParsedQuery):
    if not query.words:
        return visible_profiles(user).none()
    return profiles_with_words(user, query.words).order_by("display_name", "id")


def groups_matching(user, query: ParsedQuery):
    words = query.words + query.hashtags
    if not words:
        return listed_groups(user).none()
    matching = _all_words(words, ("name", "description"))
    return listed_groups(user).filter(matching).order_by("name", "id")


def topics_matching(user, query: ParsedQuery) -> QuerySet[Topic]:
    """Topics named like the query that have at least one post `user` may read."""
    names = query.hashtags + query.words
    if not names:
        return Topic.objects.none()
    condition = Q()
    for name in names:
        condition |= Q(name__icontains=name.lstrip("#").lower())
    readable = visible_posts(user).filter(topics=OuterRef("pk"))
    return (
        Topic.objects.filter(condition)
        .filter(Exists(readable))
        .annotate(exact=Q(name__in=[n.lower() for n in names]))
        .order_by("-exact", "name")
    )


# --- together ---------------------------------------------------------------------------


@dataclass
class Hit:
    """One result, whatever its kind, as the page and the API show it."""

    type: str
    id: int
    title: str
    url: str
    snippet: SafeString
    created_at: object = None
    group: object = None
    author: object = None  # a Profile
    obj: object = None
    kind_label: str = ""  # what the page calls a registered kind's hit ("Knowledge")


@dataclass(frozen=True)
class SearchType:
    """A kind of result an app above feeds adds (register_search_type).

    `matching(user, query, markers)` returns the rows `user` may read that match, in rank
    order (with `markers`: loaded for display, a fixed number of queries per page);
    `hit(row, query, markers)` makes its Hit. `label` names the tab ("Knowledge"), `one`
    a single result ("entry")."""

    name: str
    label: str
    one: str
    matching: Callable[..., QuerySet]
    hit: Callable[..., Hit]


_registered: dict[str, SearchType] = {}


def register_search_type(search_type: SearchType) -> None:
    """Add (or replace, by name) a kind of result; call from AppConfig.ready."""
    if search_type.name in TYPES:
        raise ValueError(f"{search_type.name} is a built-in search type")
    _registered[search_type.name] = search_type


def search_types() -> tuple[str, ...]:
    """Every kind of result, the built-in ones first."""
    return TYPES + tuple(_registered)


def registered_type(name: str) -> SearchType | None:
    return _registered.get(name)


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
    if kind == "posts":
        queryset = posts_matching(user, query, counting=True)
    elif kind == "comments":
        queryset = comments_matching(user, query, counting=True)
    else:
        queryset = _matching(kind, user, query)
    cap = min(COUNT_LIMIT, RANK_WINDOW) if _windowed(kind, query) else COUNT_LIMIT
    return queryset.order_by()[:cap].count()


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
    the window, with the window's size; then those rows loaded for display (their group
    and author, the headline). In one query the joins for display were made for every row
    of the window (1,000) before the ranking cut it to a page. The second query reads
    through the visibility selector again, so a row is shown only if still readable."""
    ranked = _matching(section.type, user, query).annotate(window_total=Window(Count("pk")))
    found = list(ranked.values_list("pk", "window_total")[offset : offset + size + 1])
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
            url=f"{row.post.get_absolute_url()}#comment-{row.pk}",
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
