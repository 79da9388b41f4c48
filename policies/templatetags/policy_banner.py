from django import template

from policies.selectors import pending_policy

register = template.Library()


@register.inclusion_tag("policies/_banner.html", takes_context=True)
def policy_banner(context):
    """The banner until the current policy version is acknowledged: one query per page
    (none on the policy's own pages, which show the acknowledgement button instead), shared
    with the compose box's gate notice."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or getattr(request, "active_section", "") == "policy":
        return {"banner": None}
    return {"banner": pending_policy(request)}


@register.filter
def is_policy_admin(user) -> bool:
    """Whether the policy section shows `user` its admin tabs."""
    from people.roles import is_admin

    return is_admin(user)
