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

The search by part: query (the limits, the parsed query, the word pairs a phrase requires),
snippets, matching (a body: the stored vector, ranking in the window; body_search), kinds
(the built-in kinds, each from its visibility selector), registry (Hit, SearchType and
register_search_type) and results (search itself: counts and pages). RANK_WINDOW is read
where it is used, by matching (body_search) and results (count_matches): a test that narrows
it sets it on both. Callers import from here: `from feeds import search`,
`from feeds.search import parse_query`.
"""

from .kinds import (
    comments_matching,
    groups_matching,
    people_matching,
    posts_matching,
    topics_matching,
)
from .matching import StoredVector, WordPair, body_matches, body_search
from .query import (
    CONFIG,
    COUNT_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    PAGE_SIZE,
    PHRASE,
    PLAIN_WORD,
    RANK_WINDOW,
    STOP_WORDS,
    SUMMARY_SIZE,
    TYPES,
    ParsedQuery,
    parse_query,
    required_word_pairs,
    uses_fulltext,
)
from .registry import Hit, SearchType, register_search_type, registered_type, search_types
from .results import SearchResults, Section, count_matches, search
from .snippets import SNIPPET_RADIUS, excerpt, highlight, snippet

__all__ = [
    "CONFIG",
    "COUNT_LIMIT",
    "MAX_OFFSET",
    "MAX_QUERY_LENGTH",
    "MAX_WORDS",
    "PAGE_SIZE",
    "PHRASE",
    "PLAIN_WORD",
    "RANK_WINDOW",
    "SNIPPET_RADIUS",
    "STOP_WORDS",
    "SUMMARY_SIZE",
    "TYPES",
    "Hit",
    "ParsedQuery",
    "SearchResults",
    "SearchType",
    "Section",
    "StoredVector",
    "WordPair",
    "body_matches",
    "body_search",
    "comments_matching",
    "count_matches",
    "excerpt",
    "groups_matching",
    "highlight",
    "parse_query",
    "people_matching",
    "posts_matching",
    "register_search_type",
    "registered_type",
    "required_word_pairs",
    "search",
    "search_types",
    "snippet",
    "topics_matching",
    "uses_fulltext",
]
