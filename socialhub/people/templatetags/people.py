import zlib

from django import template
from django.utils.safestring import mark_safe

from socialhub.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 sanitized it


@register.inclusion_tag("people/_avatar.html")
def avatar(profile, size: str = "md"):
    """A photo, or initials on a colour that stays the same for the person."""
    hue = zlib.crc32(profile.user.username.encode()) % 360 if profile.user_id else 210
    return {"profile": profile, "size": size, "hue": hue}
