"""The crisis team and the departments' social mentors, named and removed by admins."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from people import selectors as people
from people.roles import is_admin
from policies import selectors as policies
from policies import services as policy_services

from .. import selectors, services
from ..forms import CrisisRoleForm, MentorForm
from ..models import CrisisRole
from .common import _refuse_or_say, _section


def _admin_only(request) -> None:
    _section(request)
    if not is_admin(request.user):
        raise PermissionDenied("Only admins name the crisis team and the mentors.")


def _person(username: str):
    person = people.get_account(username=(username or "").strip().lstrip("@"))
    if person is None:
        raise ApplicationError("Nobody active here has this username.", field="username")
    return person


@require_http_methods(["GET", "POST"])
def team(request):
    _admin_only(request)
    role_form = CrisisRoleForm(request.POST if "role" in request.POST else None)
    mentor_form = MentorForm(request.POST if "department" in request.POST else None)
    for form, act in (
        (
            role_form,
            lambda d: services.name_crisis_role(
                actor=request.user, user=_person(d["username"]), role=d["role"]
            ),
        ),
        (
            mentor_form,
            lambda d: policy_services.name_mentor(
                actor=request.user, department=d["department"], user=_person(d["username"])
            ),
        ),
    ):
        if form.is_bound and form.is_valid():
            try:
                act(form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("crisis:team")
    context = {
        "roles": selectors.crisis_team(request.user).order_by(
            "role", "user__profile__display_name"
        ),
        "mentorships": policies.mentorships(request.user),
        "role_form": role_form,
        "mentor_form": mentor_form,
        "tab": "team",
    }
    bad = role_form.errors or mentor_form.errors
    return render(request, "crisis/team.html", context, status=400 if bad else 200)


@require_POST
def team_remove(request):
    _admin_only(request)
    try:
        user = _person(request.POST.get("username", ""))
        if request.POST.get("department"):
            department = people.get_department(request.POST["department"])
            if department is None:
                raise ApplicationError("No department has this slug.", field="department")
            policy_services.remove_mentor(actor=request.user, department=department, user=user)
        else:
            role = request.POST.get("role", "")
            if role not in CrisisRole.Role.values:
                raise ApplicationError("Choose lead, communications or legal.", field="role")
            services.remove_crisis_role(actor=request.user, user=user, role=role)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
    return redirect("crisis:team")
