"""Every read of notifications and email preferences: a person reads only their own."""

import datetime as dt

from django.db.models import Count, Expression, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from core import compiled, session_reads

from .models import (
    DEFAULT_DELIVERY,
    EmailSettings,
    GroupMute,
    Notification,
    NotificationPreference,
)

ORDER = ("-updated_at", "-id")
ORDER_TYPES = (dt.datetime, int)


def notifications_of(user) -> QuerySet[Notification]:
    """Newest first (updated_at: a collapsed row rises when someone else acts)."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor__profile")
        .order_by(*ORDER)
    )


# The badge's count, read with a page's session (core.session_reads; apps.py registers it).
UNREAD = "notifications.unread"


def _unread_of(user_id):
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    return unread.order_by().values("recipient_id").annotate(unread=Count("pk"))


def unread_of(user_ref) -> Expression:
    """How many of the account `user_ref`'s notifications are unread, as an expression (0
    for none): what a signed-in page reads with its session (core.session_reads)."""
    return Coalesce(Subquery(_unread_of(user_ref).values("unread")), 0)


def unread_count(user) -> int:
    """The badge on every page: read with the page's session when it was (no query), else
    one query over the partial index of unread rows, built once per process and prepared on
    PostgreSQL (core.compiled): the ORM's count cost more Python than the query costs the
    database."""
    read = session_reads.read(user, UNREAD)
    if read is not session_reads.MISSING:
        return read
    rows = compiled.run(("notifications.unread_count",), _unread_of, {"user_id": user.pk})
    return rows[0]["unread"] if rows else 0


def get_notification(user, notification_id) -> Notification:
    """My notification; 404 alike for "missing" and "someone else's"."""
    try:
        return Notification.objects.get(recipient=user, pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such notification.") from exc


def preferences_of(user) -> dict[str, str]:
    """{kind: delivery} for every kind, my choices over the defaults (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Notification.Kind.values}


def digest_of(user) -> str:
    row = EmailSettings.objects.filter(user=user).values_list("digest", flat=True).first()
    return row or EmailSettings.Digest.WEEKLY


def muted_groups(user) -> list:
    """The groups `user` muted, by name (one query)."""
    return [
        mute.group
        for mute in GroupMute.objects.filter(user=user)
        .select_related("group")
        .order_by("group__name", "group_id")
    ]


def is_group_muted(user, group) -> bool:
    return GroupMute.objects.filter(user=user, group=group).exists()
