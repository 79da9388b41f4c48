"""Compose: posting (or keeping the text as a draft, or scheduling it), the preview, and
the composer's "#" topic suggestions; dates typed in the person's own time zone."""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from groups import selectors as groups

from .. import drafts, selectors, services
from ..forms import PostForm
from .common import back, compose_context, decorate, fragment_error


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


def _posted_text(post):
    """What the author of an announcement to the whole company is told once it is up: the
    company is told by a task, whose progress the post's page shows."""
    return format_html(
        "Your announcement is up. Everyone in the company is being told: "
        '<a href="{}">follow it on the post\'s page</a>.',
        post.get_absolute_url(),
    )


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
            told = _posted_text(post) if selectors.tells_company(post) else None
            if not request.htmx:
                messages.success(request, told or "Your post is up.")
                return back(request, group.get_absolute_url())
            post = selectors.get_visible_post(request.user, post.pk)
            return render(
                request,
                "feeds/_posted.html",
                {
                    "post": decorate(request, [post])[0],
                    "moderator": can_announce,
                    "show_group": request.POST.get("from") == "home",
                    "status": told,  # in the compose box's status line, out of band
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
