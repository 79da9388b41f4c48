"""Drafts and scheduled posts: kept on the server, listed on the Drafts page, changed or
cancelled before they go, published by the clock with every posting rule checked again."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import ApplicationError
from feeds import drafts
from feeds.models import Draft, Post
from feeds.tasks import publish_due_posts
from groups import services as groups
from notifications.models import Notification

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(hours=1)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def later(delta=SOON):
    return timezone.now() + delta


def test_the_clock_publishes_scheduled_posts_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["feeds-scheduled-posts"]
    assert entry["task"] == "feeds.publish_due_posts"
    assert entry["schedule"] == settings.FEEDS_SCHEDULE_CHECK_SECONDS


def test_a_draft_is_kept_listed_and_published_when_its_author_says(world):
    client = page_for(world.member)
    group = world.groups["private"]
    saved = client.post(
        "/posts/new/",
        {"group": group.slug, "body": "Half a thought", "kind": "update", "action": "draft"},
    )
    assert saved.status_code == 302 and saved["Location"] == "/posts/drafts/"
    draft = Draft.objects.get(author=world.member)
    assert draft.state == "draft" and not Post.objects.filter(body="Half a thought").exists()
    listing = client.get("/posts/drafts/").content.decode()
    assert "Half a thought" in listing and "Private group" in listing
    published = client.post(
        draft.get_absolute_url(),
        {"group": group.slug, "body": "A whole thought", "kind": "question", "action": "publish"},
    )
    post = Post.objects.get(body="A whole thought")
    assert published.status_code == 302 and published["Location"] == post.get_absolute_url()
    assert post.kind == "question" and post.group == group
    draft.refresh_from_db()
    assert draft.state == "published" and draft.post == post
    assert "A whole thought" not in client.get("/posts/drafts/").content.decode()


def test_the_composer_saves_a_draft_without_a_reload(world):
    response = page_for(world.member).post(
        "/posts/new/",
        {"from": "home", "group": "", "body": "No group yet", "kind": "update", "action": "draft"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#compose-status"
    assert Draft.objects.get(author=world.member).group is None


def test_scheduling_from_the_composer_reads_the_time_in_my_time_zone(world):
    profile = world.member.profile
    profile.timezone = "Europe/Paris"
    profile.save()
    local = (timezone.now() + dt.timedelta(days=2)).astimezone(dt.timezone(dt.timedelta(hours=1)))
    response = page_for(world.member).post(
        "/posts/new/",
        {
            "group": world.groups["public"].slug,
            "body": "Monday news",
            "kind": "update",
            "action": "schedule",
            "publish_at": local.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    draft = Draft.objects.get(author=world.member)
    assert draft.state == "scheduled"
    import zoneinfo

    expected = local.replace(tzinfo=None, second=0, microsecond=0).replace(
        tzinfo=zoneinfo.ZoneInfo("Europe/Paris")
    )
    assert draft.publish_at == expected


@pytest.mark.parametrize(
    "publish_at,message",
    [("", "Choose when"), ("2020-01-01T10:00", "in the future"), ("soon", "date and time")],
)
def test_a_schedule_needs_a_time_in_the_future(world, publish_at, message):
    response = page_for(world.member).post(
        "/posts/new/",
        {
            "group": world.groups["public"].slug,
            "body": "x",
            "kind": "update",
            "action": "schedule",
            "publish_at": publish_at,
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Draft.objects.exists()


def test_the_clock_publishes_what_is_due_once(world):
    draft = drafts.save_draft(
        actor=world.member, body="On time", group=world.groups["private"], publish_at=later()
    )
    assert publish_due_posts() == 0
    Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - SOON)
    assert publish_due_posts() == 1
    assert publish_due_posts() == 0  # a redelivered task publishes nothing twice
    post = Post.objects.get(body="On time")
    assert post.author == world.member and post.group == world.groups["private"]
    draft.refresh_from_db()
    assert draft.state == "published" and draft.post == post


def _due(draft):
    Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - SOON)


@pytest.mark.parametrize("privacy", ["public", "private", "secret"])
def test_someone_who_left_the_group_is_not_published_and_told_why(world, privacy):
    group = world.groups[privacy]
    draft = drafts.save_draft(actor=world.member, body="Bye", group=group, publish_at=later())
    groups.leave_group(actor=world.member, group=group)
    _due(draft)
    assert publish_due_posts() == 0
    draft.refresh_from_db()
    assert draft.state == "failed"
    assert draft.failure == f"you are no longer a member of {group.name}."
    assert not Post.objects.filter(body="Bye").exists()
    told = Notification.objects.get(recipient=world.member, kind="scheduled_post")
    assert "not published" in told.text and told.url == draft.get_absolute_url()
    page = page_for(world.member).get("/posts/drafts/").content.decode()
    assert "Not published" in page and "no longer a member" in page


def test_a_muted_or_deactivated_author_is_not_published(world):
    group = world.groups["private"]
    muted = drafts.save_draft(actor=world.member, body="Muted", group=group, publish_at=later())
    gone = drafts.save_draft(actor=world.leader, body="Gone", group=group, publish_at=later())
    groups.mute_member(actor=world.owner, group=group, user=world.member, until=later(SOON * 48))
    world.leader.is_active = False
    world.leader.save()
    _due(muted)
    _due(gone)
    assert publish_due_posts() == 0
    muted.refresh_from_db()
    gone.refresh_from_db()
    assert muted.state == gone.state == "failed"
    assert "muted" in muted.failure and gone.failure == "the account is deactivated."
    assert not Post.objects.filter(body__in=["Muted", "Gone"]).exists()
    assert not Notification.objects.filter(recipient=world.leader, kind="scheduled_post")


def test_scheduling_is_refused_at_once_where_one_may_not_post(world):
    for name in ("former", "outsider"):
        with pytest.raises(ApplicationError, match="Choose a group you belong to"):
            drafts.save_draft(
                actor=world.users[name],
                body="x",
                group=world.groups["private"],
                publish_at=later(),
            )
    answer = api_for(world.former).post(
        "/api/v1/posts/drafts/",
        {"body": "x", "group": world.groups["secret"].slug, "publish_at": later().isoformat()},
        format="json",
    )
    assert answer.status_code == 400 and "group" in answer.json()


def test_a_scheduled_post_is_changed_or_cancelled_before_it_goes(world):
    client = page_for(world.member)
    group = world.groups["public"]
    draft = drafts.save_draft(actor=world.member, body="v1", group=group, publish_at=later())
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200 and "Cancel schedule" in page.content.decode()
    client.post(draft.get_absolute_url(), {"group": group.slug, "body": "v2", "kind": "update"})
    draft.refresh_from_db()
    assert draft.body == "v2" and draft.state == "scheduled"
    client.post(draft.get_absolute_url(), {"action": "unschedule"})
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.publish_at is None
    _due(draft)
    assert publish_due_posts() == 0 and not Post.objects.filter(body="v2").exists()
    client.post(draft.get_absolute_url(), {"action": "delete"})
    assert not Draft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("role", ["owner", "leader", "muted", "former", "outsider", "admin"])
def test_nobody_else_opens_or_touches_my_draft(world, role):
    draft = drafts.save_draft(actor=world.member, body="Mine alone", group=world.groups["public"])
    client, api = page_for(world.users[role]), api_for(world.users[role])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(draft.get_absolute_url(), {"action": "delete"}).status_code == 404
    assert api.get(f"/api/v1/posts/drafts/{draft.pk}/").status_code == 404
    assert (
        api.patch(f"/api/v1/posts/drafts/{draft.pk}/", {"body": "x"}, format="json").status_code
        == 404
    )
    assert api.post(f"/api/v1/posts/drafts/{draft.pk}/publish/").status_code == 404
    assert api.delete(f"/api/v1/posts/drafts/{draft.pk}/").status_code == 404
    assert api.get("/api/v1/posts/drafts/").json()["results"] == []
    assert "Mine alone" not in client.get("/posts/drafts/").content.decode()
    assert Draft.objects.get(pk=draft.pk).body == "Mine alone"


def test_the_drafts_api_keeps_schedules_cancels_and_publishes(world):
    api = api_for(world.member)
    made = api.post(
        "/api/v1/posts/drafts/", {"body": "Via API", "group": "public-group"}, format="json"
    )
    assert made.status_code == 201 and made.json()["state"] == "draft"
    draft_id = made.json()["id"]
    when = later(SOON * 3)
    scheduled = api.patch(
        f"/api/v1/posts/drafts/{draft_id}/", {"publish_at": when.isoformat()}, format="json"
    )
    assert scheduled.json()["state"] == "scheduled"
    cancelled = api.patch(f"/api/v1/posts/drafts/{draft_id}/", {"publish_at": None}, format="json")
    assert cancelled.json()["state"] == "draft"
    bad = api.patch(f"/api/v1/posts/drafts/{draft_id}/", {"kind": "praise"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    published = api.post(f"/api/v1/posts/drafts/{draft_id}/publish/")
    assert published.status_code == 201 and published.json()["body"] == "Via API"
    again = api.post(f"/api/v1/posts/drafts/{draft_id}/publish/")
    assert again.status_code == 404  # published drafts leave the list of mine to change


# Drafts API: the page of drafts with their groups. Drafts page: session, user, my profile
# (my time zone), the drafts with their groups, the shell's unread count and my profile.
@pytest.mark.parametrize("count", [1, 8])
def test_drafts_lists_cost_the_same_whatever_their_length(world, django_assert_num_queries, count):
    from django.contrib.auth import get_user_model

    for i in range(count):
        drafts.save_draft(
            actor=world.member, body=f"d{i}", group=world.groups[("public", "private")[i % 2]]
        )
    api = api_for(get_user_model().objects.get(pk=world.member.pk))
    with django_assert_num_queries(1):
        assert len(api.get("/api/v1/posts/drafts/").json()["results"]) == count
    client = page_for(world.member)
    client.get("/posts/drafts/")
    # the top bar's profile, the unread badge and the policy banner come with the session's
    # user (people.authentication, core.session_reads): the session, the user, the drafts
    with django_assert_num_queries(3):
        client.get("/posts/drafts/")
