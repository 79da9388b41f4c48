"""Every write to notifications and email preferences.

Callers run `notify` (and `notify_group_members`) inside their own transaction, so a
notification exists exactly when its cause does; the badge event and the email task leave
after commit. The messages themselves are written by the apps that cause them
(feeds/notifications.py, groups/notifications.py, routing, policies), which also keep only
the recipients who may read what they are told about.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events, markdown, session_reads
from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError

from . import selectors
from .group_access import group_access
from .models import (
    Delivery,
    EmailSettings,
    GroupMute,
    Notification,
    NotificationPreference,
)

User = get_user_model()

Kind = Notification.Kind
BULK_BATCH = 1000
# A notification's text, in characters (it is also the subject of its email).
TEXT_LENGTH = 300


def _one_line(text: str) -> str:
    """Plain text on one line (it becomes an email subject, where a newline is refused),
    shortened between words."""
    return markdown.shorten(text.replace("\x00", ""), TEXT_LENGTH)


def _badge(recipient_id: int) -> None:
    events.publish(
        audience=events.user_audience(recipient_id),
        event_type="notification.badge",
        payload={},
    )


def _email_on_commit(notification_ids: list[int]) -> None:
    """Enqueue the email task for new rows once the cause is committed."""
    if not notification_ids:
        return
    for start in range(0, len(notification_ids), BULK_BATCH):
        enqueue_on_commit(
            "notifications.email",
            notification_ids[start : start + BULK_BATCH],
        )


def notify(
    *,
    recipient: User,
    kind: str,
    text: str,
    url: str = "",
    actor: User | None = None,
    target_key: str = "",
    group_id: int | None = None,
) -> Notification | None:
    """Tell `recipient` about something. Nobody is notified of their own actions.

    With a `target_key`, an unread notification of the same kind and target is updated
    (one more distinct actor, newest text) instead of adding a row; only a new row emails.
    Expects to run inside the cause's transaction (it locks the row it updates).
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    text = _one_line(text)
    if target_key:
        existing = (
            Notification.objects.select_for_update()
            .filter(recipient=recipient, kind=kind, target_key=target_key, read_at__isnull=True)
            .first()
        )
        if existing is not None:
            ids = list(existing.actor_ids or [])
            if actor is not None and actor.pk not in ids:
                ids.append(actor.pk)
            existing.actor_ids = ids
            existing.actor_count = max(len(ids), 1)
            existing.actor = actor
            existing.text = text
            existing.url = url or existing.url
            existing.save(
                update_fields=["actor", "actor_ids", "actor_count", "text", "url", "updated_at"]
            )
            _badge(recipient.pk)
            return existing
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        actor_ids=[actor.pk] if actor is not None else [],
        text=text,
        url=url,
        target_key=target_key,
        group_id=group_id,
    )
    _badge(recipient.pk)
    _email_on_commit([notification.pk])
    return notification


def notify_group_members(
    *,
    group_id: int,
    recipient_ids: list[int],
    kind: str,
    text: str,
    url: str = "",
    actor: User | None = None,
    target_key: str = "",
) -> int:
    """One notification per recipient (the group's members but the actor, as the caller
    found them), written in bulk (a few queries whatever the group's size); one badge event
    to the group's audience."""
    actor_ids = [actor.pk] if actor is not None else []
    created: list[int] = []
    for start in range(0, len(recipient_ids), BULK_BATCH):
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=rid,
                    kind=kind,
                    actor=actor,
                    actor_ids=actor_ids,
                    text=_one_line(text),
                    url=url,
                    target_key=target_key,
                    group_id=group_id,
                )
                for rid in recipient_ids[start : start + BULK_BATCH]
            ]
        )
        created.extend(r.pk for r in rows if r.pk is not None)
    if not created and recipient_ids:  # a backend without RETURNING: read the ids back
        created = list(
            Notification.objects.filter(
                kind=kind, target_key=target_key, recipient_id__in=recipient_ids
            ).values_list("pk", flat=True)
        )
    if recipient_ids:
        # The group's id lets a socket that left the group before this arrived drop it.
        events.publish(
            audience=events.group_audience(group_id),
            event_type="notification.badge",
            payload={"group": group_id},
        )
    _email_on_commit(created)
    return len(recipient_ids)


def display_name(user: User) -> str:
    """How a notification names a person: their display name, else their username."""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.username


# --- Reading ---------------------------------------------------------------------------


def mark_read(*, actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    session_reads.forget(actor, selectors.UNREAD)
    _badge(actor.pk)


def mark_all_read(*, actor: User) -> int:
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        session_reads.forget(actor, selectors.UNREAD)
        _badge(actor.pk)
    return changed


# --- Email preferences -------------------------------------------------------------------


def set_preferences(*, actor: User, deliveries: dict[str, str], digest: str | None = None) -> None:
    """Save how `actor` wants email per kind (and their digest rhythm) in one transaction."""
    for kind, delivery in deliveries.items():
        if kind not in Kind.values:
            raise ApplicationError("Choose a kind of notification.", field=kind or "kind")
        if delivery not in Delivery.values:
            raise ApplicationError("Choose right away, in the digest, or no email.", field=kind)
    if digest is not None and digest not in EmailSettings.Digest.values:
        raise ApplicationError("Choose daily, weekly or never.", field="digest")
    with transaction.atomic():
        for kind, delivery in deliveries.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"delivery": delivery}
            )
        if digest is not None:
            EmailSettings.objects.update_or_create(user=actor, defaults={"digest": digest})


def mute_group(*, actor: User, group: Any, muted: bool = True) -> None:
    """No email from `group` (its notifications still reach the notification center)."""
    if not group_access().can_read(actor, group):
        raise ApplicationError("No such group.", status=404)
    if not muted:
        GroupMute.objects.filter(user=actor, group=group).delete()
        return
    try:
        with transaction.atomic():
            GroupMute.objects.get_or_create(user=actor, group=group)
    except IntegrityError:  # muted twice at once: it is muted
        pass


def unsubscribe(*, user: User, scope: str) -> str:
    """Apply a one-click unsubscribe: `scope` is a kind ("kind:mention"), a group
    ("group:12") or the digest ("digest"). Returns what was turned off, for the page."""
    name, _, value = scope.partition(":")
    if name == "kind" and value in Kind.values:
        set_preferences(actor=user, deliveries={value: Delivery.OFF})
        return f"email about {Kind(value).label.lower()}"
    if name == "group" and value.isdigit():
        access = group_access()
        group = access.get(int(value))
        if group is None or not access.can_read(user, group):
            raise ApplicationError("This link is no longer valid.", field="token")
        mute_group(actor=user, group=group)
        return f"email from {group.name}"
    if name == "digest":
        set_preferences(actor=user, deliveries={}, digest=EmailSettings.Digest.NEVER)
        return "the digest"
    raise ApplicationError("This link is no longer valid.", field="token")
