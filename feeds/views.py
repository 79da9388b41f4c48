"""Feed pages and their htmx fragments: a group's feed tab, topic and person feeds, the
post page, compose, comments, reactions, follows, and the moderation actions on a post
(and the leaders' decisions on reports, from the group's moderation tab).

Every view parses its input, asks one selector or service, and renders. Services raise
ApplicationError: a form shows it as a field error (with the text kept); anywhere else
core.middleware.ApplicationErrorMiddleware answers it (400/403/404/409 page, or an alert
for htmx).
"""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from core.sections import sections_for
from groups import selectors as groups
from groups import services as group_services
from groups.forms import ReportDecisionForm
from groups.views import group_context, moderated_group
from people import selectors as people
from policies.selectors import posting_gate

from . import drafts, moderation, selectors, services
from .forms import (
    AcceptForm,
    CommentForm,
    EditPostForm,
    PostForm,
    ReactionForm,
    ReasonForm,
    ToggleForm,
)
from .models import ATTACHMENT_FOLDER, REACTION_EMOJI, Reaction

FEED_PAGE_SIZE = 10


# --- Helpers shared by the feed pages (the home page uses them too) -------------------


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


def decorate(request, posts: list) -> list:
    """decorate_posts, attachments, and the reaction buttons in display order."""
    selectors.decorate_posts(posts, viewer=request.user)
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
    }


# --- Compose --------------------------------------------------------------------------


def my_zone(request):
    try:
        return zoneinfo.ZoneInfo(request.user.profile.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return zoneinfo.ZoneInfo("UTC")


def in_my_zone(request, value):
    """A date and time typed in a form (datetime-local), read in the person's time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=None).replace(tzinfo=my_zone(request))


def compose_draft(request, form, group):
    """The composer's "Save draft" and "Schedule": the text kept on the server. Returns a
    response, or None with the refusal shown on `form`."""
    if form.cleaned_data["attachments"]:
        form.add_error("attachments", "Drafts keep the text only: attach files when you post.")
        return None
    publish_at = None
    if form.cleaned_data.get("action") == "schedule":
        publish_at = in_my_zone(request, form.cleaned_data.get("publish_at"))
        if publish_at is None:
            form.add_error("publish_at", "Choose when to publish it.")
            return None
    try:
        draft = drafts.save_draft(
            actor=request.user,
            body=form.cleaned_data["body"],
            group=group,
            kind=form.cleaned_data["kind"],
            publish_at=publish_at,
        )
    except ApplicationError as exc:
        show_on_form(form, exc, default_field="body")
        return None
    text = "Scheduled: it goes out on its own." if publish_at else "Saved in your drafts."
    if request.htmx:
        response = render(request, "feeds/_draft_saved.html", {"draft": draft, "text": text})
        response["HX-Retarget"] = "#compose-status"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.success(request, text)
    return redirect("feeds:drafts")


@require_POST
def compose(request):
    slug = request.POST.get("group", "")
    group = groups.get_listed_group(request.user, slug) if slug else None
    can_announce = group is not None and groups.can_moderate(request.user, group)
    form = PostForm(request.POST, request.FILES, can_announce=can_announce)
    status = 400
    valid = form.is_valid()
    group_missing = False
    action = form.cleaned_data.get("action") if valid else ""
    if valid and action in ("draft", "schedule"):
        response = compose_draft(request, form, group)
        if response is not None:
            return response
        group_missing = "group" in form.errors
    elif group is None:
        group_missing = True  # shown beside "Post in" (the compose box says where)
    elif valid:
        try:
            post = services.create_post(
                actor=request.user,
                group=group,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                attachments=form.cleaned_data["attachments"],
            )
        except ApplicationError as exc:
            status = exc.status
            show_on_form(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Your post is up.")
                return back(request, group.get_absolute_url())
            post = selectors.get_visible_post(request.user, post.pk)
            return render(
                request,
                "feeds/_posted.html",
                {
                    "post": decorate(request, [post])[0],
                    "moderator": can_announce,
                    "show_group": request.POST.get("from") == "home",
                },
            )
    if status == 403 and not request.htmx:
        raise PermissionDenied(form.non_field_errors()[0])
    from_home = request.POST.get("from") == "home"
    context = compose_context(request, None if from_home else group, form)
    context["group_missing"] = group_missing
    if request.htmx:
        response = render(request, "feeds/_compose.html", context, status=status)
        return fragment_error(response, target="#compose")
    return render(request, "feeds/compose.html", context, status=status)


@require_POST
def preview(request):
    """The composer's Preview tab: the text as it would show, through the same renderer and
    sanitizer as publishing; nothing is written."""
    body = request.POST.get("body", "")[: services.MAX_POST_LENGTH]
    html = services.render_body(body=body) if body.strip() else ""
    return render(request, "feeds/_preview.html", {"html": html})


@require_GET
def suggest_topics(request):
    """Options of existing topics for the composer's "#" autocomplete."""
    topics = selectors.suggest_topics(viewer=request.user, prefix=request.GET.get("q", "")[:50])
    return render(request, "feeds/_suggest_topics.html", {"topics": topics})


# --- The post page and its edits ------------------------------------------------------


@require_GET
def post_detail(request, post_id: int):
    try:
        post = selectors.get_visible_post(request.user, post_id)
    except Http404:
        removed = selectors.get_removed_post_for_author(request.user, post_id)
        if removed is None:
            raise
        return render(request, "feeds/removed.html", {"post": removed})
    return _render_post_page(request, post)


def _render_post_page(request, post, *, comment_form=None, status=200):
    membership = groups.membership_of(request.user, post.group)
    moderator = groups.can_moderate(request.user, post.group, membership)
    decorate(request, [post])
    return render(
        request,
        "feeds/post.html",
        {
            "post": post,
            "group": post.group,
            "comments": selectors.comments_of(request.user, post),
            "revisions": list(selectors.revisions_of(post)),
            "moderator": moderator,
            "can_accept": moderator or post.author_id == request.user.pk,
            "muted": membership is not None and membership.is_muted(),
            "comment_form": comment_form or CommentForm(initial={"view": "page"}),
            "comment_gate": posting_gate(request),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def edit_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Only the author can edit a post.")
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            if exc.status == 403:
                raise  # not about the text: the middleware's 403 page
            show_on_form(form, exc, default_field="body")
        else:
            messages.success(request, "Your post is updated.")
            return redirect(post.get_absolute_url())
    return render(
        request,
        "feeds/edit.html",
        {"post": post, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def delete_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    services.delete_post(actor=request.user, post=post)
    messages.success(request, "Your post is deleted.")
    return redirect(post.group.get_absolute_url())


@require_GET
def attachment(request, post_id: int, attachment_id: int):
    """Uploaded files, for readers of the post only; never rendered inline unless images."""
    item = selectors.get_attachment(request.user, post_id, attachment_id)
    return serve_stored_file(
        name=item.file.name,
        folder=ATTACHMENT_FOLDER,
        filename=item.name,
        content_type=item.content_type if item.is_image else "application/octet-stream",
        inline=item.is_image,
        max_age=3600,
    )


# --- Comments and reactions (htmx) ----------------------------------------------------


@require_POST
def comment(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = CommentForm(request.POST)
    status = 400
    view = request.POST.get("view") or "card"
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = selectors.get_visible_comment(request.user, form.cleaned_data["parent"])
        try:
            services.create_comment(
                actor=request.user, post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ApplicationError as exc:
            status = exc.status
            show_on_form(form, exc, default_field="body")
        else:
            if not request.htmx:
                return redirect(post.get_absolute_url())
            return _comments_fragment(request, post, view)
    if not request.htmx:
        if status == 403:
            raise PermissionDenied(form.errors["body"][0])
        return _render_post_page(request, post, comment_form=form, status=status)
    return fragment_error(_comments_fragment(request, post, view, form=form, status=status))


def _comments_fragment(request, post, view: str, *, form=None, status=200):
    if view == "page":
        membership = groups.membership_of(request.user, post.group)
        moderator = groups.can_moderate(request.user, post.group, membership)
        return render(
            request,
            "feeds/_thread.html",
            {
                "post": post,
                "comments": selectors.comments_of(request.user, post),
                "moderator": moderator,
                "can_accept": moderator or post.author_id == request.user.pk,
                "muted": membership is not None and membership.is_muted(),
                "comment_form": form or CommentForm(initial={"view": "page"}),
                "comment_gate": posting_gate(request),
            },
            status=status,
        )
    decorate(request, [post])
    return render(
        request,
        "feeds/_card_comments.html",
        {"post": post, "comment_form": form, "comment_posted": form is None},
        status=status,
    )


@require_POST
def react(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("React with like, celebrate, insightful or support.")
    services.toggle_reaction(actor=request.user, post=post, kind=form.cleaned_data["kind"])
    if not request.htmx:
        return back(request, post.get_absolute_url())
    return render(request, "feeds/_reactions.html", {"post": decorate(request, [post])[0]})


@require_POST
def accept_answer(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose a comment.")
    chosen = None
    if form.cleaned_data["comment"]:
        chosen = selectors.get_visible_comment(request.user, form.cleaned_data["comment"])
    services.accept_answer(actor=request.user, post=post, comment=chosen)
    messages.success(request, "Answer accepted." if chosen else "Accepted answer cleared.")
    return redirect(post.get_absolute_url())


@require_POST
def delete_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    services.delete_comment(actor=request.user, comment=found)
    messages.success(request, "Your comment is deleted.")
    return back(request, found.post.get_absolute_url())


# --- Leaders' actions on a post or comment, and reports ---------------------------------


def _toggle(request) -> bool:
    form = ToggleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Say on=1 or on=0.")
    return form.cleaned_data["on"]


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Give a reason (up to 500 characters).")
    return form.cleaned_data["reason"]


@require_POST
def pin_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    pinned = _toggle(request)
    moderation.pin_post(actor=request.user, post=post, pinned=pinned)
    messages.success(request, "Pinned to the top of the group." if pinned else "Unpinned.")
    return back(request, post.get_absolute_url())


@require_POST
def close_comments(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    closed = _toggle(request)
    moderation.close_comments(actor=request.user, post=post, closed=closed)
    messages.success(request, "Comments are closed." if closed else "Comments are open again.")
    return back(request, post.get_absolute_url())


@require_POST
def remove_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    if not groups.can_moderate(request.user, post.group):
        raise PermissionDenied("Only the group's leaders can do that.")
    reason = _reason(request)
    moderation.remove_post(actor=request.user, post=post, reason=reason)
    messages.success(request, "The post is removed; its author sees your reason.")
    return redirect(post.group.get_absolute_url())


@require_POST
def remove_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    if not groups.can_moderate(request.user, found.post.group):
        raise PermissionDenied("Only the group's leaders can do that.")
    reason = _reason(request)
    moderation.remove_comment(actor=request.user, comment=found, reason=reason)
    messages.success(request, "The comment is removed.")
    return back(request, found.post.get_absolute_url())


@require_POST
def report_post(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    moderation.report_content(actor=request.user, post=post, reason=_reason(request))
    messages.success(request, "Thank you: the group's leaders will look at it.")
    return back(request, post.get_absolute_url())


@require_POST
def report_comment(request, comment_id: int):
    found = selectors.get_visible_comment(request.user, comment_id)
    moderation.report_content(actor=request.user, comment=found, reason=_reason(request))
    messages.success(request, "Thank you: the group's leaders will look at it.")
    return back(request, found.post.get_absolute_url())


@require_POST
def decide_report(request, slug: str, report_id: int):
    """A leader's decision on a report, from the group's moderation tab: dismiss it, or
    remove what it is about."""
    group = moderated_group(request, slug)
    report = groups.get_open_report(request.user, group, report_id)
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(" ".join(e for errs in form.errors.values() for e in errs))
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["decision"] == "dismiss":
        group_services.dismiss_report(actor=request.user, report=report, reason=reason)
    elif report.comment_id:
        moderation.remove_comment(actor=request.user, comment=report.comment, reason=reason)
    else:
        moderation.remove_post(actor=request.user, post=report.post, reason=reason)
    messages.success(
        request,
        "Report dismissed." if form.cleaned_data["decision"] == "dismiss" else "Content removed.",
    )
    return redirect("groups:moderation", slug=group.slug)


# --- A group's feed (its page's first tab; the header and tabs are groups') -------------


@require_GET
def group_feed(request, slug: str):
    context = group_context(request, slug, "feed")
    group = context["group"]
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    posts, next_cursor = feed_page(request, selectors.group_feed(request.user, group))
    context.update({"posts": posts, "next_cursor": next_cursor})
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context.update(compose_context(request, group, membership=context["membership"]))
    context["pinned"] = (
        [] if request.GET.get("cursor") else selectors.pinned_posts(request.user, group)
    )
    return render(request, "groups/detail.html", context)


# --- Topic and person feeds, follows --------------------------------------------------


@require_GET
def topic(request, name: str):
    request.active_section = "feed"
    found = selectors.get_readable_topic(request.user, name)
    posts, next_cursor = feed_page(request, selectors.topic_feed(request.user, found))
    context = {"topic": found, "posts": posts, "next_cursor": next_cursor, "show_group": True}
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context["following"] = selectors.follows_topic(request.user, found)
    # What apps above feeds add about the topic (knowledge: its entries).
    context["sections"] = sections_for("topic", request.user, found)
    return render(request, "feeds/topic.html", context)


@require_POST
def follow_topic(request, name: str):
    found = selectors.get_readable_topic(request.user, name)
    follow = _toggle(request)
    services.follow_topic(actor=request.user, topic=found, follow=follow)
    if not request.htmx:
        return back(request, found.get_absolute_url())
    return render(request, "feeds/_follow_topic.html", {"topic": found, "following": follow})


@require_GET
def person_feed(request, username: str):
    request.active_section = "people"
    person = people.get_visible_profile(viewer=request.user, username=username)
    posts, next_cursor = feed_page(request, selectors.person_feed(request.user, person.user))
    context = {"person": person, "posts": posts, "next_cursor": next_cursor, "show_group": True}
    context["compose_gate"] = posting_gate(request)  # the cards' comment boxes say it first
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    context["is_me"] = person.user_id == request.user.pk
    context["following"] = selectors.follows_person(request.user, person.user)
    if request.htmx:
        return render(request, "feeds/_person_posts.html", context)
    return render(request, "feeds/person.html", context)


@require_POST
def follow_person(request, username: str):
    person = people.get_visible_profile(viewer=request.user, username=username)
    follow = _toggle(request)
    services.follow_person(actor=request.user, person=person.user, follow=follow)
    if not request.htmx:
        return back(request, person.get_absolute_url())
    return render(request, "feeds/_follow_person.html", {"person": person, "following": follow})


# --- Home ----------------------------------------------------------------------------


def home_feed_context(request) -> dict:
    """The home feed page's feed part (config.views.home renders the page)."""
    posts, next_cursor = feed_page(request, selectors.home_feed(request.user))
    return {
        "posts": posts,
        "next_cursor": next_cursor,
        "show_group": True,
        "compose_gate": posting_gate(request),  # the cards' comment boxes say it first
    }


# --- Live catch-up (static/js/live.js) -------------------------------------------------

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
