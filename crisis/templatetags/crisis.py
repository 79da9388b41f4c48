from django import template

from crisis.selectors import banner_incident

register = template.Library()


@register.inclusion_tag("crisis/_banner.html", takes_context=True)
def crisis_banner(context):
    """The crisis-mode banner on every page of the crisis team, the social team, admins,
    mentors and certified representatives. No query of its own while no incident holds
    crisis mode (read with the page's session, core.session_reads; crisis_mode_on's cache
    without one); the viewer's roles while one does."""
    request = context.get("request")
    if request is None:
        return {"incident": None}
    incident, may_open = banner_incident(request)
    return {"incident": incident, "may_open": may_open}


@register.filter
def reads_playbook(user) -> bool:
    """Whether the social tabs show `user` the crisis playbook."""
    from crisis.selectors import may_read_playbook

    return may_read_playbook(user)
