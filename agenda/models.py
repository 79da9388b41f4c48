"""An event is a post with a time: the post's text describes it, the rest is here.

Times are stored in UTC with the organiser's time zone beside them (`time_zone`, an IANA
name): pages show the event in that zone, .ics files carry UTC so every calendar converts.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

MAX_TITLE = 200
MAX_LOCATION = 300
MAX_URL = 500


class Event(models.Model):
    post = models.OneToOneField("feeds.Post", on_delete=models.CASCADE, related_name="event")
    title = models.CharField(max_length=MAX_TITLE)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=MAX_LOCATION, blank=True)
    online_url = models.URLField(max_length=MAX_URL, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set by the clock when the reminder went out (services.send_due_reminders); cleared when
    # the event moves, so the new time gets its own reminder.
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The iCalendar SEQUENCE: bumped by every change a calendar shows.
    sequence = models.PositiveIntegerField(default=0)
    going_count = models.PositiveIntegerField(default=0)
    maybe_count = models.PositiveIntegerField(default=0)
    declined_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["starts_at", "id"], name="event_by_start"),
            models.Index(
                fields=["starts_at"],
                name="event_reminder_due",
                condition=Q(reminded_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feeds:post", args=[self.post_id])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        DECLINED = "declined", "Not going"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_rsvp")]
        indexes = [models.Index(fields=["user", "answer"], name="rsvp_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.answer} {self.event_id}"


def new_calendar_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarKey(models.Model):
    """The secret part of a person's calendar feed URL: a new key revokes every old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key"
    )
    key = models.CharField(max_length=64, default=new_calendar_key)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar key of {self.user_id}"
