"""Every write to notifications. Callers run `notify` inside their own transaction, so a
notification exists exactly when its cause does; the badge event leaves after commit.
"""

from django.db.models import F
from django.utils import timezone

from socialhub import events

from .models import Notification


def _badge(recipient_id: int) -> None:
    events.publish(
        audience=events.user_audience(recipient_id),
        event_type="notification.badge",
        payload={},
    )


def notify(
    *,
    recipient,
    kind: str,
    text: str,
    url: str = "",
    actor=None,
    target_key: str = "",
    group_id: int | None = None,
) -> Notification | None:
    """Tell `recipient` about something. Nobody is notified of their own actions.

    With a `target_key`, an unread notification of the same kind and target is updated
    (one more actor, newest text) instead of adding a row.
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    text = text[:300]
    if target_key:
        existing = (
            Notification.objects.select_for_update()
            .filter(recipient=recipient, kind=kind, target_key=target_key, read_at__isnull=True)
            .first()
        )
        if existing is not None:
            if actor is not None and actor.pk != existing.actor_id:
                existing.actor_count = F("actor_count") + 1
            existing.actor = actor
            existing.text = text
            existing.url = url or existing.url
            existing.save(update_fields=["actor", "actor_count", "text", "url", "updated_at"])
            existing.refresh_from_db(fields=["actor_count"])
            _badge(recipient.pk)
            return existing
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        text=text,
        url=url,
        target_key=target_key,
        group_id=group_id,
    )
    _badge(recipient.pk)
    return notification


def mark_read(*, actor, notification: Notification) -> None:
    if notification.recipient_id != actor.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    _badge(actor.pk)


def mark_all_read(*, actor) -> int:
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _badge(actor.pk)
    return changed
