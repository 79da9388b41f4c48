"""Offboarding an employee (admins): choose who leaves and who takes over, see what will
change, then confirm."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.forms import show_on_form
from core.wording import counted
from people import selectors as people

from .. import selectors, services
from ..forms import OffboardForm
from .common import _admin_only


@require_http_methods(["GET", "POST"])
def offboard(request):
    """Two steps: choose who leaves and who takes over (people pickers), see what will
    happen (the authorizations and certification revoked, the accounts to hand over), then
    confirm. Nothing changes before the confirmation."""
    _admin_only(request)
    form = OffboardForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            leaver = people.picked_person(form.cleaned_data["username"], field="username")
            successor = people.picked_person(form.cleaned_data["handover_to"], field="handover_to")
            if not form.cleaned_data["confirm"]:
                services.check_offboarding(actor=request.user, user=leaver, handover_to=successor)
                preview = selectors.offboarding_preview(
                    request.user, leaver=leaver, successor=successor
                )
            else:
                revoked = services.offboard_employee(
                    actor=request.user, user=leaver, handover_to=successor
                )
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            if preview is None:
                messages.success(
                    request,
                    f"{leaver.profile.display_name} is offboarded: "
                    f"{counted(revoked, 'authorization')} revoked, "
                    f"accounts flagged for {successor.profile.display_name}.",
                )
                return redirect("policies:accounts")
    return render(
        request,
        "policies/offboard.html",
        {"form": form, "preview": preview, "pick_url": reverse("people:pick")},
        status=400 if form.errors else 200,
    )
