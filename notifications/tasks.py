"""Celery tasks: they take ids, re-read state and wrap functions that can be called
directly. Every email is claimed under a unique key before it leaves, so a redelivered task
(acks_late, a killed worker) sends nothing twice."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.after_commit import enqueue

from . import digests, emails
from .services import BULK_BATCH

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="notifications.email"
)
def email_notifications(notification_ids: list[int]) -> int:
    """Email new notifications to the people who want them right away."""
    return emails.send_notification_emails([int(i) for i in notification_ids])


# Chunks as id lists: kept for tasks enqueued before the id ranges (notifications.digest_range).
@shared_task(name="notifications.digest_chunk", autoretry_for=(OSError,), max_retries=5)
def send_digest_chunk(user_ids: list[int], frequency: str, now_iso: str) -> int:
    now = timezone.datetime.fromisoformat(now_iso)
    return digests.send_digests([int(i) for i in user_ids], frequency=frequency, now=now)


@shared_task(name="notifications.digest_range", autoretry_for=(OSError,), max_retries=5)
def send_digest_range(first_id: int, last_id: int, frequency: str, now_iso: str) -> int:
    """One chunk of a digest run: the subscribers with ids in [first_id, last_id]."""
    now = timezone.datetime.fromisoformat(now_iso)
    return digests.send_digest_range(
        first_id=int(first_id), last_id=int(last_id), frequency=frequency, now=now
    )


@shared_task(name="notifications.digests")
def send_digests(frequency: str) -> int:
    """Celery beat's entry: one chunk task per CHUNK subscribers (an id range), all sharing
    the run's time, so a chunk that is retried belongs to the same run (and sends nothing
    twice); any number of workers take the chunks in parallel."""
    now = timezone.now().isoformat()
    ranges = digests.run_ranges(frequency)
    for first_id, last_id in ranges:
        send_digest_range.delay(first_id, last_id, frequency, now)
    return len(ranges)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    """Beat, every OUTBOX_SWEEP_SECONDS: enqueue the email task for notifications whose task
    never ran (the broker was down when their write committed, or the task was lost)."""
    ids = emails.due_notification_ids(
        now=timezone.now(),
        grace=dt.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS),
        horizon=dt.timedelta(hours=settings.OUTBOX_HORIZON_HOURS),
    )
    if ids:
        log.warning("outbox: %d notifications were not emailed in time; enqueuing", len(ids))
    for start in range(0, len(ids), BULK_BATCH):
        enqueue(email_notifications, ids[start : start + BULK_BATCH])
    return len(ids)
