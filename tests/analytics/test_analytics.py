"""Community analytics: the figures are what the stored rows say, only leaders and admins
see them (every role of the standing world), the CSV matches, query counts are fixed."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from analytics import selectors, services
from analytics.models import WeeklyFigures
from feeds import services as feeds
from feeds.models import Comment, Post, Reaction
from tests.conftest import client_for
from tests.feeds.world import PRIVACIES

pytestmark = pytest.mark.django_db


def _at(post_or_comment, when):
    type(post_or_comment).objects.filter(pk=post_or_comment.pk).update(created_at=when)


@pytest.fixture
def busy(world):
    """The public group this week: a question answered by the leader 3 hours later (after
    the asker's own comment, which is no answer), an unanswered question, a deleted post
    and reactions; last week one post."""
    group = world.groups["public"]
    now = timezone.now()
    monday = selectors.period_start(1, now)
    asked = monday + dt.timedelta(hours=1)
    q1 = feeds.create_post(
        actor=world.member, group=group, body="How do I expense?", kind="question"
    )
    _at(q1, asked)
    own = feeds.create_comment(actor=world.member, post=q1, body="Anyone?")
    _at(own, asked + dt.timedelta(hours=1))
    answer = feeds.create_comment(actor=world.leader, post=q1, body="Use the form")
    _at(answer, asked + dt.timedelta(hours=3))
    feeds.accept_answer(actor=world.member, post=q1, comment=answer)
    q2 = feeds.create_post(actor=world.owner, group=group, body="Lunch?", kind="question")
    _at(q2, asked)
    gone = feeds.create_post(actor=world.owner, group=group, body="Oops")
    _at(gone, asked)
    feeds.delete_post(actor=world.owner, post=gone)
    feeds.toggle_reaction(actor=world.outsider, post=q1, kind="like")
    Reaction.objects.filter(post=q1).update(created_at=asked)
    old = feeds.create_post(actor=world.leader, group=group, body="Last week")
    _at(old, monday - dt.timedelta(days=2))
    # the world's own post, comment, reply and like in every group: move them out of range
    Post.objects.filter(pk__in=[p.pk for p in world.posts.values()]).update(
        created_at=now - dt.timedelta(weeks=80)
    )
    Comment.objects.filter(post__in=world.posts.values()).update(
        created_at=now - dt.timedelta(weeks=80)
    )
    Reaction.objects.filter(post__in=world.posts.values()).update(
        created_at=now - dt.timedelta(weeks=80)
    )
    return world


def test_the_figures_are_what_the_rows_say(busy):
    report = selectors.community_report(group=busy.groups["public"], weeks=4)
    this, last = report.weeks[-1], report.weeks[-2]
    assert (this.posts, this.questions, this.answered, this.accepted) == (2, 2, 1, 1)
    assert this.comments == 2 and this.reactions == 1
    assert this.median_hours == 3.0  # to the leader's answer, not the asker's own comment
    assert this.active == 4  # member, leader, owner, outsider (reacted)
    assert (last.posts, last.active) == (1, 1)
    assert report.median_hours == 3.0 and report.answered_share == 50
    top = [(c.username, c.posts, c.comments) for c in report.contributors]
    assert set(top[:2]) == {("member", 1, 1), ("leader", 1, 1)}  # 2 each, then by id
    assert top[2] == ("owner", 1, 0)


def test_company_report_counts_every_group(busy):
    feeds.create_post(actor=busy.member, group=busy.groups["secret"], body="Secret plan")
    report = selectors.community_report(group=None, weeks=4)
    assert report.weeks[-1].posts == 3


@pytest.mark.parametrize("privacy", PRIVACIES)
def test_who_sees_a_groups_analytics(world, privacy):
    group = world.groups[privacy]
    for role, page, api in [
        ("owner", 200, 200),
        ("leader", 200, 200),
        ("admin", 200, 200),
        ("member", 403, 403),
        ("muted", 403, 403),
        ("former", 403 if privacy != "secret" else 404, 403 if privacy != "secret" else 404),
        ("outsider", 403 if privacy != "secret" else 404, 403 if privacy != "secret" else 404),
    ]:
        client = client_for(world.users[role])
        response = client.get(f"/groups/{group.slug}/insights/")
        assert response.status_code == page, (role, response.status_code)
        assert client.get(f"/api/v1/groups/{group.slug}/analytics/").status_code == api, role
        assert client.get(f"/groups/{group.slug}/insights/?format=csv").status_code == page
        if page != 200:
            assert b"Top contributors" not in response.content
            if privacy == "secret":
                assert group.name.encode() not in response.content


def test_deactivated_leader_sees_nothing(world):
    leader = world.leader
    client = client_for(leader)
    leader.is_active = False
    leader.save()
    assert client.get(f"/groups/{world.groups['public'].slug}/insights/").status_code == 302
    assert client.get(f"/api/v1/groups/{world.groups['public'].slug}/analytics/").status_code in (
        401,
        403,
    )


def test_company_analytics_is_for_admins(world):
    assert client_for(world.admin).get("/analytics/").status_code == 200
    assert client_for(world.admin).get("/api/v1/analytics/company/").status_code == 200
    for role in ("owner", "leader", "member", "muted", "former", "outsider"):
        assert client_for(world.users[role]).get("/analytics/").status_code == 403
        assert client_for(world.users[role]).get("/api/v1/analytics/company/").status_code == 403


def test_insights_tab_only_for_leaders(world):
    slug = world.groups["public"].slug
    assert (
        f"/groups/{slug}/insights/"
        in client_for(world.leader).get(f"/groups/{slug}/").content.decode()
    )
    assert (
        f"/groups/{slug}/insights/"
        not in client_for(world.member).get(f"/groups/{slug}/").content.decode()
    )
    assert (
        f"/groups/{slug}/files/"
        in client_for(world.member).get(f"/groups/{slug}/").content.decode()
    )
    assert "/analytics/" in client_for(world.admin).get("/").content.decode()
    assert 'href="/analytics/"' not in client_for(world.member).get("/").content.decode()


def test_page_has_charts_table_and_csv(busy):
    slug = busy.groups["public"].slug
    html = client_for(busy.leader).get(f"/groups/{slug}/insights/?weeks=4").content.decode()
    assert html.count("<svg") >= 5 and "Week by week" in html and "Top contributors" in html
    response = client_for(busy.leader).get(f"/groups/{slug}/insights/?weeks=4&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "week_starting" and len(rows) == 5
    assert rows[-1][2] == "2" and rows[-1][-1] == "3.0"


def test_weeks_parameter_is_validated(world):
    slug = world.groups["public"].slug
    client = client_for(world.leader)
    assert "weeks" in client.get(f"/api/v1/groups/{slug}/analytics/?weeks=500").json()
    assert "weeks" in client.get(f"/api/v1/groups/{slug}/analytics/?weeks=x").json()
    assert len(client.get(f"/api/v1/groups/{slug}/analytics/?weeks=5").json()["weeks"]) == 5
    assert client.get(f"/groups/{slug}/insights/?weeks=banana").status_code == 200


def test_query_count_is_fixed(busy, django_assert_num_queries):
    slug = busy.groups["public"].slug
    client = client_for(busy.leader)
    # the weeks that are over not rolled up yet: counted from the raw rows (7 queries more);
    # the current week not stored: counted afresh (1 query to find it is not, then 7); the
    # viewer's roles come with the session's user (people.authentication.session_user)
    with django_assert_num_queries(21):
        client.get(f"/api/v1/groups/{slug}/analytics/?weeks=52")
    roll_up_range(52, groups=[busy.groups["public"]])
    # session, user (with its roles), group, membership, the current week, the rollups
    # (weeks, authors), the current week's 7 counts, names
    with django_assert_num_queries(15):
        client.get(f"/api/v1/groups/{slug}/analytics/?weeks=52")
    for i in range(15):
        p = feeds.create_post(
            actor=busy.member, group=busy.groups["public"], body=f"q{i}", kind="question"
        )
        feeds.create_comment(actor=busy.owner, post=p, body="a")
    with django_assert_num_queries(15):
        client.get(f"/api/v1/groups/{slug}/analytics/?weeks=52")
    # the current week stored too (the task a report queues): nothing counted from the rows
    services.roll_up_week(group=busy.groups["public"], monday=selectors.period_start(1).date())
    with django_assert_num_queries(8):
        client.get(f"/api/v1/groups/{slug}/analytics/?weeks=52")
    admin = client_for(busy.admin)
    with django_assert_num_queries(13):
        admin.get("/api/v1/analytics/company/")
    # the group header's queries, then the same figures (the top bar's profile, the roles,
    # the unread badge and the policy banner come with the session's user)
    with django_assert_num_queries(11):
        client.get(f"/groups/{slug}/insights/")


def test_the_current_week_is_read_from_its_rollup_and_counted_again_when_old(
    busy, settings, tasks_in_process, django_capture_on_commit_callbacks
):
    """At a million posts counting this week takes seconds: a report reads its stored
    figures (and says as of when), a task counts them again once they are older than
    ANALYTICS_CURRENT_WEEK_SECONDS; never a figure of another week stored too early."""
    group = busy.groups["public"]
    monday = selectors.period_start(1).date()
    with django_capture_on_commit_callbacks(execute=True):  # the task it queues stores it
        live = selectors.community_report(group=group, weeks=4)
    assert live.as_of is None  # nothing stored: counted for this request
    stored = selectors.community_report(group=group, weeks=4)
    assert stored.as_of is not None and stored.weeks[-1].posts == live.weeks[-1].posts
    feeds.create_post(actor=busy.member, group=group, body="Just now")
    assert selectors.community_report(group=group, weeks=4).weeks[-1].posts == live.weeks[-1].posts
    page = client_for(busy.leader).get(f"/groups/{group.slug}/insights/").content.decode()
    assert "This week&#x27;s figures as of" in page or "This week's figures as of" in page

    settings.ANALYTICS_CURRENT_WEEK_SECONDS = 1
    WeeklyFigures.objects.filter(group=group, week=monday).update(
        built_at=timezone.now() - dt.timedelta(minutes=5)
    )
    cache.clear()  # the task queued a minute ago: no other under way
    with django_capture_on_commit_callbacks(execute=True):
        old = selectors.community_report(group=group, weeks=4)
    assert old.weeks[-1].posts == live.weeks[-1].posts  # shown while the task counts again
    fresh = selectors.community_report(group=group, weeks=4)
    assert fresh.weeks[-1].posts == live.weeks[-1].posts + 1

    settings.ANALYTICS_CURRENT_WEEK_SECONDS = 0  # counted on every request
    feeds.create_post(actor=busy.member, group=group, body="And again")
    again = selectors.community_report(group=group, weeks=4)
    assert again.as_of is None and again.weeks[-1].posts == live.weeks[-1].posts + 2


def test_weeks_that_are_over_come_from_the_rollups(busy):
    group = busy.groups["public"]
    roll_up_range(4, groups=[group])
    before = selectors.community_report(group=group, weeks=4)
    old = Post.objects.filter(group=group, body="Last week").get()
    Post.objects.filter(pk=old.pk).update(deleted_at=timezone.now())
    feeds.create_post(actor=busy.member, group=group, body="This week, again")
    after = selectors.community_report(group=group, weeks=4)
    assert after.weeks[-2].posts == before.weeks[-2].posts == 1  # kept until rolled up again
    assert after.weeks[-1].posts == before.weeks[-1].posts + 1  # the current week is live
    services.roll_up_recent()  # the clock: the week that just ended, counted again
    assert selectors.community_report(group=group, weeks=4).weeks[-2].posts == 0


def roll_up_range(weeks: int, *, groups=None) -> None:
    today = timezone.localdate()
    services.roll_up(
        weeks=services.closed_weeks(today - dt.timedelta(weeks=weeks), today), groups=groups
    )
