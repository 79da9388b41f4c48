"""Daily and weekly digests, built for a chunk of users at a time.

A digest holds, since the reader's last digest (at most one period back):
- their unread mentions, and the unread notifications whose kind they chose to get
  "in my digest";
- what other apps add through `register_section`: feeds adds the most active posts in the
  groups the reader is a member of ("posts", feeds/digest.py), routing the customer
  questions waiting for them ("questions"). notifications imports no feature app and no
  group code (groups' rule comes through notifications.group_access).

Only what the reader may read: notifications only from groups they may read now, and a
section gets each reader's groups without the muted ones; a muted group gives nothing. An
empty digest is not sent. Every read is batched over the chunk (a fixed number of queries per
chunk of DIGEST_CHUNK_SIZE users), never one query chain per user.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import emails
from .group_access import group_access
from .models import Delivery, EmailSettings, GroupMute, Notification

User = get_user_model()

PERIODS = {
    EmailSettings.Digest.DAILY: dt.timedelta(days=1),
    EmailSettings.Digest.WEEKLY: dt.timedelta(days=7),
}


@dataclass
class Digest:
    user: Any
    since: dt.datetime
    mentions: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)  # name -> items, from SECTIONS

    @property
    def posts(self) -> list:
        """The busiest posts the reader has not seen (feeds' section)."""
        return self.sections.get("posts", [])

    @posts.setter
    def posts(self, items: list) -> None:
        self.sections["posts"] = items

    @property
    def questions(self) -> list:
        """The customer questions waiting for the reader (routing's section)."""
        return self.sections.get("questions", [])

    def is_empty(self) -> bool:
        return not (
            self.posts or self.mentions or self.notifications or any(self.sections.values())
        )


class Readers(list):
    """The user ids of one chunk, which is all most sections need, with what a section may
    also need about each reader: `since` ({user id: the start of their digest's period},
    `earliest` the oldest of them) and `groups` ({user id: ids of the groups they are a
    member of, without the ones they muted})."""

    def __init__(
        self, user_ids: list[int], *, since: dict[int, dt.datetime], groups: dict[int, set[int]]
    ):
        super().__init__(user_ids)
        self.since = since
        self.earliest = min(since.values()) if since else None
        self.groups = groups


# Sections other apps add to every digest, the way pretix plugins answer its signals:
# name -> provider(user_ids) -> {user_id: [items]}, one batched read for a whole chunk
# (`user_ids` is a Readers list). An app registers in its AppConfig.ready(); this module
# imports none of them.
SECTIONS: dict[str, Callable[[list[int]], Mapping[int, list]]] = {}


def register_section(name: str, provider: Callable[[list[int]], Mapping[int, list]]) -> None:
    SECTIONS[name] = provider


def run_key(frequency: str, now: dt.datetime) -> str:
    """The name of one scheduled run: a retried or duplicated run has the same name."""
    if frequency == EmailSettings.Digest.WEEKLY:
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    return now.date().isoformat()


def subscriber_ids(frequency: str):
    """Active people with an email who chose `frequency` (weekly is the default)."""
    users = User.objects.filter(is_active=True).exclude(email="")
    if frequency == EmailSettings.Digest.WEEKLY:
        users = users.exclude(email_settings__digest__in=["daily", "never"])
    else:
        users = users.filter(email_settings__digest=frequency)
    return users.order_by("pk").values_list("pk", flat=True)


def build_digests(user_ids: list[int], *, frequency: str, now: dt.datetime) -> list[Digest]:
    """The digests of these users, in a fixed number of queries."""
    period = PERIODS[frequency]
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .select_related("profile", "email_settings")
    )
    if not users:
        return []
    ids = [u.pk for u in users]
    digests = {}
    for user in users:
        settings_row = getattr(user, "email_settings", None)
        last = settings_row.last_digest_at if settings_row else None
        since = max(last, now - period) if last else now - period
        digests[user.pk] = Digest(user=user, since=since)
    earliest = min(d.since for d in digests.values())

    muted = defaultdict(set)
    for uid, gid in GroupMute.objects.filter(user_id__in=ids).values_list("user_id", "group_id"):
        muted[uid].add(gid)
    member_of = {uid: gids - muted[uid] for uid, gids in group_access().member_ids_of(ids).items()}

    _add_notifications(digests, member_of, muted, ids, earliest)
    readers = Readers(ids, since={uid: d.since for uid, d in digests.items()}, groups=member_of)
    for name, provider in SECTIONS.items():
        for uid, items in provider(readers).items():
            if uid in digests and items:
                digests[uid].sections[name] = list(items)
    return [digests[u.pk] for u in users]


def _add_notifications(digests, member_of, muted, user_ids, earliest) -> None:
    from .emails import deliveries_for, delivery_of

    rows = list(
        Notification.objects.filter(
            recipient_id__in=user_ids, read_at__isnull=True, updated_at__gte=earliest
        )
        .select_related("actor__profile")
        .order_by("-updated_at", "-id")
    )
    if not rows:
        return
    public = group_access().public_ids({n.group_id for n in rows if n.group_id})
    prefs = deliveries_for(user_ids)
    for n in rows:
        digest = digests[n.recipient_id]
        if n.updated_at < digest.since:
            continue
        if n.group_id is not None:
            if n.group_id in muted[n.recipient_id]:
                continue
            readable = n.group_id in public or n.group_id in member_of.get(n.recipient_id, ())
            if not readable and not _admin(digest.user):
                continue
        delivery = delivery_of(prefs, n.recipient_id, n.kind)
        if n.kind == Notification.Kind.MENTION:
            if delivery != Delivery.OFF and len(digest.mentions) < 10:
                digest.mentions.append(n)
        elif delivery == Delivery.DIGEST and len(digest.notifications) < 20:
            digest.notifications.append(n)


def _admin(user) -> bool:
    from people.roles import is_admin

    return is_admin(user)


def render_digest(digest: Digest, *, frequency: str) -> tuple[str, str, str, str]:
    """(subject, text, html, unsubscribe url) of one digest."""
    user = digest.user
    unsubscribe = emails.unsubscribe_url(user.pk, "digest")
    context = {
        "digest": digest,
        "user": user,
        "frequency": frequency,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "center_url": emails.absolute(reverse("notifications:center")),
        "preferences_url": emails.absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe,
    }
    subject = f"Your {frequency} {settings.SITE_NAME} digest"
    return (
        subject,
        render_to_string("notifications/email/digest.txt", context),
        render_to_string("notifications/email/digest.html", context),
        unsubscribe,
    )


def send_digests(user_ids: list[int], *, frequency: str, now: dt.datetime | None = None) -> int:
    """Build and send the digests of a chunk of users; returns how many emails left.

    Every email of the chunk is claimed at once under "digest:<frequency>:<run>:<user id>"
    (emails.claim_many) before the first leaves, so running the same scheduled run again,
    or a chunk twice, in one worker or two, sends nothing twice. Marks when each reader's
    digest left. Queries: the reads of build_digests, one claim INSERT, one UPDATE per email
    as the server accepts it (its "sent" mark, never batched: a worker killed mid-chunk
    must not leave accepted emails looking unsent), one upsert of last-digest times.
    """
    now = now or timezone.now()
    key = run_key(frequency, now)
    sent_to = []
    with emails.commits_without_waiting_for_disk():
        ready = [
            (digest, render_digest(digest, frequency=frequency))
            for digest in build_digests(user_ids, frequency=frequency, now=now)
            if not digest.is_empty()
        ]
        keys = {digest.user.pk: f"digest:{frequency}:{key}:{digest.user.pk}" for digest, _ in ready}
        claimed = emails.claim_many(
            [(keys[digest.user.pk], digest.user.pk, rendered[0]) for digest, rendered in ready]
        )
        for digest, (subject, text, html, unsubscribe) in ready:
            taken = claimed.get(keys[digest.user.pk])
            if taken is not None and emails.deliver(
                taken,
                recipient=digest.user,
                subject=subject,
                text=text,
                html=html,
                unsubscribe=unsubscribe,
            ):
                sent_to.append(digest.user.pk)
    if sent_to:
        EmailSettings.objects.bulk_create(
            [EmailSettings(user_id=uid, last_digest_at=now) for uid in sent_to],
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["last_digest_at"],
        )
    return len(sent_to)


def send_digest_range(*, first_id: int, last_id: int, frequency: str, now: dt.datetime) -> int:
    """One chunk of a run: the subscribers whose ids lie in [first_id, last_id] (about
    DIGEST_CHUNK_SIZE of them, as the run cut them), read again now: someone who chose
    another rhythm or left since the run started gets nothing. Chunks of one run are
    disjoint and run in parallel in any number of workers."""
    ids = list(subscriber_ids(frequency).filter(pk__gte=first_id, pk__lte=last_id))
    return send_digests(ids, frequency=frequency, now=now)


def run_ranges(frequency: str) -> list[tuple[int, int]]:
    """The run's chunks as id ranges of DIGEST_CHUNK_SIZE subscribers each (one query)."""
    ids, size = list(subscriber_ids(frequency)), settings.DIGEST_CHUNK_SIZE
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]
