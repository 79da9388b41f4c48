"""Group pages: the directory, a group's members, about and moderation tabs, and the
actions on them (join, leave, requests, member controls). The feed tab and the decisions on
reports act on posts and comments: they live in feeds.views (same URLs, same names).

Who sees what is decided by groups.selectors: a secret group is a 404 for a non-member; a
private group shows a non-member its name, description and "Ask to join" only.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from notifications.selectors import is_group_muted
from people import selectors as people
from people.roles import is_admin

from . import selectors, services
from .forms import (
    AuditFilterForm,
    DecisionForm,
    DirectoryFilterForm,
    GroupEditForm,
    GroupForm,
    InviteForm,
    JoinForm,
    MuteForm,
    RoleForm,
)
from .models import COVER_FOLDER, Group, Membership
from .tabs import tabs_for

DIRECTORY_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 30


def _section(request) -> None:
    request.active_section = "groups"


def _page(queryset, *, ordering, types, cursor, size):
    try:
        return paginate_keyset(queryset, ordering=ordering, types=types, cursor=cursor, size=size)
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc


# --- Directory and creating a group ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def directory(request):
    _section(request)
    create_form = GroupForm(request.POST or None)
    if request.method == "POST" and create_form.is_valid():
        try:
            group = services.create_group(actor=request.user, **create_form.cleaned_data)
        except ApplicationError as exc:
            show_on_form(create_form, exc)
        else:
            messages.success(request, "Your group is ready. Invite people from its Manage tab.")
            return redirect(group.get_absolute_url())
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    page = _page(
        selectors.directory(
            request.user, query=form.cleaned_data["q"], kind=form.cleaned_data["kind"]
        ),
        ordering=("name", "id"),
        types=(str, int),
        cursor=form.cleaned_data["cursor"] or None,
        size=DIRECTORY_PAGE_SIZE,
    )
    context = {
        "form": form,
        "groups": page.items,
        "next_cursor": page.next_cursor,
        "kinds": Group.Kind.choices,
        "create_form": create_form,
    }
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "groups/_directory_page.html", context)
    return render(
        request, "groups/directory.html", context, status=400 if create_form.errors else 200
    )


# --- The group page and its tabs ------------------------------------------------------


def group_context(request, slug: str, tab: str) -> dict:
    """The group, my place in it, and what I may do: shared by every tab (the feed tab in
    feeds.views too), for templates/groups/_header.html."""
    _section(request)
    group = selectors.get_listed_group(request.user, slug)
    membership = selectors.membership_of(request.user, group)
    readable = selectors.can_read(request.user, group, membership)
    moderator = selectors.can_moderate(request.user, group, membership)
    return {
        "group": group,
        "membership": membership,
        "readable": readable,
        "moderator": moderator,
        "owner_powers": is_admin(request.user)
        or (membership is not None and membership.role == Membership.Role.OWNER),
        "pending": None if membership else selectors.my_pending_request(request.user, group),
        "member_count": selectors.members(request.user, group).count() if readable else None,
        "tab": tab,
        "extra_tabs": tabs_for(group.slug, moderator=moderator) if readable else [],
        "join_form": JoinForm(),
        # The email menu shows its state (one query, members only).
        "email_muted": membership is not None and is_group_muted(request.user, group),
    }


@require_GET
def members(request, slug: str):
    context = group_context(request, slug, "members")
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    page = _page(
        selectors.members(request.user, context["group"]),
        ordering=("user__profile__display_name", "id"),
        types=(str, int),
        cursor=request.GET.get("cursor") or None,
        size=MEMBERS_PAGE_SIZE,
    )
    now = timezone.now()
    for m in page.items:
        m.muted_now = m.is_muted(now)
    context.update({"members": page.items, "next_cursor": page.next_cursor})
    if request.htmx and request.GET.get("cursor"):
        return render(request, "groups/_members_page.html", context)
    return render(request, "groups/members.html", context)


@require_GET
def about(request, slug: str):
    context = group_context(request, slug, "about")
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    context["leaders"] = list(selectors.leaders(context["group"]))
    return render(request, "groups/about.html", context)


@require_http_methods(["GET", "POST"])
def edit(request, slug: str):
    """A group's leaders (and admins) edit it: name, description, privacy with what each
    choice changes for whom, who may start posts, and the cover picture. 403 for anyone
    else who may see the group (a secret group stays a 404 for outsiders)."""
    context = group_context(request, slug, "edit")
    if not context["moderator"]:
        raise PermissionDenied("Only the group's leaders can edit it.")
    group = context["group"]
    initial = {
        "name": group.name,
        "description": group.description,
        "privacy": group.privacy,
        "posting": group.posting,
    }
    form = GroupEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cover = data["cover"] or (None if data["remove_cover"] else services.KEEP_COVER)
        try:
            services.edit_group(
                actor=request.user,
                group=group,
                name=data["name"],
                description=data["description"],
                privacy=data["privacy"],
                posting=data["posting"],
                cover=cover,
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc)
        else:
            messages.success(request, "The group is updated.")
            return redirect("groups:about", slug=group.slug)
    effects = selectors.privacy_effects(group)
    context.update(
        {
            "form": form,
            "privacy_choices": [
                (value, label, effects[value]) for value, label in Group.Privacy.choices
            ],
            "posting_choices": Group.Posting.choices,
            "chosen_privacy": form["privacy"].value(),
            "chosen_posting": form["posting"].value(),
        }
    )
    return render(request, "groups/edit.html", context, status=400 if form.errors else 200)


@require_GET
def cover(request, slug: str, name: str):
    """A group's cover picture, for whoever may see the group (its name and description
    are visible to them too); found by the group's row, never by a path."""
    group = selectors.get_listed_group(request.user, slug)
    if not group.cover or group.cover.name != f"{COVER_FOLDER}{name}":
        raise Http404("No such picture.")
    return serve_stored_file(
        name=group.cover.name,
        folder=COVER_FOLDER,
        filename=f"{group.slug}-cover.png",
        content_type="image/png",
        inline=True,
        max_age=86400,
    )


@require_GET
def moderation(request, slug: str):
    context = group_context(request, slug, "moderation")
    if not context["moderator"]:
        raise PermissionDenied("Only the group's leaders can moderate it.")
    group = context["group"]
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    page = _page(
        selectors.audit_log(
            request.user,
            group,
            action=form.cleaned_data["action"],
            actor=form.cleaned_data["actor"],
        ),
        ordering=("-created_at", "-id"),
        types=(dt.datetime, int),
        cursor=form.cleaned_data["cursor"] or None,
        size=AUDIT_PAGE_SIZE,
    )
    context.update({"audit": page.items, "next_cursor": page.next_cursor, "audit_form": form})
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "groups/_audit_page.html", context)
    context.update(
        {
            "requests": list(selectors.pending_requests(request.user, group)),
            "reports": list(selectors.open_reports(request.user, group)),
            "invite_form": InviteForm(),
        }
    )
    return render(request, "groups/moderation.html", context)


# --- Joining and leaving --------------------------------------------------------------


@require_POST
def join(request, slug: str):
    group = selectors.get_listed_group(request.user, slug)
    form = JoinForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Keep the message under 500 characters.")
    result = services.join_group(
        actor=request.user, group=group, message=form.cleaned_data["message"]
    )
    if isinstance(result, Membership):
        messages.success(request, f"Welcome to {group.name}.")
    else:
        messages.success(request, "You asked to join. The group's leaders will decide.")
    return redirect(group.get_absolute_url())


@require_POST
def cancel_request(request, slug: str):
    group = selectors.get_listed_group(request.user, slug)
    services.cancel_join_request(actor=request.user, group=group)
    messages.success(request, "Your request to join is withdrawn.")
    return redirect(group.get_absolute_url())


@require_POST
def leave(request, slug: str):
    group = selectors.get_listed_group(request.user, slug)
    services.leave_group(actor=request.user, group=group)
    messages.success(request, f"You left {group.name}.")
    if group.is_secret:  # gone from my view: the page would be a 404 now
        return redirect("groups:directory")
    return redirect(group.get_absolute_url())


# --- Leaders' actions -----------------------------------------------------------------


def moderated_group(request, slug: str) -> Group:
    """The group, if I lead it: 404 if I may not know it, 403 if I may not moderate it."""
    group = selectors.get_listed_group(request.user, slug)
    if not selectors.can_moderate(request.user, group):
        raise PermissionDenied("Only the group's leaders can do that.")
    return group


@require_POST
def decide_request(request, slug: str, request_id: int):
    group = moderated_group(request, slug)
    join_request = selectors.get_pending_request(request.user, group, request_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Approve or deny.")
    services.decide_join_request(
        actor=request.user, join_request=join_request, approve=form.cleaned_data["approve"]
    )
    name = join_request.user.profile.display_name
    messages.success(
        request, f"{name} is a member now." if form.cleaned_data["approve"] else "Request denied."
    )
    return redirect("groups:moderation", slug=group.slug)


@require_POST
def invite(request, slug: str):
    group = moderated_group(request, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Give a username.")
    try:
        person = people.get_visible_profile(
            viewer=request.user, username=form.cleaned_data["username"].strip().lstrip("@")
        )
    except Http404:
        messages.error(request, "Nobody has that username.")
        return redirect("groups:moderation", slug=group.slug)
    services.invite_member(actor=request.user, group=group, user=person.user)
    messages.success(request, f"{person.display_name} is a member now.")
    return redirect("groups:moderation", slug=group.slug)


@require_POST
def remove_member(request, slug: str, username: str):
    group = moderated_group(request, slug)
    member = selectors.get_member(request.user, group, username)
    services.remove_member(
        actor=request.user,
        group=group,
        user=member.user,
        reason=request.POST.get("reason", "")[:500],
    )
    messages.success(request, f"{member.user.profile.display_name} is no longer a member.")
    return redirect("groups:members", slug=group.slug)


@require_POST
def mute_member(request, slug: str, username: str):
    group = moderated_group(request, slug)
    member = selectors.get_member(request.user, group, username)
    form = MuteForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Mute for 1 to 365 days, or 0 to unmute.")
    days = form.cleaned_data["days"]
    until = timezone.now() + dt.timedelta(days=days) if days else None
    services.mute_member(
        actor=request.user,
        group=group,
        user=member.user,
        until=until,
        reason=form.cleaned_data["reason"],
    )
    name = member.user.profile.display_name
    messages.success(
        request,
        f"{name} is muted for {days} day{'s' if days != 1 else ''}."
        if days
        else f"{name} can post again.",
    )
    return redirect("groups:members", slug=group.slug)


@require_POST
def change_role(request, slug: str, username: str):
    group = selectors.get_listed_group(request.user, slug)
    member = selectors.get_member(request.user, group, username)
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose member, leader or owner.")
    services.change_role(
        actor=request.user, group=group, user=member.user, role=form.cleaned_data["role"]
    )
    role = Membership.Role(form.cleaned_data["role"]).label.lower()
    messages.success(request, f"{member.user.profile.display_name} is now {role}.")
    return redirect("groups:members", slug=group.slug)
