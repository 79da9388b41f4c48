from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf

from core.kept_markup import kept
from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_badge(context):
    """The bell in the top bar: one count query over the unread index per page. Its markup
    depends on the count alone, so each count's is rendered once per process."""
    return _bell(unread_count(context["request"].user), get_script_prefix(), get_urlconf())


@kept(maxsize=128)
def _bell(count: int, prefix: str, urlconf) -> str:
    """notifications/_badge.html for `count` (the prefix and URL configuration its links
    were reversed under are part of the key)."""
    return render_to_string("notifications/_badge.html", {"count": count})
