"""The brand account pages: the registry (admins register accounts), one account (admins
edit it and see its history), authorizing and revoking who may post on it, and completing a
handover."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from people import selectors as people
from people.roles import is_admin

from .. import selectors, services
from ..forms import AccountForm, PersonForm
from .common import _refuse, _section


@require_http_methods(["GET", "POST"])
def accounts(request):
    _section(request)
    admin = is_admin(request.user)
    form = AccountForm(request.POST or None) if admin else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only admins manage brand accounts.")
        if form.is_valid():
            try:
                account = services.create_brand_account(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"{account} is in the registry.")
                return redirect(account.get_absolute_url())
    context = {
        "accounts": list(selectors.brand_accounts(request.user)),
        "form": form,
        "admin": admin,
        "settings": selectors.policy_settings(),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "policies/accounts.html", context, status=status)


@require_http_methods(["GET", "POST"])
def account(request, account_id: int):
    _section(request)
    found = selectors.get_brand_account(request.user, account_id)
    admin = is_admin(request.user)
    form = None
    if admin:
        form = AccountForm(
            request.POST or None,
            initial={
                "platform": found.platform,
                "handle": found.handle,
                "url": found.url,
                "department": found.department_id,
                "description": found.description,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only admins manage brand accounts.")
        if form.is_valid():
            try:
                services.edit_brand_account(actor=request.user, account=found, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect(found.get_absolute_url())
    context = {
        "account": found,
        "form": form,
        "admin": admin,
        "person_form": PersonForm(),
        "history": list(selectors.authorization_history(request.user, found)[:50]) if admin else [],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "policies/account.html", context, status=status)


@require_POST
def authorize(request, account_id: int):
    found = selectors.get_brand_account(request.user, account_id)
    form = PersonForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give a username.", field="username")
        person = people.picked_person(form.cleaned_data["username"], field="username")
        services.authorize_person(actor=request.user, account=found, user=person)
    except ApplicationError as exc:
        return _refuse(request, exc, found.get_absolute_url())
    messages.success(request, f"{person.username} may now post on {found}.")
    return redirect(found.get_absolute_url())


@require_POST
def revoke_authorization(request, account_id: int, username: str):
    found = selectors.get_brand_account(request.user, account_id)
    person = people.get_account(username=username, active=False)  # or offboarded
    if person is None:
        raise Http404("No such person.")
    try:
        services.revoke_authorization(actor=request.user, account=found, user=person)
    except ApplicationError as exc:
        return _refuse(request, exc, found.get_absolute_url())
    messages.success(request, f"{username} may no longer post on {found}.")
    return redirect(found.get_absolute_url())


@require_POST
def handover(request, account_id: int):
    found = selectors.get_brand_account(request.user, account_id)
    try:
        services.complete_handover(actor=request.user, account=found)
    except ApplicationError as exc:
        return _refuse(request, exc, found.get_absolute_url())
    messages.success(request, "Handover complete.")
    return redirect(found.get_absolute_url())
