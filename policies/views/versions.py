"""The policy's pages: the current policy, the versions (admins write drafts), one version
(admins edit a draft), publishing, acknowledging, the diff of two versions, and the settings
the policy is enforced under (admins)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.versioning import compared_numbers
from people.roles import is_admin

from .. import selectors, services
from ..forms import SettingsForm, VersionForm
from ..models import PolicySettings, PolicyVersion
from .common import _admin_only, _refuse, _section


@require_GET
def current(request):
    _section(request)
    version = selectors.current_version()
    quiz = selectors.current_quiz()
    context = {
        "version": version,
        "acknowledgement": selectors.acknowledgement_of(request.user, version),
        "quiz": quiz,
        "certification": selectors.active_certification(request.user),
        "last_attempt": selectors.last_attempt(request.user, quiz),
        "admin": is_admin(request.user),
        "previous": version
        and selectors.visible_versions(request.user)
        .filter(number__lt=version.number)
        .exclude(status=PolicyVersion.Status.DRAFT)
        .first(),
        "settings": selectors.policy_settings(),
    }
    return render(request, "policies/current.html", context)


@require_http_methods(["GET", "POST"])
def versions(request):
    _section(request)
    form = VersionForm(request.POST or None)
    if request.method == "POST":
        if not is_admin(request.user):
            raise PermissionDenied("Only admins write policy versions.")
        if form.is_valid():
            try:
                version = services.create_version(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"Draft version {version.number} saved.")
                return redirect(version.get_absolute_url())
    all_versions = list(selectors.visible_versions(request.user).select_related("published_by"))
    last = selectors.visible_versions(request.user).order_by("-number").first()
    if request.method == "GET" and last is not None:
        form = VersionForm(initial={"title": last.title, "body": last.body})
    context = {
        "versions": all_versions,
        "form": form,
        "admin": is_admin(request.user),
    }
    return render(request, "policies/versions.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def version(request, number: int):
    _section(request)
    found = selectors.get_visible_version(request.user, number)
    admin = is_admin(request.user)
    form = None
    if admin and found.is_draft:
        form = VersionForm(
            request.POST or None,
            initial={
                "title": found.title,
                "body": found.body,
                "change_note": found.change_note,
                "requires_recertification": found.requires_recertification,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only admins edit drafts.")
        if form.is_valid():
            try:
                services.edit_version(actor=request.user, version=found, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Draft saved.")
                return redirect(found.get_absolute_url())
    context = {
        "version": found,
        "form": form,
        "admin": admin,
        "acknowledgement": selectors.acknowledgement_of(request.user, found),
        "quiz": selectors.quiz_of(found) if admin else None,
        # Telling everyone about a published version: its progress, for admins.
        "publication": selectors.publication_of(request.user, found),
        "previous": selectors.visible_versions(request.user)
        .filter(number__lt=found.number)
        .exclude(status=PolicyVersion.Status.DRAFT)
        .first(),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "policies/version.html", context, status=status)


@require_POST
def publish(request, number: int):
    found = selectors.get_visible_version(request.user, number)
    try:
        services.publish_version(actor=request.user, version=found)
    except ApplicationError as exc:
        return _refuse(request, exc, found.get_absolute_url())
    messages.success(
        request,
        f"Version {found.number} is now the policy. Everyone is being notified: the progress "
        "is below.",
    )
    return redirect(found.get_absolute_url())


@require_POST
def acknowledge(request, number: int):
    found = selectors.get_visible_version(request.user, number)
    try:
        services.acknowledge_version(actor=request.user, version=found)
    except ApplicationError as exc:
        return _refuse(request, exc, found.get_absolute_url())
    messages.success(request, "Thank you: your acknowledgement is recorded.")
    return redirect("policies:current")


@require_GET
def diff(request):
    _section(request)
    old_number, new_number = compared_numbers(request.GET)
    old = selectors.get_visible_version(request.user, old_number)
    new = selectors.get_visible_version(request.user, new_number)
    context = {
        "old": old,
        "new": new,
        "lines": selectors.diff_versions(old, new),
        "versions": selectors.visible_versions(request.user),
    }
    return render(request, "policies/diff.html", context)


# --- Settings ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request):
    _admin_only(request)
    current_settings = selectors.policy_settings()
    initial = {
        "acknowledgement_gate": current_settings.acknowledgement_gate,
        "engagement_model": current_settings.engagement_model,
        "reminder_days": current_settings.reminder_days,
        "ownership_statement": current_settings.ownership_statement,
        "designated_departments": []
        if current_settings._state.adding
        else list(current_settings.designated_departments.all()),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Policy settings saved.")
            return redirect("policies:settings")
    context = {"form": form, "gates": PolicySettings.Gate}
    return render(request, "policies/settings.html", context, status=400 if form.errors else 200)
