"""User text to HTML: Markdown rendered, then sanitized by nh3. The one door for user HTML.

Raw HTML in the source is escaped by the renderer, and nh3 then keeps only a small list of
tags and attributes: no script, style, svg, math or event handlers; links only to http(s)
and mailto, opened with rel="nofollow noopener noreferrer".
"""

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


def render_markdown(text: str) -> str:
    """Safe HTML for `text` (Markdown). Deterministic, so its output may be cached."""
    html = _renderer.render(text or "")
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
