"""Snippets, built here and only here: a window of the readable text around the matches,
escaped, the matches in <mark>; on PostgreSQL the matches are the words ts_headline marked,
with random per-call markers."""

import html
import re
import secrets

from django.utils.safestring import SafeString, mark_safe

from core.markdown import html_text, markdown_text

from .query import ParsedQuery

SNIPPET_RADIUS = 90


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


def snippet(item, query: ParsedQuery, markers: _Markers | None) -> SafeString:
    """A window of the readable text (no Markdown syntax) around the matches; on PostgreSQL
    the matches are the words ts_headline marked (stemmed forms too)."""
    words = query.words + tuple(f"#{t}" for t in query.hashtags)
    headline = getattr(item, "headline", None)
    if markers is not None and headline:
        words = markers.terms(headline) + words
    return excerpt(html_text(item.body_html) or markdown_text(item.body), words)
