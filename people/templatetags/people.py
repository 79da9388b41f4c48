import zlib

from django import template
from django.utils.safestring import mark_safe

from core.markdown import excerpt as markdown_excerpt
from core.markdown import render_markdown
from core.markdown import shorten as shorten_text

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 sanitized it


@register.filter
def excerpt(source: str, limit: int = 220) -> str:
    """Markdown as a one-line plain summary, cut between words (core.markdown.excerpt).
    Plain text: autoescaping escapes it once."""
    return markdown_excerpt(source or "", int(limit))


@register.filter
def shorten(text: str, limit: int = 220) -> str:
    """Plain text on one line, cut between words with an ellipsis (core.markdown)."""
    return shorten_text(str(text or ""), int(limit))


@register.inclusion_tag("people/_avatar.html")
def avatar(profile, size: str = "md"):
    """A photo, or initials on a colour that stays the same for the person."""
    hue = zlib.crc32(profile.user.username.encode()) % 360 if profile.user_id else 210
    return {"profile": profile, "size": size, "hue": hue}
