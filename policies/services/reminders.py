"""Reminders to acknowledge the policy in force, once per reminder period, idempotent."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .. import selectors
from ..models import (
    PolicyReminder,
    PolicyVersion,
)
from .common import (
    NOTIFY_BATCH,
    User,
    _bulk_notify,
)


def send_acknowledgement_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone who has not acknowledged the current version, once per reminder
    period (PolicySettings.reminder_days) counted from publication.

    Idempotent: a PolicyReminder row per (version, person, round) is written with the
    notification, under a lock on the version, so running twice (a redelivered task, two
    beats) reminds nobody twice in the same period. Returns how many were reminded.
    """
    now = now or timezone.now()
    version = selectors.current_version()
    if version is None:
        return 0
    period = dt.timedelta(days=selectors.policy_settings().reminder_days)
    elapsed = now - version.published_at
    if elapsed < period:
        return 0
    round_number = int(elapsed / period)
    with transaction.atomic():
        PolicyVersion.objects.select_for_update().filter(pk=version.pk).first()
        due = list(
            User.objects.filter(is_active=True)
            .exclude(policy_acknowledgements__version=version)
            .exclude(
                pk__in=PolicyReminder.objects.filter(version=version, round=round_number).values(
                    "user_id"
                )
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        PolicyReminder.objects.bulk_create(
            [PolicyReminder(user_id=u, version=version, round=round_number) for u in due],
            batch_size=NOTIFY_BATCH,
        )
        _bulk_notify(
            due,
            actor=None,
            text=f"Reminder: please read and acknowledge the social media policy "
            f"(version {version.number}).",
            url=reverse("policies:current"),
            target_key=f"policy-reminder:{version.pk}:{round_number}",
        )
    return len(due)
