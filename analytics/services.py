"""Writing the weekly rollups (analytics.models): a week's figures are counted from the raw
rows by analytics.figures, exactly as a report of that week would count them, and replace
what was stored for it. Safe to run again for the same week (the clock, a rebuild and a
report's own task may meet: the last to commit wins, with the same numbers)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feeds.models import Comment, Post, Reaction
from groups.models import Group

from . import figures
from .models import WeeklyContribution, WeeklyFigures


def week_start(monday: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(monday, dt.time()))


def closed_weeks(since: dt.date, until: dt.date, now=None) -> list[dt.date]:
    """The Mondays of the weeks from `since` to `until` (both included) that are over."""
    current = figures.monday_of(timezone.localtime(now or timezone.now()).date())
    monday = figures.monday_of(since)
    weeks = []
    while monday <= min(until, current - dt.timedelta(weeks=1)):
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    return weeks


def roll_up_week(*, group: Group | None, monday: dt.date) -> WeeklyFigures:
    """Count one week that is over for `group` (None: the company) and store it: 7 queries
    to count, 4 to replace the stored rows."""
    start = week_start(monday)
    found = figures.compute(group, start, start + dt.timedelta(weeks=1), authors=None)
    week = found.weeks.get(monday) or figures.Week(start=monday)
    row = WeeklyFigures(
        group=group,
        week=monday,
        active=week.active,
        posts=week.posts,
        comments=week.comments,
        reactions=week.reactions,
        questions=week.questions,
        answered=week.answered,
        accepted=week.accepted,
        delays=found.delays.get(monday, []),
        built_at=timezone.now(),
    )
    scope = Q(group__isnull=True) if group is None else Q(group=group)
    with transaction.atomic():
        WeeklyFigures.objects.filter(scope, week=monday).delete()
        WeeklyContribution.objects.filter(scope, week=monday).delete()
        row.save()
        WeeklyContribution.objects.bulk_create(
            [
                WeeklyContribution(group=group, week=monday, author_id=author, posts=p, comments=c)
                for author, (p, c) in found.counts.items()
            ],
            batch_size=2000,
        )
    return row


def roll_up_weeks(group_id: int | None, weeks: list[dt.date]) -> int:
    """Store `weeks` for the group `group_id` (None: the company), as a report that found
    them missing asked; 0 when the group is gone since."""
    group = None
    if group_id is not None:
        group = Group.objects.filter(pk=group_id).first()
        if group is None:
            return 0
    for monday in weeks:
        roll_up_week(group=group, monday=monday)
    return len(weeks)


def active_groups(monday: dt.date) -> list[Group]:
    """The groups with a post, comment or reaction in the week (3 queries and the groups):
    a quiet group's weeks are counted when a report first asks for them."""
    start = week_start(monday)
    end = start + dt.timedelta(weeks=1)
    ids = set(
        Post.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("group_id", flat=True)
        .distinct()
    )
    for model in (Comment, Reaction):
        ids |= set(
            model.objects.filter(created_at__gte=start, created_at__lt=end)
            .values_list("post__group_id", flat=True)
            .distinct()
        )
    return list(Group.objects.filter(pk__in=ids).order_by("pk"))


def roll_up(*, weeks: list[dt.date], groups: list[Group] | None = None) -> int:
    """Store `weeks` for the company and for `groups` (None: every group active in each
    week). Returns the number of (scope, week) rows written."""
    written = 0
    for monday in weeks:
        roll_up_week(group=None, monday=monday)
        written += 1
        for group in active_groups(monday) if groups is None else groups:
            roll_up_week(group=group, monday=monday)
            written += 1
    return written


def roll_up_recent(now=None) -> int:
    """The clock's job: the week that just ended and the ANALYTICS_ROLLUP_REFRESH_WEEKS
    before it, again (a post deleted or removed late shows in them)."""
    today = timezone.localtime(now or timezone.now()).date()
    back = settings.ANALYTICS_ROLLUP_REFRESH_WEEKS + 1
    return roll_up(weeks=closed_weeks(today - dt.timedelta(weeks=back), today, now))
