"""Daily and weekly digests, built for a chunk of users at a time.

A digest holds, since the reader's last digest (at most one period back):
- the most active posts in the groups they are a member of that they have not seen,
  where "seen" means they wrote the post, commented on it or reacted to it (we do not
  record page views), and activity is comments plus reactions in the period;
- their unread mentions, and the unread notifications whose kind they chose to get
  "in my digest";
- what other apps add through `register_section` (routing adds the customer questions
  waiting for them): notifications imports no feature app.

Only what the reader may read: posts come from groups they are a member of now, and
notifications only from groups they may read now; a muted group gives nothing. An empty
digest is not sent. Every read is batched over the chunk (a fixed number of queries per
chunk of CHUNK users), never one query chain per user.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import markdown
from feeds.models import Comment, Post, Reaction
from groups.models import Group, Membership

from . import emails
from .models import Delivery, EmailSettings, GroupMute, Notification

User = get_user_model()

CHUNK = 500
POSTS_PER_DIGEST = 5
CANDIDATES_PER_GROUP = 10
# A post's summary in the digest, in characters (HTML and text parts alike).
EXCERPT_LENGTH = 220
PERIODS = {
    EmailSettings.Digest.DAILY: dt.timedelta(days=1),
    EmailSettings.Digest.WEEKLY: dt.timedelta(days=7),
}


@dataclass
class DigestPost:
    """What a digest shows of a post (read as plain values, in bulk)."""

    pk: int
    group_id: int
    author_id: int
    created_at: dt.datetime
    body: str  # the author's Markdown
    group_name: str
    author_name: str
    url: str
    activity: int
    comment_count: int
    reaction_count: int

    @property
    def excerpt(self) -> str:
        """Plain text (core.markdown.excerpt): the templates escape it once."""
        return markdown.excerpt(self.body, EXCERPT_LENGTH)


@dataclass
class Digest:
    user: object
    since: dt.datetime
    posts: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)  # name -> items, from SECTIONS

    @property
    def questions(self) -> list:
        """The customer questions waiting for the reader (routing's section)."""
        return self.sections.get("questions", [])

    def is_empty(self) -> bool:
        return not (
            self.posts or self.mentions or self.notifications or any(self.sections.values())
        )


# Sections other apps add to every digest, the way pretix plugins answer its signals:
# name -> provider(user_ids) -> {user_id: [items]}, one batched read for a whole chunk.
# An app registers in its AppConfig.ready(); this module imports none of them.
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
    member_of = defaultdict(set)
    for uid, gid in Membership.objects.filter(user_id__in=ids).values_list("user_id", "group_id"):
        if gid not in muted[uid]:
            member_of[uid].add(gid)
    group_ids = set().union(*member_of.values()) if member_of else set()

    _add_posts(digests, member_of, group_ids, earliest)
    _add_notifications(digests, member_of, ids, earliest)
    for name, provider in SECTIONS.items():
        for uid, items in provider(ids).items():
            if uid in digests and items:
                digests[uid].sections[name] = list(items)
    return [digests[u.pk] for u in users]


def _add_posts(digests, member_of, group_ids, earliest) -> None:
    """Rank posts by activity from two aggregate queries, keep the busiest few per group,
    and load only those (not every post with activity in the period)."""
    if not group_ids:
        return
    live_post = Q(post__deleted_at__isnull=True, post__removed_at__isnull=True)
    in_period = Q(post__group_id__in=group_ids, post__created_at__gte=earliest)
    comment_counts, reaction_counts, group_of = {}, {}, {}
    for post_id, group_id, n in (
        Comment.objects.filter(in_period, live_post, created_at__gte=earliest)
        .filter(deleted_at__isnull=True, removed_at__isnull=True)
        .values_list("post_id", "post__group_id")
        .annotate(n=Count("id"))
    ):
        comment_counts[post_id], group_of[post_id] = n, group_id
    for post_id, group_id, n in (
        Reaction.objects.filter(in_period, live_post, created_at__gte=earliest)
        .values_list("post_id", "post__group_id")
        .annotate(n=Count("id"))
    ):
        reaction_counts[post_id], group_of[post_id] = n, group_id
    if not group_of:
        return

    def activity(post_id: int) -> int:
        return comment_counts.get(post_id, 0) + reaction_counts.get(post_id, 0)

    ranked = defaultdict(list)
    for post_id, group_id in group_of.items():
        ranked[group_id].append(post_id)
    keep = []
    for post_ids in ranked.values():
        post_ids.sort(key=lambda pid: (-activity(pid), -pid))
        keep += post_ids[:CANDIDATES_PER_GROUP]
    # Plain rows, not model instances: a chunk reads thousands of candidates.
    url = reverse("feeds:post", args=[987654321]).replace("987654321", "{}")
    candidates = {
        row["id"]: DigestPost(
            pk=row["id"],
            group_id=row["group_id"],
            author_id=row["author_id"],
            created_at=row["created_at"],
            body=row["body"],
            group_name=row["group__name"],
            author_name=row["author__profile__display_name"] or row["author__username"],
            url=url.format(row["id"]),
            activity=activity(row["id"]),
            comment_count=comment_counts.get(row["id"], 0),
            reaction_count=reaction_counts.get(row["id"], 0),
        )
        for row in Post.objects.filter(
            pk__in=keep, deleted_at__isnull=True, removed_at__isnull=True
        ).values(
            "id", "group_id", "author_id", "created_at", "body", "group__name",
            "author__username", "author__profile__display_name",
        )
    }  # fmt: skip
    if not candidates:
        return
    by_group = defaultdict(list)
    for post in candidates.values():
        by_group[post.group_id].append(post)
    for group_posts in by_group.values():
        group_posts.sort(key=lambda p: (-p.activity, -p.pk))
    user_ids = list(digests)
    seen = defaultdict(set)
    for uid, pid in Comment.objects.filter(
        author_id__in=user_ids, post_id__in=list(candidates)
    ).values_list("author_id", "post_id"):
        seen[uid].add(pid)
    for uid, pid in Reaction.objects.filter(
        user_id__in=user_ids, post_id__in=list(candidates)
    ).values_list("user_id", "post_id"):
        seen[uid].add(pid)
    for uid, digest in digests.items():
        mine = [
            p
            for gid in member_of.get(uid, ())
            for p in by_group.get(gid, ())
            if p.created_at >= digest.since and p.author_id != uid and p.pk not in seen[uid]
        ]
        mine.sort(key=lambda p: (-p.activity, -p.pk))
        digest.posts = mine[:POSTS_PER_DIGEST]


def _add_notifications(digests, member_of, user_ids, earliest) -> None:
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
    public = set(
        Group.objects.filter(
            pk__in={n.group_id for n in rows if n.group_id}, privacy=Group.Privacy.PUBLIC
        ).values_list("pk", flat=True)
    )
    muted = set(GroupMute.objects.filter(user_id__in=user_ids).values_list("user_id", "group_id"))
    prefs = deliveries_for(user_ids)
    for n in rows:
        digest = digests[n.recipient_id]
        if n.updated_at < digest.since:
            continue
        if n.group_id is not None:
            if (n.recipient_id, n.group_id) in muted:
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

    Each email is claimed under "digest:<frequency>:<run>:<user id>", so running the same
    scheduled run again sends nothing twice. Marks when each reader's digest left.
    """
    now = now or timezone.now()
    key = run_key(frequency, now)
    sent_to = []
    with emails.commits_without_waiting_for_disk():
        for digest in build_digests(user_ids, frequency=frequency, now=now):
            if digest.is_empty():
                continue
            subject, text, html, unsubscribe = render_digest(digest, frequency=frequency)
            if emails.send_once(
                key=f"digest:{frequency}:{key}:{digest.user.pk}",
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
