from django import template

from policies.selectors import banner_version

register = template.Library()


@register.inclusion_tag("policies/_banner.html", takes_context=True)
def policy_banner(context):
    """The banner until the current policy version is acknowledged: one query per page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"banner": banner_version(user) if user is not None else None}
