"""Every write to events: `verb_noun(*, actor, ...)`, permission checked first, one
transaction, notifications and live counts after commit.

Who may answer: an active reader of the post's group, while the event is neither over nor
cancelled. Who changes or cancels: its organiser (the post's author); leaders cancel too.
"""

import datetime as dt
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import events as wire
from core.errors import ApplicationError
from feeds import services as feeds
from groups import selectors as groups
from notifications.models import Notification
from notifications.services import display_name, notify

from .models import MAX_LOCATION, MAX_TITLE, MAX_URL, CalendarKey, Event, Rsvp, new_calendar_key

User = get_user_model()
Kind = Notification.Kind
MAX_LENGTH = dt.timedelta(days=31)
COUNTERS = {
    Rsvp.Answer.GOING: "going_count",
    Rsvp.Answer.MAYBE: "maybe_count",
    Rsvp.Answer.DECLINED: "declined_count",
}


def _text(value, *, field: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApplicationError("Write a text.", field=field)
    value = " ".join(value.replace("\x00", "").split())
    if required and not value:
        raise ApplicationError("This is needed.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"Keep it under {limit} characters.", field=field)
    return value


def _online_url(value) -> str:
    value = _text(value, field="online_url", limit=MAX_URL)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or " " in value:
        raise ApplicationError("Give a link starting with https://.", field="online_url")
    return value


def _zone(name) -> str:
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ApplicationError(
            "Choose a time zone such as Europe/Paris.", field="time_zone"
        ) from None
    return str(name)


def _times(starts_at, ends_at) -> tuple[dt.datetime, dt.datetime]:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            raise ApplicationError("Give a date and time.", field=name)
    if ends_at < starts_at:
        raise ApplicationError("End after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise ApplicationError("Keep an event under a month long.", field="ends_at")
    return starts_at, ends_at


def create_event(
    *,
    actor,
    group,
    title: str,
    description: str = "",
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str = "UTC",
    location: str = "",
    online_url: str = "",
) -> Event:
    """A post in `group` (its text the description, else the title) with its event."""
    title = _text(title, field="title", limit=MAX_TITLE, required=True)
    location = _text(location, field="location", limit=MAX_LOCATION)
    online_url = _online_url(online_url)
    time_zone = _zone(time_zone)
    starts_at, ends_at = _times(starts_at, ends_at)
    if starts_at < timezone.now() - dt.timedelta(minutes=5):
        raise ApplicationError("Choose a start in the future.", field="starts_at")
    body = description if isinstance(description, str) and description.strip() else title
    with transaction.atomic():
        try:
            post = feeds.create_post(actor=actor, group=group, body=body)
        except ApplicationError as exc:
            if exc.field == "body":
                exc.field = "description"
            raise
        event = Event.objects.create(
            post=post,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            location=location,
            online_url=online_url,
        )
        # The organiser goes to their own event (and sees it in their calendar).
        Rsvp.objects.create(event=event, user=actor, answer=Rsvp.Answer.GOING)
        Event.objects.filter(pk=event.pk).update(going_count=1)
        event.going_count = 1
    return event


def update_event(*, actor, event: Event, **changes) -> Event:
    """The organiser changes the title, time, place or link. People going or maybe hear of
    a new time or place; a new start gets its own reminder."""
    if actor.pk != event.post.author_id:
        raise ApplicationError("Only the organiser changes the event.", status=403)
    if event.is_cancelled:
        raise ApplicationError("This event is cancelled.", status=409)
    allowed = {"title", "starts_at", "ends_at", "time_zone", "location", "online_url"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError("This field is not accepted here.", field=sorted(unknown)[0])
    fields = {
        "title": _text(
            changes.get("title", event.title), field="title", limit=MAX_TITLE, required=True
        ),
        "location": _text(
            changes.get("location", event.location), field="location", limit=MAX_LOCATION
        ),
        "online_url": _online_url(changes.get("online_url", event.online_url)),
        "time_zone": _zone(changes.get("time_zone", event.time_zone)),
    }
    fields["starts_at"], fields["ends_at"] = _times(
        changes.get("starts_at", event.starts_at), changes.get("ends_at", event.ends_at)
    )
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if not changed:
        return event
    moved = {"starts_at", "ends_at", "location", "online_url"} & set(changed)
    with transaction.atomic():
        for name in changed:
            setattr(event, name, fields[name])
        event.sequence += 1
        if "starts_at" in changed:
            event.reminded_at = None
        event.save(update_fields=[*changed, "sequence", "reminded_at"])
        if moved:
            _tell_attendees(
                event, actor=actor, text=f"{event.title} moved: see the new time and place"
            )
    return event


def cancel_event(*, actor, event: Event) -> Event:
    if actor.pk != event.post.author_id and not groups.can_moderate(actor, event.post.group):
        raise ApplicationError("Only the organiser or a group leader cancels it.", status=403)
    if event.is_cancelled:
        return event
    with transaction.atomic():
        event.cancelled_at = timezone.now()
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "sequence"])
        _tell_attendees(event, actor=actor, text=f"{event.title} is cancelled")
    return event


def _tell_attendees(event: Event, *, actor, text: str, kind: str = Kind.EVENT_CHANGED) -> int:
    """Notify the people going or maybe who may still read the event (in the caller's
    transaction)."""
    post = event.post
    ids = Rsvp.objects.filter(
        event=event, answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.MAYBE]
    ).values("user_id")
    people = groups.readers_of(post.group, User.objects.filter(pk__in=ids, is_active=True))
    for person in people:
        notify(
            recipient=person,
            kind=kind,
            actor=actor,
            text=text,
            url=post.get_absolute_url(),
            target_key=f"event:{event.pk}:{kind}",
            group_id=post.group_id,
        )
    return len(people)


def answer_event(*, actor, event: Event, answer: str) -> Rsvp:
    """Going, maybe or not going: one answer per person, changed at will until it starts."""
    if answer not in Rsvp.Answer.values:
        raise ApplicationError("Answer going, maybe or declined.", field="answer")
    post = event.post
    if not (actor.is_authenticated and actor.is_active) or not groups.can_read(actor, post.group):
        raise ApplicationError("No such event.", status=404)
    if not post.is_live:
        raise ApplicationError("No such event.", status=404)
    if event.is_cancelled:
        raise ApplicationError("This event is cancelled.", status=409)
    if event.ends_at <= timezone.now():
        raise ApplicationError("This event is over.", status=409)
    with transaction.atomic():
        rsvp, created = Rsvp.objects.select_for_update().get_or_create(
            event=event, user=actor, defaults={"answer": answer}
        )
        before = None if created else rsvp.answer
        if before == answer:
            return rsvp
        changes = {COUNTERS[answer]: F(COUNTERS[answer]) + 1}
        if before:
            changes[COUNTERS[before]] = F(COUNTERS[before]) - 1
            rsvp.answer = answer
            rsvp.save(update_fields=["answer", "updated_at"])
        Event.objects.filter(pk=event.pk).update(**changes)
        event.refresh_from_db(fields=list(COUNTERS.values()))
        if answer != Rsvp.Answer.DECLINED and actor.pk != post.author_id:
            organiser = post.author
            label = Rsvp.Answer(answer).label.lower()
            if organiser.is_active and groups.can_read(organiser, post.group):
                notify(
                    recipient=organiser,
                    kind=Kind.EVENT_RSVP,
                    actor=actor,
                    text=f"{display_name(actor)} answered {label} to {event.title}",
                    url=post.get_absolute_url(),
                    target_key=f"event:{event.pk}",
                    group_id=post.group_id,
                )
        _publish_counts(event)
    return rsvp


def _publish_counts(event: Event) -> None:
    """Counts only, to the group's audience (who answered is read over HTTP)."""
    group_id = event.post.group_id

    def payload():
        fresh = Event.objects.filter(pk=event.pk).values(*COUNTERS.values()).first()
        if fresh is None:
            return None
        return {"group": group_id, "event": event.pk, "post": event.post_id, **fresh}

    wire.publish(audience=wire.group_audience(group_id), event_type="event.rsvps", payload=payload)


def send_due_reminders(*, now=None) -> int:
    """The clock: remind the people going or maybe of events starting within
    EVENT_REMINDER_MINUTES. Each event is claimed by a conditional update, so a rerun or a
    second clock sends nothing twice."""
    from .selectors import reminders_due

    now = now or timezone.now()
    ahead = dt.timedelta(minutes=settings.EVENT_REMINDER_MINUTES)
    sent = 0
    for event_id in reminders_due(now, ahead=ahead):
        with transaction.atomic():
            if not Event.objects.filter(pk=event_id, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            event = Event.objects.select_related("post__group").get(pk=event_id)
            zone = zoneinfo.ZoneInfo(event.time_zone)
            when = event.starts_at.astimezone(zone).strftime("%H:%M")
            sent += _tell_attendees(
                event,
                actor=None,
                text=f"Reminder: {event.title} starts at {when} ({event.time_zone})",
                kind=Kind.EVENT_REMINDER,
            )
    return sent


def reset_calendar_key(*, actor) -> CalendarKey:
    """A new calendar feed URL for `actor`: every earlier one stops working at once."""
    with transaction.atomic():
        key, created = CalendarKey.objects.select_for_update().get_or_create(user=actor)
        if not created:
            key.key = new_calendar_key()
            key.save(update_fields=["key", "created_at"])
    return key
