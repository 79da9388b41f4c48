"""Pages of saved posts, shares, drafts and scheduled posts, and praise.

Like feeds/views/: parse, call one selector or service, render. Services raise
ApplicationError: forms show it on their field, anything else the middleware answers.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from groups import selectors as groups
from policies.selectors import posting_gate

from . import drafts, praise, selectors, sharing
from .forms import DraftForm, PraiseForm, ShareForm, ToggleForm
from .models import BADGE_EMOJI, Badge, Draft
from .views import FEED_PAGE_SIZE, back, decorate, in_my_zone, my_zone

# --- Saved posts ----------------------------------------------------------------------


@require_GET
def saved(request):
    """The posts I saved that I may still read, newest save first."""
    request.active_section = "feed"
    try:
        page = paginate_keyset(
            selectors.saved_entries(request.user).only("id", "created_at", "post_id"),
            ordering=selectors.FEED_ORDER,
            types=selectors.FEED_TYPES,
            cursor=request.GET.get("cursor") or None,
            size=FEED_PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    posts = decorate(request, selectors.posts_for_display([e.post_id for e in page.items]))
    context = {
        "posts": posts,
        "next_cursor": page.next_cursor,
        "show_group": True,
        "compose_gate": posting_gate(request),  # the cards' comment boxes say it first
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "feeds/_feed_page.html", context)
    return render(request, "feeds/saved.html", context)


@require_POST
def save(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    form = ToggleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Say on=1 or on=0.")
    post.saved = sharing.save_post(actor=request.user, post=post, saved=form.cleaned_data["on"])
    if not request.htmx:
        messages.success(request, "Saved for later." if post.saved else "Taken out of Saved.")
        return back(request, post.get_absolute_url())
    return render(request, "feeds/_save_button.html", {"post": post})


# --- Shares ---------------------------------------------------------------------------


def _share_targets(request) -> list:
    """The groups I may start a post in, for the share and praise pages."""
    return [g for g in groups.my_groups(request.user) if groups.can_post(request.user, g)]


@require_http_methods(["GET", "POST"])
def share(request, post_id: int):
    post = selectors.get_visible_post(request.user, post_id)
    decorate(request, [post])
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.get_listed_group(request.user, form.cleaned_data["group"])
        except Http404:
            form.add_error("group", "Choose a group you belong to.")
        else:
            try:
                made = sharing.share_post(
                    actor=request.user, post=post, group=group, body=form.cleaned_data["body"]
                )
            except ApplicationError as exc:
                show_on_form(form, exc, default_field="group")
            else:
                messages.success(request, f"Shared in {group.name}.")
                return redirect(made.get_absolute_url())
    return render(
        request,
        "feeds/share.html",
        {"post": post, "form": form, "targets": _share_targets(request)},
        status=400 if form.errors else 200,
    )


@require_GET
def shared_original(request, post_id: int):
    """The original of a share, as the reader may see it: what a live card asks for."""
    post = selectors.get_shared_original(request.user, post_id)
    return render(request, "feeds/_shared_original.html", {"post": post})


# --- Drafts and scheduled posts -------------------------------------------------------


def _group_or_error(request, slug: str, form):
    if not slug:
        return None
    try:
        return groups.get_listed_group(request.user, slug)
    except Http404:
        form.add_error("group", "Choose a group you belong to.")
        raise


@require_GET
def drafts_page(request):
    request.active_section = "feed"
    return render(
        request,
        "feeds/drafts.html",
        {"drafts": list(selectors.drafts_of(request.user)), "zone": my_zone(request)},
    )


@require_http_methods(["GET", "POST"])
def draft(request, draft_id: int):
    """One draft: change it, schedule it or cancel its schedule, publish it now, delete it."""
    request.active_section = "feed"
    found = selectors.get_own_draft(request.user, draft_id)
    zone = my_zone(request)
    initial = {
        "body": found.body,
        "group": found.group.slug if found.group_id else "",
        "kind": found.kind,
        "publish_at": found.publish_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
        if found.publish_at
        else "",
    }
    action = request.POST.get("action", "save")
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if action == "delete":
            drafts.delete_draft(actor=request.user, draft=found)
            messages.success(request, "Draft deleted.")
            return redirect("feeds:drafts")
        if action == "unschedule":
            drafts.unschedule_draft(actor=request.user, draft=found)
            messages.success(request, "Not scheduled any more: it stays in your drafts.")
            return redirect(found.get_absolute_url())
        if action not in ("save", "schedule", "publish"):
            raise BadRequest("action: save, schedule, unschedule, publish or delete.")
        if form.is_valid():
            response = _act_on_draft(request, found, form, action)
            if response is not None:
                return response
    return render(
        request,
        "feeds/draft.html",
        {"draft": found, "form": form, "targets": _share_targets(request), "zone": zone},
        status=400 if form.errors else 200,
    )


def _act_on_draft(request, found: Draft, form, action: str):
    try:
        group = _group_or_error(request, form.cleaned_data["group"], form)
    except Http404:
        return None
    try:
        drafts.update_draft(
            actor=request.user,
            draft=found,
            body=form.cleaned_data["body"],
            group=group,
            kind=form.cleaned_data["kind"],
        )
        if action == "schedule":
            publish_at = in_my_zone(request, form.cleaned_data["publish_at"])
            drafts.schedule_draft(actor=request.user, draft=found, publish_at=publish_at)
            messages.success(request, "Scheduled: it goes out on its own.")
            return redirect("feeds:drafts")
        if action == "publish":
            post = drafts.publish_draft(actor=request.user, draft=found)
            messages.success(request, "Your post is up.")
            return redirect(post.get_absolute_url())
    except ApplicationError as exc:
        show_on_form(form, exc, default_field="body")
        return None
    messages.success(request, "Draft saved.")
    return redirect(found.get_absolute_url())


# --- Praise ---------------------------------------------------------------------------


def badge_choices() -> list[dict]:
    return [
        {"value": value, "label": label, "emoji": BADGE_EMOJI[value]}
        for value, label in Badge.choices
    ]


@require_http_methods(["GET", "POST"])
def give_praise(request):
    request.active_section = "feed"
    initial = {"badge": Badge.THANK_YOU, "people": request.GET.get("people", "")[:200]}
    form = PraiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        post = _praise(request, form)
        if post is not None:
            messages.success(request, "Praise given: they are told.")
            return redirect(post.get_absolute_url())
    return render(
        request,
        "feeds/praise.html",
        {"form": form, "targets": _share_targets(request), "badges": badge_choices()},
        status=400 if form.errors else 200,
    )


def _praise(request, form):
    try:
        group = groups.get_listed_group(request.user, form.cleaned_data["group"])
    except Http404:
        form.add_error("group", "Choose a group you belong to.")
        return None
    try:
        people = praise.praised_people(form.cleaned_data["people"], actor=request.user)
        return praise.give_praise(
            actor=request.user,
            group=group,
            people=people,
            badge=form.cleaned_data["badge"],
            body=form.cleaned_data["body"],
        )
    except ApplicationError as exc:
        show_on_form(form, exc, default_field="body")
        return None
