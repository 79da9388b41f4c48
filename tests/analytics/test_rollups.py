"""The weekly rollups say what the raw rows say: a report read from them is the report
counted from the rows, for a group and for the company, over weeks with questions, answers,
deletions and reactions; the clock and the rebuild command store them."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics import figures, selectors, services
from analytics.models import WeeklyContribution, WeeklyFigures
from feeds import services as feeds
from feeds.models import Comment, Post, Reaction
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _at(row, when):
    type(row).objects.filter(pk=row.pk).update(created_at=when)


@pytest.fixture
def history(world):
    """Six weeks of activity in two groups: questions answered after a few hours, a deleted
    post, a removed comment, reactions, people active in both groups."""
    monday = selectors.period_start(1)
    people = [world.member, world.leader, world.owner]
    for back in range(1, 7):
        week = monday - dt.timedelta(weeks=back) + dt.timedelta(hours=10)
        for i, privacy in enumerate(("public", "private")):
            group = world.groups[privacy]
            asker = people[(back + i) % 3]
            q = feeds.create_post(actor=asker, group=group, body=f"Q{back}{i}?", kind="question")
            _at(q, week)
            answerer = people[(back + i + 1) % 3]
            a = feeds.create_comment(actor=answerer, post=q, body="An answer")
            _at(a, week + dt.timedelta(hours=back + i))
            if back % 2:
                feeds.accept_answer(actor=asker, post=q, comment=a)
            p = feeds.create_post(actor=answerer, group=group, body=f"Update {back}")
            _at(p, week + dt.timedelta(days=1))
            if back == 3:
                feeds.delete_post(actor=answerer, post=p)
            feeds.toggle_reaction(actor=people[(back + i + 2) % 3], post=q, kind="like")
            Reaction.objects.filter(post=q).update(created_at=week + dt.timedelta(hours=1))
    Post.objects.filter(pk__in=[p.pk for p in world.posts.values()]).update(
        created_at=monday - dt.timedelta(weeks=80)
    )
    Comment.objects.filter(post__in=world.posts.values()).update(
        created_at=monday - dt.timedelta(weeks=80)
    )
    Reaction.objects.filter(post__in=world.posts.values()).update(
        created_at=monday - dt.timedelta(weeks=80)
    )
    return world


def _raw_report(group, weeks):
    """The report counted from the raw rows only (every author kept)."""
    since, this_week = selectors.period_start(weeks), selectors.period_start(1)
    raw = figures.compute(group, since, this_week, authors=None)
    return raw


def _as_rows(report):
    return [
        (
            w.start,
            w.active,
            w.posts,
            w.comments,
            w.reactions,
            w.questions,
            w.answered,
            w.accepted,
            w.median_hours,
        )
        for w in report.weeks
    ]


@pytest.mark.parametrize("scope", ["public", "company"])
def test_a_report_from_the_rollups_is_the_report_from_the_rows(history, scope):
    group = history.groups[scope] if scope != "company" else None
    from_rows = selectors.community_report(group=group, weeks=8)  # nothing rolled up yet
    assert not WeeklyFigures.objects.exists()
    today = timezone.localdate()
    services.roll_up(weeks=services.closed_weeks(today - dt.timedelta(weeks=8), today))
    from_rollups = selectors.community_report(group=group, weeks=8)
    assert _as_rows(from_rollups) == _as_rows(from_rows)
    assert from_rollups.median_hours == from_rows.median_hours
    assert from_rollups.answered_share == from_rows.answered_share
    assert [(c.username, c.posts, c.comments) for c in from_rollups.contributors] == [
        (c.username, c.posts, c.comments) for c in from_rows.contributors
    ]
    # and against the raw figures of the whole period, week by week
    raw = _raw_report(group, 8)
    for week in from_rollups.weeks[:-1]:
        expected = raw.weeks[week.start]
        assert (week.posts, week.comments, week.reactions, week.active, week.answered) == (
            expected.posts,
            expected.comments,
            expected.reactions,
            expected.active,
            expected.answered,
        )
    assert sum(w.posts for w in from_rollups.weeks) > 0


def test_company_active_people_are_counted_once_across_groups(history):
    today = timezone.localdate()
    services.roll_up(weeks=services.closed_weeks(today - dt.timedelta(weeks=3), today))
    company = selectors.community_report(group=None, weeks=4)
    public = selectors.community_report(group=history.groups["public"], weeks=4)
    private = selectors.community_report(group=history.groups["private"], weeks=4)
    last = -2
    assert company.weeks[last].active < public.weeks[last].active + private.weeks[last].active
    assert company.weeks[last].posts == public.weeks[last].posts + private.weeks[last].posts


def test_the_clock_and_the_command_store_the_weeks(history):
    services.roll_up_recent()
    stored = set(WeeklyFigures.objects.filter(group=None).values_list("week", flat=True))
    assert len(stored) == 3  # the week that ended and the 2 before it (the default)
    assert WeeklyFigures.objects.filter(group=history.groups["secret"]).count() == 0  # quiet
    call_command("rollup_analytics", "--weeks", "8", stdout=io.StringIO())
    assert WeeklyFigures.objects.filter(group=None).count() == 8
    assert WeeklyFigures.objects.filter(group=history.groups["public"]).count() == 6
    assert WeeklyContribution.objects.filter(group=None).exists()
    call_command("rollup_analytics", "--weeks", "8", stdout=io.StringIO())  # again
    assert WeeklyFigures.objects.filter(group=None).count() == 8


def test_the_command_says_what_is_wrong(history):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since"):
        call_command("rollup_analytics", "--since", "yesterday")
    with pytest.raises(CommandError, match="no such group"):
        call_command("rollup_analytics", "--group", "nope")


def test_a_deactivated_admin_sees_no_company_analytics(history):
    admin = history.admin
    client = client_for(admin)
    admin.is_active = False
    admin.save()
    assert client.get("/analytics/").status_code == 302
    assert client.get("/api/v1/analytics/company/").status_code in (401, 403)
