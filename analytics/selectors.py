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

A report costs a fixed number of queries whatever the period and the size of the group.
The weeks that are over are read from the weekly rollups (analytics.models: stored by the
clock, ANALYTICS_ROLLUP_HOUR, and `manage.py rollup_analytics`; a post deleted in an earlier
week shows there once that week is rolled up again); the current week is counted afresh on
every request from the raw rows (analytics.figures: one query per figure, each a grouped
count over an index range of `created_at`).
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import F, Q, Sum
from django.utils import timezone

from core.after_commit import enqueue_on_commit
from core.navigation import remembered
from groups import selectors as groups
from groups.models import Group
from people.roles import is_admin, roles_loaded

from . import figures
from .figures import Week  # noqa: F401 - a report's weeks, for the callers
from .models import WeeklyContribution, WeeklyFigures

DEFAULT_WEEKS = 12
MIN_WEEKS, MAX_WEEKS = 4, 52
TOP_CONTRIBUTORS = 10


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
    # When the current week's figures were counted (None: just now, for this request).
    as_of: dt.datetime | None = None

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


def community_report(*, group: Group | None, weeks: int = DEFAULT_WEEKS, now=None) -> Report:
    """The weekly figures of `group` (None: the whole company) over the last `weeks` weeks.
    The caller checked can_see_group_analytics / can_see_company_analytics.

    1 query for the current week's rollup; the weeks from the rollups (2 queries: the weeks,
    the authors' sums), the current one among them when it is stored; when a week that is
    over is missing they are all counted from the raw rows for this request (1 + 7 queries)
    and the missing weeks are stored by a task after it; a current week not stored is
    counted afresh (7 queries over a week of rows) and stored by a task. Then 1 query for the
    top contributors' names."""
    since = period_start(weeks, now)
    this_week = period_start(1, now)
    stored = _current_week(group, this_week, now)
    end = this_week + dt.timedelta(weeks=1) if stored is not None else this_week
    partial = timezone.localdate(this_week) if stored is not None else None
    past = _past_figures(group, since, end, partial=partial) if since < end else None
    current = figures.compute(group, this_week, None) if stored is None else None
    merged_weeks = {**(past.weeks if past else {}), **(current.weeks if current else {})}
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
        merged_weeks.setdefault(start, figures.Week(start=start))
        merged_weeks[start].median_hours = round(statistics.median(hours), 1) if hours else None
        every_delay += hours
    report = Report(
        scope=group.name if group is not None else "The whole company",
        weeks=[merged_weeks[s] for s in week_starts],
        contributors=_contributors(counts),
        since=since,
        as_of=stored.built_at if stored is not None else None,
    )
    report._median = round(statistics.median(every_delay), 1) if every_delay else None
    return report


def _refresh_current_week(group: Group | None, monday: dt.date) -> None:
    """Count the current week again after this request, once per scope at a time."""
    key = f"analytics:current:{group.pk if group is not None else 'company'}:{monday}"
    if cache.add(key, 1, timeout=max(1, settings.ANALYTICS_CURRENT_WEEK_SECONDS)):
        enqueue_on_commit(
            "analytics.roll_up_weeks", group.pk if group is not None else None, [monday.isoformat()]
        )


def _current_week(group: Group | None, this_week: dt.datetime, now) -> WeeklyFigures | None:
    """The current week's stored figures (1 query), at any age; a task counts it again when
    it is older than ANALYTICS_CURRENT_WEEK_SECONDS or not stored yet."""
    age = settings.ANALYTICS_CURRENT_WEEK_SECONDS
    if age <= 0:
        return None  # counted afresh on every request
    scope = Q(group__isnull=True) if group is None else Q(group=group)
    monday = timezone.localdate(this_week)
    row = WeeklyFigures.objects.filter(scope, week=monday).only("week", "built_at").first()
    if row is None or (now or timezone.now()) - row.built_at > dt.timedelta(seconds=age):
        _refresh_current_week(group, monday)
    return row


def _past_figures(
    group: Group | None, start: dt.datetime, end: dt.datetime, *, partial: dt.date | None = None
) -> figures.Figures:
    """The weeks from `start` to `end` (Mondays) from the rollups, or, when one of them is not
    stored yet, from the raw rows (and a task stores the missing ones). Only `partial` (the
    current week) may have been stored before it was over; another week stored then (its
    nightly rollup has not run) counts as missing."""
    scope = Q(group__isnull=True) if group is None else Q(group=group)
    first, last = timezone.localdate(start), timezone.localdate(end)
    mondays = []
    while first < last:
        mondays.append(first)
        first += dt.timedelta(weeks=1)
    rows = {
        row.week: row
        for row in WeeklyFigures.objects.filter(scope, week__gte=mondays[0], week__lt=last)
    }
    missing = [
        m for m in mondays if m not in rows or (m != partial and rows[m].built_at < _week_end(m))
    ]
    if missing:
        enqueue_on_commit(
            "analytics.roll_up_weeks",
            group.pk if group is not None else None,
            [m.isoformat() for m in missing],
        )
        return figures.compute(group, start, end)
    weeks = {
        m: figures.Week(start=m, **{name: getattr(rows[m], name) for name in ROLLED_UP})
        for m in mondays
    }
    counts = {
        author: [p, c]
        for author, p, c in WeeklyContribution.objects.filter(
            scope, week__gte=mondays[0], week__lt=last
        )
        .values("author")
        .annotate(p=Sum("posts"), c=Sum("comments"), total=Sum(F("posts") + F("comments")))
        .order_by("-total", "author")
        .values_list("author", "p", "c")[: figures.AUTHORS_KEPT]
    }
    return figures.Figures(
        weeks=weeks, counts=counts, delays={m: list(rows[m].delays) for m in mondays}
    )


def _week_end(monday: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(weeks=1), dt.time()))


ROLLED_UP = ("active", "posts", "comments", "reactions", "questions", "answered", "accepted")


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
