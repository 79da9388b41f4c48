"""Sharing a post into another group: the share shows the original only to readers who
may read it themselves, on every surface (group feed page, post page, API list and detail,
the fragment a live card asks for, the live event itself)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core import events
from feeds import services, sharing
from feeds.models import Post
from notifications.models import Notification

from ..factories import make_person
from .world import PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
HIDDEN = "Shared a post you can't see."


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shares(world):
    """Each group's post shared by the owner (a member everywhere) into the public group."""
    target = world.groups["public"]
    return {
        privacy: sharing.share_post(
            actor=world.owner, post=world.posts[privacy], group=target, body=f"Look {privacy}!"
        )
        for privacy in PRIVACIES
    }


@pytest.mark.parametrize("privacy", PRIVACIES)
@pytest.mark.parametrize("role", ROLES)
def test_a_share_shows_its_original_only_to_those_who_may_read_it(world, shares, role, privacy):
    user, share, word = world.users[role], shares[privacy], f"{privacy}word"
    reads = role in READERS[privacy]
    # Every role reads the public group the share is in.
    api = api_for(user)
    detail = api.get(f"/api/v1/posts/{share.pk}/").json()
    assert detail["body"] == f"Look {privacy}!"
    assert detail["shared"]["visible"] is reads
    assert (detail["shared"]["post"] is not None) is reads
    if reads:
        assert detail["shared"]["post"]["id"] == world.posts[privacy].pk
    listed = {
        p["id"]: p
        for p in api.get(f"/api/v1/groups/{world.groups['public'].slug}/posts/").json()["results"]
    }
    assert listed[share.pk]["shared"]["visible"] is reads
    assert (word in str(listed[share.pk])) is reads
    assert (word in str(detail)) is reads
    client = page_for(user)
    for url in (
        share.get_absolute_url(),
        world.groups["public"].get_absolute_url(),
        f"/posts/{share.pk}/original/",
    ):
        body = client.get(url).content.decode()
        assert (word in body) is reads, url
        if not reads:
            assert HIDDEN in body
            assert world.groups[privacy].name not in body or privacy == "public"


def test_the_live_event_of_a_share_carries_nothing_of_the_original(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The card goes once to everyone in the group: it asks for the original per reader."""
    sent = []
    monkeypatch.setattr(events, "_send", lambda audience, message: sent.append(message))
    with django_capture_on_commit_callbacks(execute=True):
        share = sharing.share_post(
            actor=world.owner, post=world.posts["secret"], group=world.groups["public"], body="Hi"
        )
    created = [m["event"] for m in sent if m["event"]["type"] == "post.created"]
    assert len(created) == 1
    assert "secretword" not in created[0]["html"]
    assert "Secret group" not in created[0]["html"]
    assert f"/posts/{share.pk}/original/" in created[0]["html"]


def test_sharing_needs_the_right_to_post_in_the_target_and_to_read_the_original(world):
    secret_post = world.posts["secret"]
    outsider = api_for(world.outsider)
    assert (
        outsider.post(
            f"/api/v1/posts/{secret_post.pk}/share/", {"group": "public-group"}, format="json"
        ).status_code
        == 404
    )
    # A former member may no longer post in the private group.
    former = api_for(world.former)
    answer = former.post(
        f"/api/v1/posts/{world.posts['public'].pk}/share/",
        {"group": world.groups["private"].slug, "body": "x"},
        format="json",
    )
    assert answer.status_code in (400, 403)
    muted = api_for(world.muted)
    answer = muted.post(
        f"/api/v1/posts/{world.posts['public'].pk}/share/",
        {"group": world.groups["private"].slug},
        format="json",
    )
    assert answer.status_code == 403
    bad = api_for(world.member).post(
        f"/api/v1/posts/{world.posts['public'].pk}/share/", {"group": 5}, format="json"
    )
    assert bad.status_code == 400 and "group" in bad.json()
    assert not Post.objects.filter(shared_post__isnull=False).exists()


def test_the_original_author_is_told_if_they_may_read_where_it_went(world):
    author = make_person("writer").user
    from groups import services as groups

    groups.join_group(actor=author, group=world.groups["public"])
    post = services.create_post(actor=author, group=world.groups["public"], body="Mine")
    sharing.share_post(actor=world.member, post=post, group=world.groups["public"], body="Yes")
    told = Notification.objects.filter(recipient=author, kind="share")
    assert told.count() == 1 and "Public group" in told.get().text
    # Shared into a secret group the author cannot read: not a word of it.
    sharing.share_post(actor=world.member, post=post, group=world.groups["secret"], body="")
    assert told.count() == 1


def test_the_share_page_shares_with_a_comment(world):
    post = world.posts["private"]
    client = page_for(world.member)
    form = client.get(f"/posts/{post.pk}/share/")
    assert form.status_code == 200 and "privateword" in form.content.decode()
    done = client.post(
        f"/posts/{post.pk}/share/", {"group": world.groups["public"].slug, "body": "FYI team"}
    )
    share = Post.objects.get(shared_post=post)
    assert done.status_code == 302 and done["Location"] == share.get_absolute_url()
    assert share.body == "FYI team" and share.group == world.groups["public"]
    refused = client.post(f"/posts/{post.pk}/share/", {"group": "no-such-group"})
    assert refused.status_code == 400
    assert page_for(world.outsider).get(f"/posts/{post.pk}/share/").status_code == 404


def test_a_share_of_a_plain_share_points_at_the_original(world):
    first = sharing.share_post(
        actor=world.owner, post=world.posts["private"], group=world.groups["public"]
    )
    second = sharing.share_post(actor=world.owner, post=first, group=world.groups["public"])
    assert second.shared_post_id == world.posts["private"].pk


# The group's posts through the API with shares on the page: the same queries as without,
# plus one for the originals the reader may read (whatever the number of shares).
@pytest.mark.parametrize("count", [1, 6])
def test_shares_cost_one_query_per_page(world, django_assert_num_queries, count):
    from django.contrib.auth import get_user_model

    target = world.groups["public"]
    for i in range(count):
        sharing.share_post(
            actor=world.owner, post=world.posts[PRIVACIES[i % 3]], group=target, body=f"s{i}"
        )
    api = api_for(get_user_model().objects.get(pk=world.outsider.pk))
    with django_assert_num_queries(9):
        response = api.get(f"/api/v1/groups/{target.slug}/posts/", {"page_size": 20})
    assert len(response.json()["results"]) == count + 1
