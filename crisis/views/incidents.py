"""Incidents: the list and the declare form (filled in from a listening alert), the
incident page and its live timeline, notes, close, the announcement, and the held replies."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor, paginate_keyset
from monitoring import selectors as monitoring

from .. import selectors, services
from ..forms import AnnouncementForm, CloseForm, IncidentForm, NoteForm
from .common import _refuse_or_say, _section

PAGE_SIZE = 30


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
