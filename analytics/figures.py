"""Community analytics computed from the raw rows (posts, comments, reactions and their
times): the one definition of every figure. The weekly rollups (analytics.models) are these
figures stored week by week, and the current week is always counted here afresh."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from feeds.models import Comment, Post, Reaction
from groups.models import Group

# The most active authors of each kind kept for a range that is added to others (the
# current week to the rolled-up weeks): enough to rank the top ten of the sum.
AUTHORS_KEPT = 50


@dataclass
class Week:
    start: dt.date
    active: int = 0
    posts: int = 0
    comments: int = 0
    reactions: int = 0
    questions: int = 0
    answered: int = 0
    accepted: int = 0
    median_hours: float | None = None  # to the first answer, over the week's answered questions


@dataclass
class Figures:
    """The figures of a range of whole weeks, before they become a Report (the rollups keep
    them week by week for the weeks that are over)."""

    weeks: dict[dt.date, Week]
    counts: dict[int, list[int]]  # author id -> [posts, comments]
    delays: dict[dt.date, list[float]]  # week -> hours to the first answer


def compute(
    group: Group | None,
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    authors: int | None = AUTHORS_KEPT,
) -> Figures:
    """The figures of the weeks from `start` (a Monday) to `end` (a Monday, or None: now),
    with the `authors` most active authors of each kind (None: every author). 7 queries."""
    tz = timezone.get_current_timezone()
    week_starts = []
    cursor = start
    while end is None and cursor <= timezone.now() or end is not None and cursor < end:
        week_starts.append(timezone.localtime(cursor, tz).date())
        cursor += dt.timedelta(weeks=1)
    by_week = {s: Week(start=s) for s in week_starts}

    posts = Post.objects.filter(deleted_at__isnull=True, removed_at__isnull=True)
    # Comments and reactions of deleted or removed posts do not count: a NOT IN over the
    # few such posts (index analytics_post_gone), not a join of every row to its post.
    gone = Post.objects.filter(Q(deleted_at__isnull=False) | Q(removed_at__isnull=False))
    comments = Comment.objects.filter(deleted_at__isnull=True, removed_at__isnull=True).exclude(
        post_id__in=gone.values("id")
    )
    reactions = Reaction.objects.exclude(post_id__in=gone.values("id"))
    if group is not None:
        posts = posts.filter(group=group)
        comments = comments.filter(post__group=group)
        reactions = reactions.filter(post__group=group)
    posts = posts.filter(created_at__gte=start)
    comments = comments.filter(created_at__gte=start)
    reactions = reactions.filter(created_at__gte=start)
    if end is not None:
        posts = posts.filter(created_at__lt=end)
        comments = comments.filter(created_at__lt=end)
        reactions = reactions.filter(created_at__lt=end)

    def week_of(value) -> dt.date:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value, tz) if timezone.is_aware(value) else value
            return value.date()
        return value

    # 1. posts and questions
    for row in (
        posts.annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week")
        .annotate(
            n=Count("id"),
            questions=Count("id", filter=Q(kind=Post.Kind.QUESTION)),
            accepted=Count("id", filter=Q(kind=Post.Kind.QUESTION, accepted_answer__isnull=False)),
        )
        .order_by()
    ):
        week = by_week.get(week_of(row["week"]))
        if week:
            week.posts, week.questions, week.accepted = row["n"], row["questions"], row["accepted"]
    # 2. comments, 3. reactions
    for queryset, name in ((comments, "comments"), (reactions, "reactions")):
        for row in (
            queryset.annotate(week=TruncWeek("created_at", tzinfo=tz))
            .values("week")
            .annotate(n=Count("id"))
            .order_by()
        ):
            week = by_week.get(week_of(row["week"]))
            if week:
                setattr(week, name, row["n"])
    # 4. active people: distinct over the three kinds of activity, counted by the database
    for week_start, n in _active_per_week(posts, comments, reactions, tz):
        week = by_week.get(week_of(week_start))
        if week:
            week.active = n
    # 5. questions answered and time to the first answer
    first_answer = (
        Comment.objects.filter(
            post=OuterRef("pk"), deleted_at__isnull=True, removed_at__isnull=True
        )
        .exclude(author=OuterRef("author"))
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    delays: dict[dt.date, list[float]] = {s: [] for s in week_starts}
    for created, delay in (
        posts.filter(kind=Post.Kind.QUESTION)
        .annotate(first=Subquery(first_answer))
        .filter(first__isnull=False)
        .annotate(
            delay=ExpressionWrapper(F("first") - F("created_at"), output_field=DurationField())
        )
        .values_list("created_at", "delay")
    ):
        week_start = monday_of(timezone.localtime(created, tz).date())
        if week_start in delays:
            delays[week_start].append(round(delay.total_seconds() / 3600, 2))
    for week_start, hours in delays.items():
        by_week[week_start].answered = len(hours)
    # 6, 7. who wrote most
    return Figures(weeks=by_week, counts=_author_counts(posts, comments, authors), delays=delays)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _active_per_week(posts, comments, reactions, tz) -> list[tuple]:
    """[(week start, distinct people)] in one query: the union of (week, person) of the
    three kinds, grouped and counted in SQL (never a row per person to Python)."""
    parts = [
        qs.order_by().annotate(week=TruncWeek("created_at", tzinfo=tz)).values("week", person)
        for qs, person in ((posts, "author_id"), (comments, "author_id"), (reactions, "user_id"))
    ]
    union = parts[0].union(parts[1], parts[2])  # UNION: each (week, person) once
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT week, COUNT(*) FROM ({sql}) AS activity GROUP BY week",  # noqa: S608 - Django's own SQL
            params,
        )
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # SQLite answers the truncated week as text
        rows = [(_parse_week(week), n) for week, n in rows]
    return rows


def _parse_week(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _author_counts(posts, comments, limit: int | None) -> dict[int, list[int]]:
    """{author id: [posts, comments]} of the `limit` most active authors of each kind (None:
    all of them), 2 queries."""
    counts: dict[int, list[int]] = {}
    for index, queryset in enumerate((posts, comments)):
        ranked = (
            queryset.order_by().values("author").annotate(n=Count("id")).order_by("-n", "author")
        )
        if limit is not None:
            ranked = ranked[:limit]
        for author, n in ranked.values_list("author", "n"):
            counts.setdefault(author, [0, 0])[index] = n
    return counts
