from django import template
from django.template.loader import render_to_string

from policies.selectors import pending_policy

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_banner(context):
    """The banner until the current policy version is acknowledged: one query per page
    (none on the policy's own pages, which show the acknowledgement button instead), shared
    with the compose box's gate notice."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or getattr(request, "active_section", "") == "policy":
        return ""
    banner = pending_policy(request)
    if banner is None:  # acknowledged: no template to render
        return ""
    return render_to_string("policies/_banner.html", {"banner": banner})


@register.filter
def is_policy_admin(user) -> bool:
    """Whether the policy section shows `user` its admin tabs."""
    from people.roles import is_admin

    return is_admin(user)
