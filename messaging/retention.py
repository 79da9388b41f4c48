"""Messages follow the company's retention setting (core.retention runs the rule)."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from core.retention import days_ago

from .models import Message


def old_messages(now: dt.datetime) -> QuerySet | None:
    """Messages older than MESSAGE_RETENTION_DAYS; None (keep) when it is 0. The seats keep
    plain ids of messages (read marker, newest), so a deleted one leaves nothing dangling."""
    cutoff = days_ago(now, settings.MESSAGE_RETENTION_DAYS)
    return None if cutoff is None else Message.objects.filter(created_at__lt=cutoff)
