"""Helpers shared by the feed pages (the home page uses them too): a page of a feed
decorated for its cards, the reaction buttons, an htmx error fragment, the way back, what
the compose box needs, and the on/off of a toggle button."""

from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from core.pagination import InvalidCursor, paginate_keyset
from groups import selectors as groups
from policies.selectors import posting_gate

from .. import extensions, selectors
from ..forms import PostForm, ToggleForm
from ..models import REACTION_EMOJI, Reaction

FEED_PAGE_SIZE = 10


def feed_page(request, posts, *, size: int = FEED_PAGE_SIZE) -> tuple[list, str | None]:
    """One keyset page of a feed queryset, decorated for cards. A bad cursor is a 400."""
    cursor = request.GET.get("cursor") or None
    try:
        page = paginate_keyset(
            selectors.for_display(posts),
            ordering=selectors.FEED_ORDER,
            types=selectors.FEED_TYPES,
            cursor=cursor,
            size=size,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    return decorate(request, page.items), page.next_cursor


def decorate(request, posts: list, *, latest_comments: bool = True) -> list:
    """decorate_posts, attachments, and the reaction buttons in display order."""
    selectors.decorate_posts(posts, viewer=request.user, latest_comments=latest_comments)
    for post in posts:
        post.reaction_buttons = [
            {
                "kind": kind,
                "emoji": emoji,
                "label": Reaction.Kind(kind).label,
                "count": post.reaction_counts.get(kind, 0),
                "mine": kind in post.my_reactions,
            }
            for kind, emoji in REACTION_EMOJI.items()
        ]
    return posts


def fragment_error(response, *, target: str | None = None):
    """Mark an htmx error response as a fragment to swap in (static/js/socialhub.js)."""
    response["X-Fragment"] = "error"
    if target:
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "outerHTML"
    return response


def back(request, fallback: str):
    """Redirect to the form's `next` if it is ours, else to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


_UNKNOWN = object()


def compose_context(request, group=None, form=None, membership=_UNKNOWN) -> dict:
    """What the compose box needs: the form, where it posts, and whether I may post.
    Pass `membership` when the caller has read it already (saves a query)."""
    if membership is _UNKNOWN:
        membership = groups.membership_of(request.user, group) if group else None
    can_announce = bool(group) and groups.can_moderate(request.user, group, membership)
    return {
        "compose_gate": posting_gate(request),
        "compose_form": form or PostForm(can_announce=can_announce),
        "compose_group": group,
        "compose_membership": membership,
        "muted": membership is not None and membership.is_muted(),
        # Starting a post: the group's posting rule may keep it to its leaders.
        "can_write": group is None or groups.can_post(request.user, group, membership),
        "my_groups": [] if group else list(groups.my_groups(request.user)),
        "compose_links": extensions.compose_links(group),
    }


def _toggle(request) -> bool:
    form = ToggleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Say on=1 or on=0.")
    return form.cleaned_data["on"]
