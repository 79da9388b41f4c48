from django import template
from django.template.loader import render_to_string

from crisis.selectors import banner_incident

register = template.Library()


@register.simple_tag(takes_context=True)
def crisis_banner(context):
    """The crisis-mode banner on every page of the crisis team, the social team, admins,
    mentors and certified representatives. No query of its own while no incident holds
    crisis mode (read with the page's session, core.session_reads; crisis_mode_on's cache
    without one); the viewer's roles while one does."""
    request = context.get("request")
    if request is None:
        return ""
    incident, may_open = banner_incident(request)
    if incident is None:  # nearly every page: no template to render
        return ""
    return render_to_string("crisis/_banner.html", {"incident": incident, "may_open": may_open})


@register.filter
def reads_playbook(user) -> bool:
    """Whether the social tabs show `user` the crisis playbook."""
    from crisis.selectors import may_read_playbook

    return may_read_playbook(user)
