"""Community analytics: weekly figures of a group, or of the whole company, computed from
the rows the product already keeps (posts, comments, reactions and their times). Nothing
is tracked for it: no page views, no read receipts.

What the figures mean (README, "Community analytics"):

- **active people**: distinct people who posted, commented or reacted that week;
- **posts, comments, reactions**: live ones (deleted and removed ones do not count), by
  the week they were written;
- **questions**: posts of the kind "question" (the composer's explicit choice; nothing is
  guessed from the text); a question is **answered** when someone other than the asker
  commented on it, and its **time to first answer** is the time from the question to that
  first comment (the accepted answer, when the asker or a leader marks one, is counted
  apart as **accepted**). Questions are counted in the week they were asked; the median
  time to first answer is over that week's answered questions;
- **top contributors**: the people with the most posts and comments in the whole period.

A report costs a fixed number of queries whatever the period and the size of the group:
one per figure (posts and questions share one), each a grouped count over an index range
of `created_at`. The weeks that are over are computed once and kept in the cache for
ANALYTICS_CACHE_SECONDS (a post deleted in an earlier week shows there after that); the
current week is counted afresh on every request.
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core.navigation import remembered
from feeds.models import Comment, Post, Reaction
from groups import selectors as groups
from groups.models import Group
from people.roles import is_admin, roles_loaded

DEFAULT_WEEKS = 12
MIN_WEEKS, MAX_WEEKS = 4, 52
TOP_CONTRIBUTORS = 10


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
class Contributor:
    username: str
    display_name: str
    posts: int
    comments: int

    @property
    def total(self) -> int:
        return self.posts + self.comments


@dataclass
class Report:
    scope: str  # the group's name, or "The whole company"
    weeks: list[Week]
    contributors: list[Contributor] = field(default_factory=list)
    since: dt.datetime | None = None

    def total(self, name: str) -> int:
        return sum(getattr(w, name) for w in self.weeks)

    @property
    def totals(self) -> dict[str, int]:
        names = ("posts", "comments", "reactions", "questions", "answered", "accepted")
        return {name: self.total(name) for name in names}

    @property
    def answered_share(self) -> int | None:
        asked = self.total("questions")
        return round(100 * self.total("answered") / asked) if asked else None

    @property
    def median_hours(self) -> float | None:
        """The median over the weeks' medians is not the period's median: the period's own
        is computed from every answered question (Report.delays, set by community_report)."""
        return self._median

    _median: float | None = None


def can_see_group_analytics(user, group: Group) -> bool:
    """The group's leaders and owners, and admins."""
    return groups.can_moderate(user, group)


def can_see_company_analytics(user) -> bool:
    return bool(user.is_authenticated and user.is_active and is_admin(user))


# The account menu's "Company insights", asked on every page: no query on most of them.
in_company_insights_menu = remembered(
    "company-insights", can_see_company_analytics, known=roles_loaded
)


def clamp_weeks(raw) -> int:
    try:
        weeks = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return max(MIN_WEEKS, min(MAX_WEEKS, weeks))


def period_start(weeks: int, now: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 (the site's time zone) of the first of the last `weeks` weeks."""
    now = timezone.localtime(now or timezone.now())
    monday = now.date() - dt.timedelta(days=now.weekday()) - dt.timedelta(weeks=weeks - 1)
    return timezone.make_aware(dt.datetime.combine(monday, dt.time()))


@dataclass
class Figures:
    """The figures of a range of whole weeks, before they become a Report: what the cache
    keeps for the weeks that are over."""

    weeks: dict[dt.date, Week]
    counts: dict[int, list[int]]  # author id -> [posts, comments]
    delays: dict[dt.date, list[float]]  # week -> hours to the first answer


def community_report(*, group: Group | None, weeks: int = DEFAULT_WEEKS, now=None) -> Report:
    """The weekly figures of `group` (None: the whole company) over the last `weeks` weeks.
    The caller checked can_see_group_analytics / can_see_company_analytics.

    The weeks that are over come from the cache (ANALYTICS_CACHE_SECONDS) once computed:
    7 queries when they are not there; the current week is always counted afresh (7
    queries over a week of rows), then 1 query for the top contributors' names."""
    since = period_start(weeks, now)
    this_week = period_start(1, now)
    past = _cached_figures(group, since, this_week) if since < this_week else None
    current = _figures(group, this_week, None)
    merged_weeks = {**(past.weeks if past else {}), **current.weeks}
    counts: dict[int, list[int]] = {}
    delays: dict[dt.date, list[float]] = {}
    for part in (past, current):
        if part is None:
            continue
        for author, (p, c) in part.counts.items():
            mine = counts.setdefault(author, [0, 0])
            mine[0] += p
            mine[1] += c
        delays.update(part.delays)
    week_starts = [(since + dt.timedelta(weeks=i)).date() for i in range(weeks)]
    every_delay = []
    for start in week_starts:
        hours = delays.get(start, [])
        merged_weeks.setdefault(start, Week(start=start))
        merged_weeks[start].median_hours = round(statistics.median(hours), 1) if hours else None
        every_delay += hours
    report = Report(
        scope=group.name if group is not None else "The whole company",
        weeks=[merged_weeks[s] for s in week_starts],
        contributors=_contributors(counts),
        since=since,
    )
    report._median = round(statistics.median(every_delay), 1) if every_delay else None
    return report


def _cached_figures(group: Group | None, start: dt.datetime, end: dt.datetime) -> Figures:
    scope = group.pk if group is not None else "company"
    key = f"analytics:v1:{scope}:{int(start.timestamp())}:{int(end.timestamp())}"
    found = cache.get(key)
    if found is None:
        found = _figures(group, start, end)
        cache.set(key, found, settings.ANALYTICS_CACHE_SECONDS)
    return found


def _figures(group: Group | None, start: dt.datetime, end: dt.datetime | None) -> Figures:
    """The figures of the weeks from `start` (a Monday) to `end` (a Monday, or None: now).
    7 queries."""
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
        week_start = _monday(timezone.localtime(created, tz).date())
        if week_start in delays:
            delays[week_start].append(round(delay.total_seconds() / 3600, 2))
    for week_start, hours in delays.items():
        by_week[week_start].answered = len(hours)
    # 6, 7. who wrote most
    return Figures(weeks=by_week, counts=_author_counts(posts, comments), delays=delays)


def _monday(day: dt.date) -> dt.date:
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


def _author_counts(posts, comments) -> dict[int, list[int]]:
    """{author id: [posts, comments]} of the 50 most active authors of each kind (2
    queries): enough to rank the top ten of a period whose parts are added up."""
    counts: dict[int, list[int]] = {}
    for index, queryset in enumerate((posts, comments)):
        for author, n in (
            queryset.order_by()
            .values("author")
            .annotate(n=Count("id"))
            .order_by("-n", "author")[:50]
            .values_list("author", "n")
        ):
            counts.setdefault(author, [0, 0])[index] = n
    return counts


def _contributors(counts: dict[int, list[int]]) -> list[Contributor]:
    """The top ten by posts and comments, with their names (1 query)."""
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0]))[:TOP_CONTRIBUTORS]
    if not ranked:
        return []
    people = get_user_model().objects.select_related("profile").in_bulk([pk for pk, _ in ranked])
    return [
        Contributor(
            username=people[pk].username,
            display_name=people[pk].profile.display_name,
            posts=p,
            comments=c,
        )
        for pk, (p, c) in ranked
        if pk in people
    ]
