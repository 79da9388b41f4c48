"""Crisis pages: incidents (declare, timeline, notes, announcement, close, report), held
replies, the playbook (versions, diff, acknowledgement) and the crisis team.

Who may see what is crisis.selectors'; who may change what is crisis.services'.
"""

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from core.versioning import compared_numbers
from monitoring import selectors as monitoring
from people import selectors as people
from people.roles import is_admin
from policies import selectors as policies
from policies import services as policy_services

from . import selectors, services
from .forms import (
    AnnouncementForm,
    CloseForm,
    CrisisRoleForm,
    IncidentForm,
    MentorForm,
    NoteForm,
    PlaybookForm,
)
from .models import CrisisRole

PAGE_SIZE = 30


def _section(request) -> None:
    request.active_section = "social"


def _refuse_or_say(request, exc: ApplicationError) -> None:
    """An action from a button: a refusal is the 403 page, anything else a message."""
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)


# --- Incidents ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def incidents(request):
    _section(request)
    may_declare = selectors.may_declare(request.user)
    form = IncidentForm(request.POST or None) if may_declare else None
    if form is not None and request.method == "GET" and "alert" in request.GET:
        # "Declare an incident" on a listening alert's page lands here, filled in from it.
        form = IncidentForm.from_alert(_alert(request, request.GET["alert"]))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the social team and admins declare incidents.")
        if form.is_valid():
            fields = dict(form.cleaned_data)
            alert_id = fields.pop("alert")
            try:
                incident = services.declare_incident(
                    actor=request.user,
                    alert=_alert(request, alert_id) if alert_id else None,
                    **fields,
                )
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                return redirect(incident.get_absolute_url())
    try:
        page = paginate_keyset(
            selectors.readable_incidents(request.user),
            ordering=("-declared_at", "-id"),
            types=(dt.datetime, int),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    context = {
        "incidents": page.items,
        "next_cursor": page.next_cursor,
        "form": form,
        "tab": "incidents",
    }
    return render(
        request, "crisis/incidents.html", context, status=400 if form and form.errors else 200
    )


def _alert(request, alert_id):
    """The listening alert named by `alert_id` if the viewer sees it; 404 otherwise."""
    if not str(alert_id).isdigit() or len(str(alert_id)) > 18:
        raise Http404("No such alert.")
    return monitoring.get_visible_alert(request.user, int(alert_id))


def incident(request, incident_id: int):
    _section(request)
    found = selectors.get_readable_incident(request.user, incident_id)
    writer = selectors.may_write_incident(request.user, found)
    context = {
        "incident": found,
        "entries": selectors.timeline(request.user, found),
        "held": selectors.pending_held_replies(request.user, found),
        "writer": writer and found.is_open,
        "may_announce": selectors.may_announce(request.user) and found.is_open,
        "note_form": NoteForm(),
        "close_form": CloseForm(),
        "announcement_form": AnnouncementForm(),
        "tab": "incidents",
    }
    return render(request, "crisis/incident.html", context)


@require_GET
def timeline(request, incident_id: int):
    """The entries after `after` (an entry id), for the page's live updates."""
    found = selectors.get_readable_incident(request.user, incident_id)
    raw = request.GET.get("after", "")
    after = int(raw) if raw.isdigit() else None
    entries = selectors.timeline(request.user, found, after=after)
    return render(request, "crisis/_entries.html", {"entries": entries})


@require_POST
def add_note(request, incident_id: int):
    found = selectors.get_readable_incident(request.user, incident_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["text"][0])
        return redirect(found.get_absolute_url())
    try:
        services.add_note(actor=request.user, incident=found, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
    return redirect(found.get_absolute_url())


@require_POST
def close(request, incident_id: int):
    found = selectors.get_readable_incident(request.user, incident_id)
    form = CloseForm(request.POST)
    resolution = form.cleaned_data["resolution"] if form.is_valid() else ""
    try:
        services.close_incident(actor=request.user, incident=found, resolution=resolution)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
        return redirect(found.get_absolute_url())
    messages.success(request, "The incident is closed; its report is ready.")
    return redirect("crisis:report", found.pk)


@require_POST
def announce(request, incident_id: int):
    found = selectors.get_readable_incident(request.user, incident_id)
    form = AnnouncementForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["body"][0])
        return redirect(found.get_absolute_url())
    try:
        post = services.publish_announcement(
            actor=request.user, incident=found, body=form.cleaned_data["body"]
        )
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
        return redirect(found.get_absolute_url())
    messages.success(request, "The announcement is pinned in All company.")
    return redirect(post.get_absolute_url())


@require_POST
def decide_held_reply(request, held_id: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404("Approve or reject.")
    held = selectors.get_held_reply(request.user, held_id)
    try:
        if decision == "approve":
            services.approve_held_reply(actor=request.user, held=held)
            messages.success(request, "Approved: the reply is sent.")
        else:
            services.reject_held_reply(actor=request.user, held=held)
            messages.success(request, "The held reply is rejected.")
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
    return redirect(held.incident.get_absolute_url())


def _report(request, incident_id: int):
    found = selectors.get_readable_incident(request.user, incident_id)
    if found.is_open:
        raise Http404("The report is ready when the incident closes.")
    return selectors.incident_report(found)


def report(request, incident_id: int):
    _section(request)
    found = _report(request, incident_id)
    return render(request, "crisis/report.html", {"report": found, "incident": found.incident})


def report_markdown(request, incident_id: int):
    found = _report(request, incident_id)
    body = render_to_string(
        "crisis/report.md", {"report": found, "rows": selectors.report_rows(found)}
    )
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident_id}-report.md"'
    return response


def report_csv(request, incident_id: int):
    found = _report(request, incident_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident_id}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "item", "value"])
    for row in selectors.report_rows(found):
        writer.writerow([_csv_safe(v) for v in row])
    return response


def _csv_safe(value: str) -> str:
    """No formula injection in a spreadsheet: a cell never starts with = + - @."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --- The playbook ---------------------------------------------------------------------


def _playbook_reader(request) -> None:
    _section(request)
    if not selectors.may_read_playbook(request.user):
        raise PermissionDenied("The crisis playbook is for the crisis team and the social team.")


def playbook(request):
    _playbook_reader(request)
    version = selectors.current_playbook()
    context = {
        "version": version,
        "acknowledgement": selectors.playbook_acknowledgement(request.user, version),
        "statements": selectors.holding_statements(version),
        "team": selectors.playbook_acknowledgements(request.user, version) if version else [],
        "writer": selectors.may_write_playbook(request.user),
        "tab": "playbook",
    }
    return render(request, "crisis/playbook.html", context)


@require_http_methods(["GET", "POST"])
def playbook_versions(request):
    _playbook_reader(request)
    writer = selectors.may_write_playbook(request.user)
    versions = selectors.visible_playbook_versions(request.user)
    latest = versions.first()
    form = None
    if writer:
        initial = {"title": latest.title, "body": latest.body} if latest else {}
        form = PlaybookForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only admins and crisis leads write the playbook.")
        if form.is_valid():
            try:
                version = services.create_playbook_version(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"Draft {version.number} saved.")
                return redirect(version.get_absolute_url())
    context = {"versions": list(versions), "form": form, "writer": writer, "tab": "playbook"}
    return render(
        request,
        "crisis/playbook_versions.html",
        context,
        status=400 if form and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def playbook_version(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    writer = selectors.may_write_playbook(request.user)
    form = None
    if writer and version.is_draft:
        form = PlaybookForm(
            request.POST or None,
            initial={
                "title": version.title,
                "body": version.body,
                "change_note": version.change_note,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only drafts change, by admins and crisis leads.")
        if form.is_valid():
            try:
                services.edit_playbook_version(
                    actor=request.user, version=version, **form.cleaned_data
                )
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Draft saved.")
                return redirect(version.get_absolute_url())
    previous = (
        selectors.visible_playbook_versions(request.user).filter(number__lt=version.number).first()
    )
    context = {
        "version": version,
        "previous": previous,
        "form": form,
        "writer": writer,
        "acknowledgement": selectors.playbook_acknowledgement(request.user, version),
        "tab": "playbook",
    }
    return render(
        request,
        "crisis/playbook_version.html",
        context,
        status=400 if form and form.errors else 200,
    )


@require_POST
def publish_playbook(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    try:
        services.publish_playbook_version(actor=request.user, version=version)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
        return redirect(version.get_absolute_url())
    messages.success(request, f"Version {version.number} is the playbook now.")
    return redirect("crisis:playbook")


@require_POST
def acknowledge_playbook(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    try:
        services.acknowledge_playbook(actor=request.user, version=version)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
    return redirect("crisis:playbook")


@require_GET
def playbook_diff(request):
    _playbook_reader(request)
    old_number, new_number = compared_numbers(request.GET)
    old = selectors.get_playbook_version(request.user, old_number)
    new = selectors.get_playbook_version(request.user, new_number)
    context = {
        "old": old,
        "new": new,
        "lines": selectors.diff_playbook(old, new),
        "versions": selectors.visible_playbook_versions(request.user),
        "tab": "playbook",
    }
    return render(request, "crisis/playbook_diff.html", context)


# --- The crisis team and the mentors (admins) -----------------------------------------


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
