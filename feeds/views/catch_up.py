"""Live catch-up (static/js/live.js): what a tab missed while its socket was down, and which
of the posts on its screen its reader may no longer see."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from groups import selectors as groups
from people import selectors as people
from policies.selectors import posting_gate

from .. import selectors
from .common import decorate

SINCE_LIMIT = 20
SINCE_MAX_IDS = 100


def _int_param(request, name: str, *, default: int | None = None) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest(f"{name}: give a post id (a whole number).")
    return int(raw)


@require_GET
def since(request):
    """What a tab missed while its socket was down: the posts of its feed newer than
    `after` (newest first, at most SINCE_LIMIT; X-Live-More says there were more), and in
    X-Live-Gone which of the on-screen posts `ids` the reader may no longer see."""
    after = _int_param(request, "after", default=0)
    feed = request.GET.get("feed", "home")
    if feed == "home":
        posts = selectors.home_feed(request.user)
    elif feed == "group":
        group_id = _int_param(request, "group")
        found = groups.readable_groups(request.user).filter(pk=group_id).first()
        if group_id is None or found is None:
            raise Http404("No such group.")
        posts = selectors.group_feed(request.user, found)
    elif feed == "person":
        person = people.get_person(request.user, request.GET.get("author", "")[:150])
        posts = selectors.person_feed(request.user, person)
    elif feed == "topic":
        posts = selectors.visible_posts(request.user).none()
    else:
        raise BadRequest("feed: choose home, group, person or topic.")
    raw_ids = [i for i in request.GET.get("ids", "").split(",") if i][:SINCE_MAX_IDS]
    if not all(i.isdigit() and len(i) <= 18 for i in raw_ids):
        raise BadRequest("ids: give post ids separated by commas.")
    on_screen = {int(i) for i in raw_ids}
    found = list(
        selectors.for_display(posts.filter(id__gt=after)).order_by(*selectors.FEED_ORDER)[
            : SINCE_LIMIT + 1
        ]
    )
    more = len(found) > SINCE_LIMIT
    new_posts = decorate(request, found[:SINCE_LIMIT])
    still = set()
    if on_screen:
        still = set(
            selectors.visible_posts(request.user)
            .filter(id__in=on_screen)
            .values_list("id", flat=True)
        )
    response = render(
        request,
        "feeds/_since.html",
        {"posts": new_posts, "show_group": feed != "group", "compose_gate": posting_gate(request)},
    )
    response["X-Live-Gone"] = ",".join(str(i) for i in sorted(on_screen - still))
    response["X-Live-More"] = "1" if more else "0"
    response["Cache-Control"] = "no-store"
    return response
