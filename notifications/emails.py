"""Email: who gets which notification by mail, the one-click unsubscribe, and sending each
message once.

Each message first claims its EmailDelivery key in state "sending" (committed before the SMTP
conversation starts), turns it "sent" as soon as the server accepted the message (before
QUIT), and only then closes the connection. A duplicated or retried task finds the key taken
and sends nothing; a send that raises frees the claim so the retry sends it. A claim left
"sending" by an attempt that died (a killed worker) is sent once more, with the same
Message-ID, then marked "uncertain" if that dies too: see send_once and README, "Sent once".
"""

import datetime as dt
import logging
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core import markdown

from .group_access import group_access
from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    EmailDelivery,
    GroupMute,
    Notification,
    NotificationPreference,
)

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# At most this many notifications per outbox sweep (the next sweep takes the rest).
OUTBOX_BATCH = 5000


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
        group = group_access().get(int(value))
        return f"email from {group.name}" if group else "email from a group"
    return "the digest"


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


# --- Sending once ----------------------------------------------------------------------------


def message_id(key: str) -> str:
    """The Message-ID of the email claimed under `key`: the same for every attempt (so a
    resend after a crash is recognisably the same message), unique to this installation."""
    digest = salted_hmac("notifications.message-id", key, algorithm="sha256")
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{digest.hexdigest()[:40]}@{domain}>"


def claim(*, key: str, recipient_id: int, subject: str) -> EmailDelivery | None:
    """Take the right to send the email `key`, committed before anything is sent. None when
    it was sent already, is being sent now, or an earlier attempt died twice while sending."""
    try:
        with transaction.atomic():
            return EmailDelivery.objects.create(
                key=key,
                recipient_id=recipient_id,
                subject=subject[:200],
                message_id=message_id(key),
            )
    except IntegrityError:
        pass
    grace = dt.timedelta(seconds=settings.EMAIL_SENDING_GRACE_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        taken = EmailDelivery.objects.select_for_update().filter(key=key).first()
        if taken is None or taken.state != EmailDelivery.State.SENDING:
            return None
        if taken.claimed_at > now - grace:
            return None  # another attempt may be talking to the SMTP server right now
        if taken.attempts >= 2:
            taken.state = EmailDelivery.State.UNCERTAIN
            taken.save(update_fields=["state"])
            log.error(
                "email %s %s: attempt %d died while sending too; marked uncertain, not sent again",
                key, taken.message_id, taken.attempts,
            )  # fmt: skip
            return None
        # The attempt that took it died between the claim and the server's acceptance (or,
        # within about a millisecond, just after it): send once more, with the same Message-ID.
        log.warning(
            "email %s %s: an attempt claimed at %s died while sending; sending it once more",
            key, taken.message_id, taken.claimed_at.isoformat(),
        )  # fmt: skip
        taken.attempts += 1
        taken.claimed_at = now
        taken.save(update_fields=["attempts", "claimed_at"])
        return taken


def claim_many(claims: list[tuple[str, int, str]]) -> dict[str, EmailDelivery]:
    """Take the right to send many emails at once, committed before anything is sent:
    `claims` are (key, recipient id, subject). One INSERT ... ON CONFLICT DO NOTHING
    RETURNING tells which keys this attempt took; only when some were taken already, one
    read finds those left "sending" by an attempt that died, each retried through `claim`.
    {key: claim} of the keys this attempt may send."""
    if not claims:
        return {}
    now = timezone.now()
    quote = connection.ops.quote_name
    columns = ("key", "recipient_id", "subject", "state", "message_id", "attempts", "claimed_at")
    params = []
    for key, recipient_id, subject in claims:
        params += [key, recipient_id, subject[:200], "sending", message_id(key), 1, now]
    table, names = quote(EmailDelivery._meta.db_table), ", ".join(quote(c) for c in columns)
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(claims))
    key = quote("key")
    sql = f"INSERT INTO {table} ({names}) VALUES {rows} ON CONFLICT ({key}) DO NOTHING RETURNING id, {key}, message_id"  # noqa: S608, E501 - our table; values are parameters
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = {
            key: EmailDelivery(pk=pk, key=key, message_id=mid) for pk, key, mid in cursor.fetchall()
        }
    taken = {key: recipient_id for key, recipient_id, _ in claims if key not in claimed}
    if taken:
        grace = dt.timedelta(seconds=settings.EMAIL_SENDING_GRACE_SECONDS)
        died = EmailDelivery.objects.filter(
            key__in=list(taken), state=EmailDelivery.State.SENDING, claimed_at__lte=now - grace
        ).values_list("key", "recipient_id", "subject")
        for key, recipient_id, subject in list(died):
            again = claim(key=key, recipient_id=recipient_id, subject=subject)
            if again is not None:
                claimed[key] = again
    return claimed


def send_once(*, key: str, recipient, subject: str, text: str, html: str, unsubscribe: str) -> bool:
    """Send one message unless `key` was claimed already. Returns whether it was sent now."""
    taken = claim(key=key, recipient_id=recipient.pk, subject=subject)
    if taken is None:
        return False
    return deliver(
        taken, recipient=recipient, subject=subject, text=text, html=html, unsubscribe=unsubscribe
    )


def deliver(
    taken: EmailDelivery, *, recipient, subject: str, text: str, html: str, unsubscribe: str
) -> bool:
    """Send the message claimed as `taken` and mark it sent (one UPDATE, as soon as the
    server accepted it); a send that raises frees the claim and raises."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "Message-ID": taken.message_id,
            # RFC 8058: mail clients offer "Unsubscribe" and POST to it without a login.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    # Opened here, so send() leaves it open: "sent" commits before QUIT, not after.
    message.connection = get_connection()
    try:
        message.connection.open()
        message.send()
    except BaseException:
        # Refused or cut off before the server took it: free the claim for the retry.
        with suppress(DatabaseError):
            EmailDelivery.objects.filter(pk=taken.pk, state=EmailDelivery.State.SENDING).delete()
        _close(message.connection)
        raise
    EmailDelivery.objects.filter(pk=taken.pk).update(
        state=EmailDelivery.State.SENT, sent_at=timezone.now()
    )
    _close(message.connection)
    return True


def _close(connection) -> None:
    """QUIT: the message is already accepted and recorded, so a failure here changes nothing."""
    with suppress(Exception):
        connection.close()


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
    sent = 0
    if notifications:
        user_ids = {n.recipient_id for n in notifications}
        prefs = deliveries_for(user_ids, {n.kind for n in notifications})
        muted = set(
            GroupMute.objects.filter(user_id__in=user_ids).values_list("user_id", "group_id")
        )
        with commits_without_waiting_for_disk():
            for n in notifications:
                sent += _maybe_send(n, prefs, muted)
    # Handled (sent, not wanted, or read meanwhile): out of the outbox. A worker killed before
    # this line leaves them due; the sweep or the redelivered task finds their claims taken.
    Notification.objects.filter(pk__in=notification_ids, email_due_at__isnull=False).update(
        email_due_at=None
    )
    return sent


def due_notification_ids(*, now, grace: dt.timedelta, horizon: dt.timedelta) -> list[int]:
    """The outbox: notifications whose email task has not run `grace` after they were
    written (or after the sweep last enqueued them). Each is leased for another `grace`, so
    a slow queue is not flooded with copies; rows older than `horizon` leave the outbox
    without an email (the center still lists them)."""
    due = Notification.objects.filter(email_due_at__isnull=False)
    dropped = due.filter(email_due_at__lt=now - horizon).update(email_due_at=None)
    if dropped:
        log.warning("outbox: %d notifications older than %s left without email", dropped, horizon)
    with transaction.atomic():
        ids = list(
            due.filter(email_due_at__lte=now - grace)
            .order_by("email_due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:OUTBOX_BATCH]
        )
        Notification.objects.filter(pk__in=ids).update(email_due_at=now)
    return ids


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
        if not group_access().readable_ids(user, {n.group_id}):
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
