"""The notification center, the badge, email preferences and the one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from people.selectors import get_account

from . import emails, selectors, services
from .forms import CursorForm, PreferencesForm
from .group_access import group_access

PAGE_SIZE = 20


def _section(request) -> None:
    request.active_section = "notifications"


@require_GET
def center(request):
    _section(request)
    form = CursorForm(request.GET)
    if not form.is_valid():
        raise BadRequest("This cursor is not valid.")
    notifications = selectors.notifications_of(request.user)
    if form.cleaned_data["unread"]:
        notifications = notifications.filter(read_at__isnull=True)
    try:
        page = paginate_keyset(
            notifications,
            ordering=selectors.ORDER,
            types=selectors.ORDER_TYPES,
            cursor=form.cleaned_data["cursor"] or None,
            size=PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    context = {
        "notifications": page.items,
        "next_cursor": page.next_cursor,
        "unread_only": form.cleaned_data["unread"],
    }
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "notifications/_page.html", context)
    return render(request, "notifications/center.html", context)


@require_GET
def count(request):
    """The badge alone: the live module swaps it in on a `notification.badge` event."""
    return render(
        request, "notifications/_badge.html", {"count": selectors.unread_count(request.user)}
    )


@require_POST
def mark_read(request, notification_id: int):
    notification = selectors.get_notification(request.user, notification_id)
    services.mark_read(actor=request.user, notification=notification)
    if request.POST.get("go") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    if request.htmx:
        return render(request, "notifications/_item.html", {"n": notification})
    return redirect("notifications:center")


@require_POST
def mark_all_read(request):
    changed = services.mark_all_read(actor=request.user)
    if not request.htmx:
        messages.success(request, f"Marked {changed} notification{'s' * (changed != 1)} read.")
    return redirect("notifications:center")


@require_http_methods(["GET", "POST"])
def preferences(request):
    _section(request)
    initial = {
        **selectors.preferences_of(request.user),
        "digest": selectors.digest_of(request.user),
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(
                actor=request.user,
                deliveries=form.deliveries(),
                digest=form.cleaned_data["digest"],
            )
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Your email preferences are saved.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "muted_groups": list(selectors.muted_groups(request.user))},
    )


@require_POST
def mute_group(request, slug: str):
    group = group_access().get_listed(request.user, slug)
    muted = request.POST.get("muted", "1") != "0"
    services.mute_group(actor=request.user, group=group, muted=muted)
    messages.success(
        request,
        f"No more email from {group.name}." if muted else f"Email from {group.name} is back on.",
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(group.get_absolute_url())


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST here without a session; the signed token decides
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link turns off and a button; POST (the button, or the mail
    client's one-click) turns it off. Works signed out: the token is the authority."""
    found = emails.read_unsubscribe_token(token)
    user = None
    if found is not None:
        user = get_account(pk=found[0])
    if user is None:  # a page that explains, not an error page (a 400 for a POST)
        status = 400 if request.method == "POST" else 200
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=status)
    scope = found[1]
    if request.method == "POST":
        try:
            what = services.unsubscribe(user=user, scope=scope)
        except ApplicationError:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "what": what})
    return render(
        request,
        "notifications/unsubscribe.html",
        {"what": emails.describe_scope(scope), "token": token},
    )
