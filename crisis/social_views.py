"""The social pages every employee reads: "Who does what in social" (the org chart) and the
brand activity feed (live, never with customer personal data)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ApplicationError
from core.pagination import InvalidCursor, paginate_keyset
from policies import selectors as policies

from . import selectors, services
from .forms import BrandPostForm

PAGE_SIZE = 30


def _section(request) -> None:
    request.active_section = "social"


def org(request):
    _section(request)
    context = {"chart": selectors.org_chart(request.user), "tab": "org"}
    return render(request, "crisis/org.html", context)


def _activity_page(request):
    try:
        return paginate_keyset(
            selectors.brand_activity(request.user),
            ordering=("-occurred_at", "-id"),
            types=(dt.datetime, int),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc


@require_http_methods(["GET", "POST"])
def activity(request):
    _section(request)
    accounts = list(policies.brand_accounts(request.user))
    form = BrandPostForm(request.POST or None)
    form.fields["account"].widget.choices = [(a.pk, str(a)) for a in accounts]
    if request.method == "POST" and form.is_valid():
        account = next((a for a in accounts if a.pk == form.cleaned_data["account"]), None)
        try:
            services.record_brand_post(
                actor=request.user,
                account=account,
                text=form.cleaned_data["text"],
                url=form.cleaned_data["url"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Recorded: it is in the brand activity feed.")
            return redirect("social:activity")
    page = _activity_page(request)
    context = {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "form": form if accounts else None,
        "tab": "activity",
    }
    return render(request, "crisis/activity.html", context, status=400 if form.errors else 200)


@require_GET
def activity_items(request):
    """The newest page of the feed, for the live refresh (and the next page with a cursor)."""
    page = _activity_page(request)
    return render(
        request,
        "crisis/_activity_items.html",
        {"items": page.items, "next_cursor": page.next_cursor},
    )
