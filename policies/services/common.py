"""What the policy services share: the admin check, the audit log and notifications in bulk."""

from django.contrib.auth import get_user_model

from core import events, markdown, versioning
from core.errors import ApplicationError
from notifications.models import Notification
from people.roles import is_admin

from ..models import (
    AuditEntry,
)

User = get_user_model()

MAX_BODY = versioning.MAX_BODY
MAX_QUESTIONS = 50
MAX_CHOICES = 10
NOTIFY_BATCH = 2000


def _require_admin(actor, message: str = "Only admins can do that.") -> None:
    if not is_admin(actor):
        raise ApplicationError(message, status=403)


def _audit(actor, action: str, *, detail: str = "", **targets) -> AuditEntry:
    return AuditEntry.objects.create(actor=actor, action=action, detail=detail[:500], **targets)


def _bulk_notify(user_ids, *, actor, text: str, url: str, target_key: str) -> int:
    """One Notification row per user, written with bulk_create in batches: publishing to
    10,000 employees is a handful of INSERTs, not 10,000 notify() chains. `actor` is a user
    or None."""
    count, batch = 0, []
    for user_id in user_ids:
        batch.append(
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.POLICY,
                actor=actor,
                text=markdown.shorten(text, 300),
                url=url,
                target_key=target_key,
            )
        )
        if len(batch) >= NOTIFY_BATCH:
            Notification.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    if batch:
        Notification.objects.bulk_create(batch)
        count += len(batch)
    if count:
        events.publish(audience=events.COMPANY, event_type="notification.badge", payload={})
    return count
