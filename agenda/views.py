"""Event pages and fragments: the upcoming events with my calendar feed, "New event" and
"Edit event", answering (htmx or plain), cancelling, who answered, the .ics download, and
the personal calendar feed (signed URL, no session).

Each view parses, asks one service or selector, and renders.
"""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.pagination import InvalidCursor
from feeds.views import back
from groups import selectors as groups
from groups.composing import compose_in_group
from people import selectors as people

from . import ics, selectors, services
from .forms import AnswerForm, EventForm


def _fragment(request, event, *, status=200):
    selectors.attach_viewer([event], viewer=request.user)
    return render(
        request, "agenda/_event.html", {"post": event.post, "extra": event}, status=status
    )


def _local_initial(event) -> dict:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    return {
        "title": event.title,
        "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
        "time_zone": event.time_zone,
        "location": event.location,
        "online_url": event.online_url,
    }


@require_GET
def upcoming(request):
    request.active_section = "feed"
    token = selectors.calendar_token(request.user)
    return render(
        request,
        "agenda/upcoming.html",
        {
            "events": selectors.upcoming_events(request.user),
            "feed_url": request.build_absolute_uri(reverse("agenda:calendar", args=[token])),
        },
    )


@require_http_methods(["GET", "POST"])
def new_event(request):
    request.active_section = "feed"
    zone = people.profile_of(request.user).timezone
    form, group, event = compose_in_group(
        request,
        make_form=lambda data, slug: EventForm(data, initial={"group": slug, "time_zone": zone}),
        publish=lambda group, data: services.create_event(
            actor=request.user,
            group=group,
            title=data["title"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            location=data["location"],
            online_url=data["online_url"],
        ),
        default_field="title",
    )
    if event is not None:
        messages.success(request, "Your event is up.")
        return redirect(event.post.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agenda/form.html",
        {"form": form, "group": group, "my_groups": list(groups.my_groups(request.user))},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def edit_event(request, event_id: int):
    request.active_section = "feed"
    event = selectors.get_visible_event(request.user, event_id)
    if event.post.author_id != request.user.pk:
        raise PermissionDenied("Only the organiser changes the event.")
    form = EventForm(request.POST or None, initial=_local_initial(event))
    form.fields["description"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_event(
                actor=request.user,
                event=event,
                **{
                    k: data[k]
                    for k in (
                        "title",
                        "starts_at",
                        "ends_at",
                        "time_zone",
                        "location",
                        "online_url",
                    )
                },
            )
        except ApplicationError as exc:
            if exc.status != 400:
                raise
            show_on_form(form, exc, default_field="title")
        else:
            messages.success(
                request, "The event is updated; people going hear of a new time or place."
            )
            return redirect(event.post.get_absolute_url())
    return render(
        request,
        "agenda/form.html",
        {"form": form, "event": event, "group": event.post.group},
        status=400 if form.errors else 200,
    )


@require_POST
def answer(request, event_id: int):
    event = selectors.get_visible_event(request.user, event_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Answer going, maybe or declined.")
    services.answer_event(actor=request.user, event=event, answer=form.cleaned_data["answer"])
    if not request.htmx:
        return back(request, event.post.get_absolute_url())
    return _fragment(request, selectors.get_visible_event(request.user, event_id))


@require_POST
def cancel(request, event_id: int):
    event = selectors.get_visible_event(request.user, event_id)
    services.cancel_event(actor=request.user, event=event)
    messages.success(request, "The event is cancelled; people going or maybe are told.")
    return back(request, event.post.get_absolute_url())


@require_GET
def card(request, event_id: int):
    event = selectors.get_visible_event(request.user, event_id)
    if not request.htmx:
        return redirect(event.post.get_absolute_url())
    return _fragment(request, event)


@require_GET
def people_answered(request, event_id: int):
    request.active_section = "feed"
    event = selectors.get_visible_event(request.user, event_id)
    answer = request.GET.get("answer")
    choices = event.rsvps.model.Answer.choices
    if answer:  # one answer's next page, after the cursor
        try:
            pages = {
                answer: selectors.attendees_page(
                    event, answer, cursor=request.GET.get("cursor"), size=selectors.ATTENDEES_PAGE
                )
            }
        except InvalidCursor as exc:
            raise BadRequest(str(exc)) from exc
        choices = [(value, label) for value, label in choices if value == answer]
    else:
        pages = selectors.attendees(event, size=selectors.ATTENDEES_PAGE)
    return render(
        request,
        "agenda/people.html",
        {
            "event": event,
            "post": event.post,
            "one_answer": bool(answer),
            "rows": [
                (value, label, pages[value], getattr(event, f"{value}_count"))
                for value, label in choices
            ],
        },
    )


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def event_ics(request, event_id: int):
    event = selectors.get_visible_event(request.user, event_id)
    text = ics.calendar(
        [event],
        url_for=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        host=request.get_host(),
        now=timezone.now(),
    )
    return _ics_response(text, f"event-{event.pk}.ics")


@require_POST
def reset_calendar(request):
    services.reset_calendar_key(actor=request.user)
    messages.success(request, "Your calendar feed has a new address; the old one no longer works.")
    return redirect("agenda:upcoming")


@login_not_required
@require_GET
def calendar(request, token: str):
    """The personal calendar feed: whoever holds the current signed URL of an active person
    reads their events (as that person may read them now). Anything else is a 404."""
    owner = selectors.calendar_owner(token[:500])
    if owner is None:
        raise Http404("No such calendar.")
    text = ics.calendar(
        selectors.calendar_events(owner),
        url_for=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        host=request.get_host(),
        now=timezone.now(),
        name="My events",
    )
    return _ics_response(text, "events.ics")
