"""Every read of events goes through the post's visibility (feeds.selectors.visible_posts):
an event is readable exactly when its post is."""

import datetime as dt

from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.pagination import KeysetPage, first_pages, paginate_keyset
from feeds import selectors as feeds
from groups import selectors as groups
from people.selectors import get_account

from .models import CalendarKey, Event, Rsvp

CALENDAR_SALT = "agenda.calendar"
# How far back the calendar feed reaches (calendars keep what they had).
CALENDAR_PAST_DAYS = 30
UPCOMING_PAGE = 30


def visible_events(user):
    return Event.objects.filter(post__in=feeds.visible_posts(user))


def get_visible_event(user, event_id) -> Event:
    """The event if `user` may read its post; 404 alike for missing and hidden."""
    try:
        return (
            visible_events(user)
            .select_related("post__group", "post__author__profile")
            .get(pk=event_id)
        )
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such event.") from exc


def attach_viewer(events: list[Event], *, viewer) -> list[Event]:
    """`my_answer` ("going", "maybe", "declined" or "") on each event, in one query."""
    mine: dict[int, str] = {}
    if events and viewer.is_authenticated:
        mine = dict(
            Rsvp.objects.filter(event_id__in=[e.pk for e in events], user_id=viewer.pk).values_list(
                "event_id", "answer"
            )
        )
    now = timezone.now()
    for event in events:
        event.my_answer = mine.get(event.pk, "")
        event.is_over = event.ends_at <= now
        event.can_answer = not event.is_cancelled and not event.is_over
    return events


def events_for_cards(posts: list, *, viewer) -> dict[int, Event]:
    """The feeds.extensions loader: one query when no post is an event, two otherwise."""
    by_post = {post.pk: post for post in posts}
    events = list(Event.objects.filter(post_id__in=list(by_post)))
    for event in events:
        event.post = by_post[event.post_id]
    attach_viewer(events, viewer=viewer)
    return {event.post_id: event for event in events}


def upcoming_events(user, *, now=None) -> list[Event]:
    """Events not over yet in my feed's groups, or that I answered, soonest first."""
    now = now or timezone.now()
    answered = Rsvp.objects.filter(user_id=user.pk).values("event_id")
    events = list(
        visible_events(user)
        .filter(ends_at__gt=now, cancelled_at__isnull=True)
        .filter(groups.in_feed_groups(user, "post__group_id") | Q(pk__in=answered))
        .select_related("post__group", "post__author__profile")
        .order_by("starts_at", "id")[:UPCOMING_PAGE]
    )
    return attach_viewer(events, viewer=user)


ATTENDEES_PAGE = 20
ATTENDEE_ORDER = ("user__profile__display_name", "user__username", "id")
ATTENDEE_TYPES = (str, str, int)


def _answers(event: Event):
    return Rsvp.objects.filter(event=event, user__is_active=True).select_related("user__profile")


def attendees(event: Event, *, size: int = ATTENDEES_PAGE) -> dict[str, KeysetPage]:
    """The first `size` people of each answer, by name, for the event's readers (the caller
    read it through get_visible_event), active people only, each with the cursor of its next
    page (attendees_page). One query whatever the number of answers."""
    pages = first_pages(_answers(event), partition="answer", ordering=ATTENDEE_ORDER, size=size)
    return {
        answer: KeysetPage(
            items=[rsvp.user for rsvp in pages[answer].items],
            next_cursor=pages[answer].next_cursor,
        )
        if answer in pages
        else KeysetPage(items=[], next_cursor=None)
        for answer in Rsvp.Answer.values
    }


def attendees_page(event: Event, answer: str, *, cursor: str | None, size: int) -> KeysetPage:
    """A page of the people who answered `answer`, by name, after `cursor` (one query); 404
    for an answer that is not one. The page's items are the people."""
    if answer not in Rsvp.Answer.values:
        raise Http404("No such answer.")
    page = paginate_keyset(
        _answers(event).filter(answer=answer),
        ordering=ATTENDEE_ORDER,
        types=ATTENDEE_TYPES,
        cursor=cursor,
        size=size,
    )
    return KeysetPage(items=[r.user for r in page.items], next_cursor=page.next_cursor)


# --- The personal calendar feed ---------------------------------------------------------


def calendar_token(user) -> str:
    """The signed token of `user`'s calendar feed URL (made on first use)."""
    key, _ = CalendarKey.objects.get_or_create(user=user)
    return signing.dumps({"u": user.pk, "k": key.key}, salt=CALENDAR_SALT, compress=False)


def calendar_owner(token: str):
    """The active person whose current token this is, else None: a bad signature, an old
    key (the person made a new URL) and a deactivated account all answer None."""
    try:
        data = signing.loads(token, salt=CALENDAR_SALT)
        user_id, key = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not CalendarKey.objects.filter(user_id=user_id, key=key).exists():
        return None
    return get_account(pk=user_id)


def calendar_events(user, *, now=None) -> list[Event]:
    """What `user`'s calendar shows: events they organise or answered going or maybe, that
    they may still read, from CALENDAR_PAST_DAYS ago on."""
    from django.db.models import Q

    now = now or timezone.now()
    answered = Rsvp.objects.filter(
        user_id=user.pk, answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.MAYBE]
    ).values("event_id")
    return list(
        visible_events(user)
        .filter(ends_at__gte=now - dt.timedelta(days=CALENDAR_PAST_DAYS))
        .filter(Q(pk__in=answered) | Q(post__author_id=user.pk))
        .select_related("post")
        .order_by("starts_at", "id")[:500]
    )


def reminders_due(now, *, ahead: dt.timedelta) -> list[int]:
    return list(
        Event.objects.filter(
            reminded_at__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + ahead,
            post__deleted_at__isnull=True,
            post__removed_at__isnull=True,
        ).values_list("pk", flat=True)[:500]
    )
