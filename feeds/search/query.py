"""What a search is: its limits, the typed query parsed (words, #topics, "quoted phrases"),
whether this database searches full text, and the word pairs a quoted phrase requires."""

import re
from dataclasses import dataclass

from django.db import connection

from core.markdown import TOPIC

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
