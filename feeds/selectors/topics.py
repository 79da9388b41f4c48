"""Topics: one by name, the most used among the posts a reader may read, the composer's
suggestions, and a topic only where the reader may read a post of it."""

from django.db.models import Count
from django.http import Http404

from ..models import Topic
from .feeds import topic_feed
from .visibility import visible_posts


def get_topic(name: str) -> Topic:
    try:
        return Topic.objects.get(name=name.lower())
    except Topic.DoesNotExist as exc:
        raise Http404("No such topic.") from exc


def popular_topics(user, limit: int = 12) -> list[Topic]:
    """Topics of posts the user may read, by number of such posts."""
    return list(
        Topic.objects.filter(posts__in=visible_posts(user))
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")[:limit]
    )


def suggest_topics(*, viewer, prefix: str, limit: int = 8) -> list[Topic]:
    """Existing topics starting with `prefix`, for the composer's "#" autocomplete: only
    topics with a post `viewer` may read (a secret group's topic names stay secret, as on
    get_readable_topic), most used first. One query."""
    prefix = prefix.strip().lstrip("#").lower()
    if not prefix:
        return []
    return list(
        Topic.objects.filter(name__startswith=prefix, posts__in=visible_posts(viewer))
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")[:limit]
    )


def get_readable_topic(user, name: str) -> Topic:
    """A topic with at least one post `user` may read. Unknown topics and topics written
    only where `user` cannot read answer alike (404), so a secret group's #topic names
    stay secret."""
    topic = get_topic(name)
    if not topic_feed(user, topic).exists():
        raise Http404("No such topic.")
    return topic
