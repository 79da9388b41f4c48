"""The admin's pages: SCIM tokens (create, revoke; the key shown once) and the directory
import (dry run, then apply). Who may do what is directory.services'."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from people.roles import is_admin

from . import selectors, services
from .forms import ImportForm, TokenForm


def _admin_only(request) -> None:
    request.active_section = "admin"
    if not is_admin(request.user):
        raise PermissionDenied("Only admins can see this page.")


@require_http_methods(["GET", "POST"])
def scim_tokens(request):
    _admin_only(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.create_scim_token(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            form = TokenForm()
    response = render(
        request,
        "directory/scim_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.scim_tokens(),
            "entries": selectors.recent_directory_audit(),
            "scim_url": request.build_absolute_uri("/scim/v2/"),
        },
        status=400 if form.errors else 200,
    )
    # The key is on this page once: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke_scim_token(request, token_id: int):
    _admin_only(request)
    token = get_object_or_404(selectors.scim_tokens(), pk=token_id)
    services.revoke_scim_token(actor=request.user, token=token)
    return redirect("directory:scim-tokens")


@require_http_methods(["GET", "POST"])
def import_directory(request):
    _admin_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        options = {
            "actor": request.user,
            "text": form.cleaned_data["text"],
            "authoritative": form.cleaned_data["authoritative"],
            "create_departments": form.cleaned_data["create_departments"],
        }
        apply = request.POST.get("action") == "apply"
        plan = services.apply_import(**options) if apply else services.plan_import(**options)
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "plan": plan,
            "text": form.cleaned_data.get("text") if plan else "",
            "sync_job": None if plan else selectors.running_import_sync(),
        },
        status=400 if form.errors or (plan and plan.errors) else 200,
    )
