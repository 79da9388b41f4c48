"""User text to HTML: Markdown rendered, then sanitized by nh3. The one door for user HTML.

Raw HTML in the source is escaped by the renderer, and nh3 then keeps only a small list of
tags and attributes: no script, style, svg, math or event handlers; links only to http(s)
and mailto, opened with rel="nofollow noopener noreferrer".
"""

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    ["strikethrough", "table"]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# Headings of user text are demoted so they never outrank the page's own.
_DEMOTE = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}


MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_.+-]{1,150})")
TOPIC = re.compile(r"(?<![\w&/#])#([A-Za-z0-9][A-Za-z0-9_-]{0,49})")
_LINKABLE = re.compile(f"{MENTION.pattern}|{TOPIC.pattern}")
# Code is left as written: `@name` in a code span is not a mention.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)


def _outside_code(text: str, replace: Callable[[str], str]) -> str:
    parts = _CODE.split(text)
    return "".join(part if i % 2 else replace(part) for i, part in enumerate(parts))


def find_mentions(text: str) -> list[str]:
    """Usernames written as @name outside code, in order, without repeats."""
    found: list[str] = []
    _outside_code(
        text,
        lambda part: found.extend(m.group(1).rstrip(".") for m in MENTION.finditer(part)) or part,
    )
    return list(dict.fromkeys(found))


def find_topics(text: str) -> list[str]:
    """Topics written as #name outside code, lower case, in order, without repeats."""
    found: list[str] = []
    _outside_code(
        text, lambda part: found.extend(m.group(1).lower() for m in TOPIC.finditer(part)) or part
    )
    return list(dict.fromkeys(found))


# Backslash-escaping every ASCII punctuation mark makes a name plain Markdown text: a name
# like "](javascript:x)" or "<b>" stays the literal characters it is (CommonMark, 2.4).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _markdown_literal(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def _mention_link(match: re.Match, people: dict[str, tuple[str, str]]) -> str:
    name = match.group(1).rstrip(".")  # "ask @ana.garcia." mentions ana.garcia
    if name not in people:
        return match.group(0)
    url, display_name = people[name]
    label = _markdown_literal(display_name or name)
    return f'[{label}]({url} "@{name}"){match.group(1)[len(name) :]}'


def render_markdown(
    text: str,
    *,
    mentions: dict[str, tuple[str, str]] | None = None,
    topic_url: Callable[[str], str] | None = None,
) -> str:
    """Safe HTML for `text` (Markdown). Deterministic, so its output may be cached.

    `mentions` maps the usernames that exist to (profile URL, display name): a mention
    shows as the person's name, linked, with "@username" as the link's title; others stay
    plain text. `topic_url` makes a topic's link. Both become ordinary Markdown links before
    rendering, so they pass the same sanitizer as everything else.
    """
    text = text or ""
    if mentions or topic_url:

        def replace(match: re.Match) -> str:
            if match.group(1) is not None:
                return _mention_link(match, mentions) if mentions else match.group(0)
            if topic_url is None:
                return match.group(0)
            return f"[#{match.group(2)}]({topic_url(match.group(2).lower())})"

        # One pass for both, so a name's own characters are never read as a #topic.
        def link(part: str) -> str:
            return _LINKABLE.sub(replace, part)

        text = _outside_code(text, link)
    html = _renderer.render(text)
    for old, new in _DEMOTE.items():
        html = html.replace(old, new)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# --- Plain text: excerpts, titles, subjects, snippets -----------------------------------------

ELLIPSIS = "…"
# Inline tokens whose content is what a reader sees.
_TEXT_TOKENS = {"text", "text_special", "code_inline", "html_inline"}
# Block tokens that carry their text in `content` (no inline children).
_BLOCK_TEXT = {"fence", "code_block", "html_block"}


def _inline_text(tokens) -> list[str]:
    out: list[str] = []
    for token in tokens or ():
        if token.type in _TEXT_TOKENS:
            out.append(token.content)
        elif token.type == "image":
            out.extend(_inline_text(token.children))  # the alt text
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return out


def markdown_text(source: str) -> str:
    """The readable text of Markdown `source` on one line: what a reader sees once it is
    rendered, without the syntax (`**`, `#`, `[...](...)`, backticks, list marks), with
    entities decoded (`&amp;` is `&`) and raw HTML kept as the literal text it shows as.
    Plain text, not HTML: escape it once where it goes into HTML."""
    parts: list[str] = []
    for token in _renderer.parse((source or "").replace("\x00", "")):
        if token.type == "inline":
            parts.extend(_inline_text(token.children))
        elif token.type in _BLOCK_TEXT:
            parts.append(token.content)
        parts.append(" ")
    return " ".join("".join(parts).split())


_INLINE_TAG = re.compile(r"</?(?:a|strong|em|del|s|code)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The readable text of HTML that render_markdown made, on one line: what a reader sees,
    mentions as the person's name (the Markdown source says @username). Only for our own
    sanitized output: tags become spaces, entities are decoded. Plain text, not HTML."""
    import html as html_module

    text = _TAG.sub(" ", _INLINE_TAG.sub("", html or ""))  # blocks and breaks part words
    return " ".join(html_module.unescape(text).split())


def shorten(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters, cut between words with an ellipsis
    (a word longer than `limit` alone is the only one ever cut)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():  # the cut falls inside a word: back to its start
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    cut = cut.rstrip(" ,;:-–—([{")
    return (cut or text[: limit - 1]) + ELLIPSIS


def excerpt(source: str, limit: int = 220, *, rendered: str = "") -> str:
    """The one plain summary of Markdown `source`: its readable text, shortened between
    words (shorten). From `rendered` (render_markdown's HTML of it) when given, so that a
    mention reads as the person's name, not @username; else from the source
    (markdown_text). For digests, notification titles, email subjects and anywhere a body
    is summarised; plain text, so templates escape it once."""
    if rendered:
        return shorten(html_text(rendered), limit)
    return shorten(markdown_text(source), limit)
