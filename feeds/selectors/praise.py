"""Praise a person received, as a reader may read it: the posts, a profile's summary and its
section."""

from django.db.models import Count, QuerySet

from ..models import Post
from .display import for_display
from .feeds import FEED_ORDER
from .visibility import visible_posts


def praise_received(viewer, person) -> QuerySet[Post]:
    """Praise of `person` that `viewer` may read, newest first."""
    return visible_posts(viewer).filter(
        kind=Post.Kind.PRAISE,
        id__in=Post.praised.through.objects.filter(user_id=person.pk).values("post_id"),
    )


def praise_summary(viewer, person, *, latest: int = 5) -> dict:
    """What a profile shows of the praise `person` received, as `viewer` may read it: the
    count per badge and the latest few, with author and group. Two queries."""
    found = praise_received(viewer, person)
    counts = dict(
        found.order_by().values_list("badge").annotate(n=Count("id")).values_list("badge", "n")
    )
    recent = list(for_display(found).order_by(*FEED_ORDER)[:latest])
    return {"counts": counts, "total": sum(counts.values()), "recent": recent}


def profile_praise(viewer, profile) -> dict:
    """The "Praise received" section of a profile (core.sections, page "profile")."""
    from ..models import BADGE_EMOJI, Badge

    summary = praise_summary(viewer, profile.user)
    summary["badges"] = [
        {"label": Badge(value).label, "emoji": BADGE_EMOJI[value], "count": n}
        for value, n in summary["counts"].items()
        if value in Badge.values
    ]
    summary["person"] = profile
    summary["template"] = "feeds/_profile_praise.html"
    return summary
