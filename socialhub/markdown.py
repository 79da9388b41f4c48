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


def _mention_link(match: re.Match, urls: dict[str, str]) -> str:
    name = match.group(1).rstrip(".")  # "ask @ana." mentions ana
    if name not in urls:
        return match.group(0)
    return f"[@{name}]({urls[name]}){match.group(1)[len(name) :]}"


def render_markdown(
    text: str,
    *,
    mention_urls: dict[str, str] | None = None,
    topic_url: Callable[[str], str] | None = None,
) -> str:
    """Safe HTML for `text` (Markdown). Deterministic, so its output may be cached.

    `mention_urls` maps the usernames that exist to their profile URLs (others stay plain
    text); `topic_url` makes a topic's link. Both become ordinary Markdown links before
    rendering, so they pass the same sanitizer as everything else.
    """
    text = text or ""
    if mention_urls or topic_url:

        def link(part: str) -> str:
            if mention_urls:
                part = MENTION.sub(lambda m: _mention_link(m, mention_urls), part)
            if topic_url:
                part = TOPIC.sub(
                    lambda m: f"[#{m.group(1)}]({topic_url(m.group(1).lower())})", part
                )
            return part

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
