"""Email: who gets which notification by mail, the one-click unsubscribe, and sending each
message exactly once.

A message is sent inside the transaction that claims its EmailDelivery key: a duplicated or
retried task finds the key taken (the unique index makes a concurrent twin wait, then fail)
and sends nothing; a send that raises rolls the claim back so the retry sends it.
"""

import logging
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from groups.models import Group
from socialhub import markdown
from socialhub.people.roles import is_admin

from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    EmailDelivery,
    GroupMute,
    Notification,
    NotificationPreference,
)

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "socialhub.notifications.unsubscribe"


# --- Unsubscribe links ---------------------------------------------------------------------


def unsubscribe_token(user_id: int, scope: str) -> str:
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, scope) from a token we signed; None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not isinstance(data.get("s"), str):
        return None
    return data["u"], data["s"]


def unsubscribe_url(user_id: int, scope: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, scope)])
    return f"{settings.SITE_URL}{path}"


def describe_scope(scope: str) -> str:
    """What an unsubscribe link turns off, in words (for its confirmation page)."""
    name, _, value = scope.partition(":")
    if name == "kind" and value in Notification.Kind.values:
        return f"email about {Notification.Kind(value).label.lower()}"
    if name == "group" and value.isdigit():
        group = Group.objects.filter(pk=int(value)).first()
        return f"email from {group.name}" if group else "email from a group"
    return "the digest"


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


# --- Sending once ----------------------------------------------------------------------------


def send_once(*, key: str, recipient, subject: str, text: str, html: str, unsubscribe: str) -> bool:
    """Send one message unless `key` was sent already. Returns whether it was sent now."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            # RFC 8058: mail clients offer "Unsubscribe" and POST to it without a login.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            EmailDelivery.objects.create(key=key, recipient=recipient, subject=subject[:200])
            message.send()
    except IntegrityError:
        return False
    return True


@contextmanager
def commits_without_waiting_for_disk():
    """Around a batch of send_once calls on PostgreSQL: each claim's COMMIT returns before
    its WAL reaches the disk (about 4 ms less per email here, and one commit per email is
    the price of sending each exactly once). A killed worker loses nothing (the server has
    the commit); only a crash of PostgreSQL itself within a fraction of a second could
    forget a claim and let a retry send that email again."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


# --- Notification emails ---------------------------------------------------------------------


def _readable_group_ids(user, group_ids: set[int]) -> set[int]:
    """Which of `group_ids` `user` may read now (groups.selectors' rule, one query)."""
    if not group_ids:
        return set()
    if is_admin(user):
        return group_ids
    return set(
        Group.objects.filter(pk__in=group_ids)
        .filter(privacy=Group.Privacy.PUBLIC)
        .values_list("pk", flat=True)
    ) | set(user.memberships.filter(group_id__in=group_ids).values_list("group_id", flat=True))


def deliveries_for(user_ids, kinds=None) -> dict[tuple[int, str], str]:
    """{(user id, kind): delivery} for the preferences these users set (one query)."""
    prefs = NotificationPreference.objects.filter(user_id__in=user_ids)
    if kinds is not None:
        prefs = prefs.filter(kind__in=kinds)
    return {(p.user_id, p.kind): p.delivery for p in prefs}


def delivery_of(prefs: dict, user_id: int, kind: str) -> str:
    return prefs.get((user_id, kind), DEFAULT_DELIVERY.get(kind, Delivery.IMMEDIATE))


def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification whose recipient wants it right away. Re-reads everything:
    the preference, the group mute, and whether the recipient may still read the group.
    Returns how many emails left now."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids, read_at__isnull=True)
        .select_related("recipient__profile", "actor__profile")
        .order_by("pk")
    )
    if not notifications:
        return 0
    user_ids = {n.recipient_id for n in notifications}
    prefs = deliveries_for(user_ids, {n.kind for n in notifications})
    muted = set(GroupMute.objects.filter(user_id__in=user_ids).values_list("user_id", "group_id"))
    sent = 0
    with commits_without_waiting_for_disk():
        for n in notifications:
            sent += _maybe_send(n, prefs, muted)
    return sent


def _maybe_send(n: Notification, prefs: dict, muted: set) -> bool:
    """Send `n` if its recipient wants it now and may still read where it happened."""
    user = n.recipient
    if not (user.is_active and user.email):
        return False
    if delivery_of(prefs, user.pk, n.kind) != Delivery.IMMEDIATE:
        return False
    if n.group_id is not None:
        if (user.pk, n.group_id) in muted:
            return False
        if not _readable_group_ids(user, {n.group_id}):
            return False
    return send_notification_email(n)


def send_notification_email(notification: Notification) -> bool:
    user = notification.recipient
    unsubscribe = unsubscribe_url(user.pk, f"kind:{notification.kind}")
    context = {
        "notification": notification,
        "user": user,
        "site_name": getattr(settings, "SITE_NAME", "socialhub"),
        "url": absolute(notification.url or reverse("notifications:center")),
        "center_url": absolute(reverse("notifications:center")),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe,
        "unsubscribe_what": Notification.Kind(notification.kind).label.lower(),
        "mute_url": (
            unsubscribe_url(user.pk, f"group:{notification.group_id}")
            if notification.group_id
            else ""
        ),
    }
    return send_once(
        key=f"notification:{notification.pk}",
        recipient=user,
        subject=markdown.shorten(notification.summary, 200),
        text=render_to_string("notifications/email/notification.txt", context),
        html=render_to_string("notifications/email/notification.html", context),
        unsubscribe=unsubscribe,
    )
