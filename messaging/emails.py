"""The unread-message email: who is due, and sending each once.

The email says who wrote and where, never what: the text stays behind the sign-in (an
email is a copy outside the company's retention setting and outside "only participants").
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.emails import absolute, send_once

from . import selectors
from .models import DEFAULT_EMAIL_DELAY, EmailDelay, Message, MessagePreference, Participant

MIN_DELAY = min(v for v in EmailDelay.values if v)


def email_unread_messages(*, now: dt.datetime | None = None) -> int:
    """Send the emails that are due; returns how many left now."""
    now = now or timezone.now()
    seats = list(selectors.seats_due_for_email(now=now, min_delay=dt.timedelta(minutes=MIN_DELAY)))
    delays = dict(
        MessagePreference.objects.filter(user_id__in=[s.user_id for s in seats]).values_list(
            "user_id", "email_delay"
        )
    )
    sent = 0
    for seat in seats:
        delay = delays.get(seat.user_id, int(DEFAULT_EMAIL_DELAY))
        if not delay or seat.unread_since > now - dt.timedelta(minutes=delay):
            continue
        sent += _email_seat(seat)
    return sent


def _email_seat(seat: Participant) -> int:
    newest = seat.latest_message_id
    unread = (
        selectors.visible_messages(seat)
        .filter(id__gt=max(seat.last_read_id, seat.emailed_through_id), deleted_at__isnull=True)
        .exclude(author_id=seat.user_id)
        .select_related("author__profile")
        .order_by("id")
    )
    messages: list[Message] = list(unread[:50])
    # Claimed first: whatever happens next, this seat is not emailed about these again.
    with transaction.atomic():
        claimed = Participant.objects.filter(
            pk=seat.pk, emailed_through_id__lt=newest, last_read_id__lt=newest
        ).update(emailed_through_id=F("latest_message_id"))
    if not claimed or not messages:
        return 0
    selectors.describe_for_email(seat)
    authors = sorted({m.author.profile.display_name for m in messages if m.author})
    count = len(messages)
    subject = (
        f"{count} unread message{'s' if count != 1 else ''} from {', '.join(authors[:3])}"
        if authors
        else "Unread messages"
    )
    context = {
        "seat": seat,
        "count": count,
        "authors": authors,
        "url": absolute(seat.conversation.get_absolute_url()),
        "settings_url": absolute(reverse("messaging:inbox")),
        "preferences_url": absolute(reverse("messaging:inbox")),
        "unsubscribe_url": absolute(reverse("messaging:inbox")),
        "site_name": settings.SITE_NAME,
    }
    send_once(
        key=f"messages:{seat.pk}:{newest}",
        recipient=seat.user,
        subject=subject[:200],
        text=render_to_string("messaging/email/unread.txt", context),
        html=render_to_string("messaging/email/unread.html", context),
        unsubscribe=context["settings_url"],
    )
    return 1
