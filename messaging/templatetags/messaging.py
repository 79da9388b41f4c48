from django import template
from django.utils.safestring import mark_safe

from core.markdown import excerpt, render_markdown

register = template.Library()


@register.filter
def message_html(body: str) -> str:
    """A message's Markdown through the one sanitizer (core.markdown)."""
    return mark_safe(render_markdown(body))  # noqa: S308 - nh3 made it safe


@register.filter
def message_excerpt(body: str) -> str:
    """A message on one short line, without its Markdown syntax (plain text: escaped)."""
    return excerpt(body, 90)
