"""Praise: thank colleagues with a badge, as a post in a group they can read; each is told
(email as they chose); praise received shows on their profile to those who may read it."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from core.errors import ApplicationError
from feeds import praise
from feeds.models import Post
from notifications import services as notification_services
from notifications.models import Notification

from ..factories import make_person
from .world import PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def give(world, privacy="private", people=("leader",), badge="team_player", body="Saved the day"):
    return praise.give_praise(
        actor=world.member,
        group=world.groups[privacy],
        people=[world.users[p] for p in people],
        badge=badge,
        body=body,
    )


def test_praise_from_the_page_names_people_badge_and_why(world):
    response = page_for(world.member).post(
        "/praise/new/",
        {
            "group": world.groups["private"].slug,
            "people": "@leader @owner",
            "badge": "problem_solver",
            "body": "Fixed the **build**",
        },
    )
    post = Post.objects.get(kind="praise")
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert list(post.praised.order_by("username").values_list("username", flat=True)) == [
        "leader",
        "owner",
    ]
    assert post.badge == "problem_solver"
    page = page_for(world.owner).get(post.get_absolute_url()).content.decode()
    assert "🧩 Problem solver" in page and "Praise for" in page and "<strong>build</strong>" in page


@pytest.fixture
def eager_tasks():
    """Email tasks run in the test (a broker is configured on the PostgreSQL+Redis run)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_each_person_praised_is_notified_and_emailed_as_they_chose(
    world, django_capture_on_commit_callbacks, eager_tasks
):
    notification_services.set_preferences(actor=world.owner, deliveries={"praise": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        post = give(world, people=("leader", "owner"))
    for name in ("leader", "owner"):
        told = Notification.objects.get(recipient=world.users[name], kind="praise")
        assert told.text == "Member praised you in Private group: 🤝 Team player"
        assert told.url == post.get_absolute_url()
    emailed = [m.to for m in mail.outbox]
    assert [world.leader.email] in emailed and [world.owner.email] not in emailed


@pytest.mark.parametrize(
    "people,message",
    [
        ("", "Name the people"),
        ("@member", "not yourself"),
        ("@nobody_here", "Nobody active is called @nobody_here"),
        ("@outsider", "cannot read Private group"),
        ("@former", "cannot read Private group"),
    ],
)
def test_praise_that_cannot_reach_its_people_is_refused_on_the_field(world, people, message):
    response = page_for(world.member).post(
        "/praise/new/",
        {
            "group": world.groups["private"].slug,
            "people": people,
            "badge": "thank_you",
            "body": "x",
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Post.objects.filter(kind="praise").exists()


def test_deactivated_people_cannot_be_praised(world):
    world.leader.is_active = False
    world.leader.save()
    with pytest.raises(ApplicationError, match="Nobody active"):
        praise.praised_people("@leader", actor=world.member)


def test_praise_is_not_a_kind_the_plain_composer_or_api_takes(world):
    api = api_for(world.member)
    answer = api.post(
        "/api/v1/posts/",
        {"group": world.groups["public"].slug, "body": "x", "kind": "praise"},
        format="json",
    )
    assert answer.status_code == 400 and "kind" in answer.json()
    bad = api.post(
        "/api/v1/posts/praise/",
        {"group": "public-group", "people": ["leader"], "badge": "gold_star", "body": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "badge" in bad.json()


def test_the_praise_api_gives_and_lists(world):
    api = api_for(world.member)
    made = api.post(
        "/api/v1/posts/praise/",
        {
            "group": world.groups["public"].slug,
            "people": ["leader", "@owner"],
            "badge": "great_mentor",
            "body": "Thanks!",
        },
        format="json",
    )
    assert made.status_code == 201
    data = made.json()
    assert data["kind"] == "praise" and data["badge"] == "great_mentor"
    assert [p["username"] for p in data["praised"]] == ["leader", "owner"]
    listed = api_for(world.outsider).get("/api/v1/people/leader/praise/").json()["results"]
    assert [p["id"] for p in listed] == [data["id"]]


@pytest.mark.parametrize("privacy", PRIVACIES)
@pytest.mark.parametrize("role", ROLES)
def test_praise_on_a_profile_shows_only_to_readers_of_its_group(world, role, privacy):
    give(world, privacy=privacy, body=f"{privacy}thanks")
    reads = role in READERS[privacy]
    profile = page_for(world.users[role]).get("/people/leader/").content.decode()
    assert "Praise received" in profile
    assert (f"{privacy}thanks" in profile) is reads
    listed = api_for(world.users[role]).get("/api/v1/people/leader/praise/").json()["results"]
    assert (len(listed) == 1) is reads


# The profile's praise section: the counts per badge, the latest praise with author, profile
# and group; whatever the number of praise posts and badges.
@pytest.mark.parametrize("count", [1, 7])
def test_the_praise_section_costs_two_queries(world, django_assert_num_queries, count):
    from feeds.selectors import profile_praise

    badges = ["thank_you", "team_player", "problem_solver"]
    for i in range(count):
        give(world, privacy="public", badge=badges[i % 3], body=f"p{i}")
    reader = make_person("reader").user
    with django_assert_num_queries(2 + 1):  # + the reader's roles (admin or not), once
        section = profile_praise(reader, world.leader.profile)
    assert section["total"] == count and len(section["recent"]) == min(count, 5)
