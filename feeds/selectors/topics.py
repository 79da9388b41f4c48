"""Topics: one by name, the most used lately among the posts a reader may read, the
composer's suggestions, and a topic only where the reader may read a post of it."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, OuterRef
from django.http import Http404

from core.expressions import CountOf
from groups.selectors import readable_groups

from ..models import Topic
from .feeds import topic_feed
from .visibility import searchable_posts, visible_posts


def get_topic(name: str) -> Topic:
    try:
        return Topic.objects.get(name=name.lower())
    except Topic.DoesNotExist as exc:
        raise Http404("No such topic.") from exc


# Popular is counted among the newest posts a reader may read, not all of them: counting the
# topics of every readable post took PostgreSQL 390 ms at a million posts (bench/feed.py's
# data) on every home page, against 9 ms for the newest 1,000. The answer is the same for
# everyone who may read the same groups, so it is kept for a few minutes under those groups'
# ids: joining or leaving a group, or a group turning secret, is a new key at once.
POPULAR_WINDOW = 1000
POPULAR_SECONDS = 300


def popular_topics(user, limit: int = 12) -> list[Topic]:
    """The topics of the newest POPULAR_WINDOW posts `user` may read, most used first (ties
    by name), each with `post_count` among those posts; kept POPULAR_SECONDS for everyone
    who may read the same groups."""
    groups = sorted(readable_groups(user).values_list("id", flat=True))
    if not groups:
        return []
    digest = hashlib.sha256(",".join(map(str, groups)).encode()).hexdigest()[:40]
    key = f"feeds:popular-topics:v1:{POPULAR_WINDOW}:{limit}:{digest}"
    return cache.get_or_set(key, lambda: _popular_topics(user, limit), POPULAR_SECONDS)


def _popular_topics(user, limit: int) -> list[Topic]:
    newest = searchable_posts(user).order_by("-created_at", "-id").values("id")[:POPULAR_WINDOW]
    return list(
        Topic.objects.filter(posts__in=newest)
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")[:limit]
    )


# A suggestion counts its readable posts up to SUGGEST_COUNT_CAP ("100+ posts"): counting
# them all took 344 ms for "#s" at a million posts (bench/feed.py's data, one process), on
# every key pressed, against 8.4 ms counted up to the cap in the same run.
SUGGEST_COUNT_CAP = 100


def suggest_topics(*, viewer, prefix: str, limit: int = 8) -> list[Topic]:
    """Existing topics starting with `prefix`, for the composer's "#" autocomplete: only
    topics with a post `viewer` may read (a secret group's topic names stay secret, as on
    get_readable_topic), most used first (those past the cap by name), each with
    `post_count`: its posts `viewer` may read, up to SUGGEST_COUNT_CAP (`capped`: more than
    that). One query."""
    prefix = prefix.strip().lstrip("#").lower()
    if not prefix:
        return []
    readable = visible_posts(viewer).filter(topics=OuterRef("pk")).values("pk")
    topics = (
        Topic.objects.filter(name__startswith=prefix)
        .annotate(post_count=CountOf(readable[: SUGGEST_COUNT_CAP + 1]))
        .order_by("-post_count", "name")[:limit]
    )
    # Those with no readable post come last: dropped here rather than filtered in SQL,
    # which would count them all a second time.
    shown = [topic for topic in topics if topic.post_count]
    for topic in shown:
        topic.capped = topic.post_count > SUGGEST_COUNT_CAP
        topic.post_count = min(topic.post_count, SUGGEST_COUNT_CAP)
    return shown


def get_readable_topic(user, name: str) -> Topic:
    """A topic with at least one post `user` may read. Unknown topics and topics written
    only where `user` cannot read answer alike (404), so a secret group's #topic names
    stay secret."""
    topic = get_topic(name)
    if not topic_feed(user, topic).exists():
        raise Http404("No such topic.")
    return topic
