"""Policy pages: the current policy and its acknowledgement, versions and their diffs, the
certification quiz, the brand account registry, and the admins' pages (drafts, quiz editor,
report, settings, offboarding, audit log).

Who may see what is policies.selectors'; who may change what is policies.services'.
"""

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from core.versioning import compared_numbers
from core.wording import counted
from people import selectors as people
from people.roles import is_admin

from . import selectors, services
from .forms import (
    AccountForm,
    OffboardForm,
    PersonForm,
    QuizForm,
    ReportForm,
    RevokeForm,
    SettingsForm,
    VersionForm,
)
from .models import PolicySettings, PolicyVersion

AUDIT_PAGE_SIZE = 40


def _section(request) -> None:
    request.active_section = "policy"


def _admin_only(request) -> None:
    _section(request)
    if not is_admin(request.user):
        raise PermissionDenied("Only admins can see this page.")


def _refuse(request, exc: ApplicationError, to: str):
    """An action from a button: the message on the page it came from (403s too)."""
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)
    return redirect(to)


# --- The current policy ---------------------------------------------------------------


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


# --- The quiz -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def quiz_editor(request, number: int):
    _admin_only(request)
    found = selectors.get_visible_version(request.user, number)
    existing = selectors.quiz_of(found)
    form = QuizForm(
        request.POST or None,
        initial={
            "pass_mark": existing.pass_mark if existing else 80,
            "questions": services.quiz_as_text(existing),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_quiz(
                actor=request.user,
                version=found,
                pass_mark=form.cleaned_data["pass_mark"],
                questions=services.parse_quiz_text(form.cleaned_data["questions"]),
            )
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Quiz saved.")
            return redirect(found.get_absolute_url())
    context = {"version": found, "form": form, "quiz": existing}
    return render(request, "policies/quiz_editor.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def quiz(request):
    """Employees take the quiz. The page carries questions and choice ids only; the answer
    key stays on the server, which scores the submission."""
    _section(request)
    current_quiz = selectors.current_quiz()
    if current_quiz is None:
        return render(request, "policies/quiz.html", {"quiz": None})
    error, attempt = "", None
    if request.method == "POST":
        answers = {
            key.removeprefix("q"): value
            for key, value in request.POST.items()
            if key.startswith("q") and key[1:].isdigit()
        }
        try:
            attempt = services.submit_quiz(actor=request.user, quiz=current_quiz, answers=answers)
        except ApplicationError as exc:
            if exc.status == 403:
                messages.error(request, exc.message)
                return redirect("policies:current")
            error = exc.message
    context = {
        "quiz": current_quiz,
        "attempt": attempt,
        "error": error,
        "chosen": set(request.POST.values()) if error else set(),
        "certification": selectors.active_certification(request.user),
        "acknowledged": selectors.has_acknowledged_current(request.user),
    }
    return render(request, "policies/quiz.html", context, status=400 if error else 200)


# --- Report ---------------------------------------------------------------------------


def _report_version(request, form) -> PolicyVersion:
    number = form.cleaned_data.get("version")
    found = (
        selectors.get_visible_version(request.user, number)
        if number
        else selectors.current_version()
    )
    if found is None or found.is_draft:
        raise Http404("No published policy to report on.")
    return found


@require_GET
def report(request):
    _admin_only(request)
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    if selectors.current_version() is None:
        return render(request, "policies/report.html", {"version": None})
    found = _report_version(request, form)
    rows = selectors.acknowledgement_report(request.user, found)
    context = {
        "version": found,
        "rows": rows,
        "total": sum(r.employees for r in rows),
        "acknowledged": sum(r.acknowledged for r in rows),
        "versions": selectors.visible_versions(request.user).exclude(
            status=PolicyVersion.Status.DRAFT
        ),
    }
    context["pending"] = context["total"] - context["acknowledged"]
    return render(request, "policies/report.html", context)


class _Echo:
    def write(self, value):
        return value


@require_GET
def report_csv(request):
    _admin_only(request)
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    found = _report_version(request, form)
    rows = selectors.acknowledgement_rows(
        request.user, found, department=form.cleaned_data["department"]
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["department", "name", "username", "status", "acknowledged_at"])
        for department, name, username, acknowledged_at in rows:
            yield writer.writerow(
                [
                    _cell(department or "No department"),
                    _cell(name),
                    _cell(username),
                    "acknowledged" if acknowledged_at else "pending",
                    acknowledged_at.isoformat() if acknowledged_at else "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"policy-v{found.number}-acknowledgements-{dt.date.today():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value: str) -> str:
    """No spreadsheet formulas from user text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Certified people -----------------------------------------------------------------


@require_GET
def representatives(request):
    _section(request)
    context = {
        "certifications": list(selectors.representatives(request.user)),
        "admin": is_admin(request.user),
        "settings": selectors.policy_settings(),
    }
    return render(request, "policies/representatives.html", context)


@require_POST
def revoke_certification(request, username: str):
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    person = people.get_account(username=username)
    if person is None:
        raise Http404("No such person.")
    try:
        services.revoke_certification(actor=request.user, user=person, reason=reason)
    except ApplicationError as exc:
        return _refuse(request, exc, reverse("policies:representatives"))
    messages.success(request, f"{username} is no longer a certified representative.")
    return redirect("policies:representatives")


# --- Brand accounts -------------------------------------------------------------------


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


# --- Admins: settings, offboarding, audit ---------------------------------------------


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


@require_GET
def audit(request):
    _admin_only(request)
    try:
        page = paginate_keyset(
            selectors.audit_log(request.user),
            ordering=("-created_at", "-id"),
            types=(dt.datetime, int),
            cursor=request.GET.get("cursor") or None,
            size=AUDIT_PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    return render(
        request, "policies/audit.html", {"entries": page.items, "next_cursor": page.next_cursor}
    )
