from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context):
    """The bell in the top bar: one count query over the unread index per page."""
    request = context["request"]
    return {"count": unread_count(request.user)}
