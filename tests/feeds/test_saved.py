"""Saved posts: save and unsave any readable post, the Saved page and API, and a saved post
that becomes unreadable leaves the list (filtered through visible_posts, never deleted)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from feeds import moderation, services, sharing
from feeds.models import SavedPost
from groups import services as groups

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


def saved_ids(user) -> list[int]:
    return [p["id"] for p in api_for(user).get("/api/v1/posts/saved/").json()["results"]]


@pytest.mark.parametrize("privacy", PRIVACIES)
@pytest.mark.parametrize("role", ROLES)
def test_anyone_who_may_read_a_post_saves_it_and_nobody_else(world, role, privacy):
    user, post = world.users[role], world.posts[privacy]
    api = api_for(user)
    answer = api.post(f"/api/v1/posts/{post.pk}/save/")
    page = page_for(user).post(f"/posts/{post.pk}/save/", {"on": "1"})
    if role in READERS[privacy]:
        assert answer.status_code == 200 and answer.json() == {"saved": True}
        assert page.status_code == 302
        assert saved_ids(user) == [post.pk]
        saved_page = page_for(user).get("/posts/saved/").content.decode()
        assert f"{privacy}word" in saved_page
    else:
        assert answer.status_code == 404 and page.status_code == 404
        assert not SavedPost.objects.filter(user=user).exists()
        assert f"{privacy}word" not in page_for(user).get("/posts/saved/").content.decode()


def test_saving_twice_keeps_one_row_and_unsaving_takes_it_out(world):
    post, api = world.posts["public"], api_for(world.outsider)
    api.post(f"/api/v1/posts/{post.pk}/save/")
    api.post(f"/api/v1/posts/{post.pk}/save/")
    assert SavedPost.objects.filter(user=world.outsider, post=post).count() == 1
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["saved"] is True
    assert api.delete(f"/api/v1/posts/{post.pk}/save/").json() == {"saved": False}
    assert saved_ids(world.outsider) == []
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["saved"] is False


def test_the_card_button_toggles_without_a_reload(world):
    post, client = world.posts["public"], page_for(world.outsider)
    saved = client.post(f"/posts/{post.pk}/save/", {"on": "1"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'aria-pressed="true"' in saved.content.decode()
    again = client.post(f"/posts/{post.pk}/save/", {"on": "0"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in again.content.decode()
    assert client.post(f"/posts/{post.pk}/save/", {"on": "x"}).status_code == 400


def test_a_member_removed_from_the_group_no_longer_sees_the_post_they_saved(world):
    post = world.posts["private"]
    sharing.save_post(actor=world.member, post=post)
    groups.remove_member(actor=world.owner, group=world.groups["private"], user=world.member)
    assert saved_ids(world.member) == []
    assert "privateword" not in page_for(world.member).get("/posts/saved/").content.decode()
    assert SavedPost.objects.filter(user=world.member, post=post).exists()  # not deleted
    groups.invite_member(actor=world.owner, group=world.groups["private"], user=world.member)
    assert saved_ids(world.member) == [post.pk]  # readable again: back in the list


def test_a_group_made_secret_takes_its_posts_out_of_outsiders_saved_lists(world):
    group, post = world.groups["public"], world.posts["public"]
    sharing.save_post(actor=world.outsider, post=post)
    assert saved_ids(world.outsider) == [post.pk]
    groups.edit_group(
        actor=world.owner, group=group, name=group.name, description="", privacy="secret"
    )
    assert saved_ids(world.outsider) == []
    assert "publicword" not in page_for(world.outsider).get("/posts/saved/").content.decode()


@pytest.mark.parametrize("how", ["removed", "deleted"])
def test_a_post_taken_down_leaves_every_saved_list(world, how):
    post = world.posts["public"]
    for name in ("outsider", "leader"):
        sharing.save_post(actor=world.users[name], post=post)
    if how == "removed":
        moderation.remove_post(actor=world.leader, post=post, reason="Off topic")
    else:
        services.delete_post(actor=world.member, post=post)
    assert saved_ids(world.outsider) == [] and saved_ids(world.leader) == []


def test_a_deactivated_person_reads_no_saved_list(world):
    sharing.save_post(actor=world.outsider, post=world.posts["public"])
    world.outsider.is_active = False
    world.outsider.save()
    assert APIClient().get("/api/v1/posts/saved/").status_code in (401, 403)
    client = Client()
    client.force_login(world.outsider)
    assert client.get("/posts/saved/").status_code == 302  # to the sign-in page


def test_the_saved_list_is_newest_save_first_and_pages_by_cursor(world):
    reader = world.admin
    order = [world.posts[p] for p in PRIVACIES]
    for post in order:
        sharing.save_post(actor=reader, post=post)
    first = api_for(reader).get("/api/v1/posts/saved/", {"page_size": 2}).json()
    assert [p["id"] for p in first["results"]] == [order[2].pk, order[1].pk]
    rest = api_for(reader).get(first["next"]).json()
    assert [p["id"] for p in rest["results"]] == [order[0].pk]
    assert Client().get("/posts/saved/?cursor=nonsense").status_code == 302
    assert page_for(reader).get("/posts/saved/?cursor=nonsense").status_code == 400


# The Saved API: the page of saves; the roles; the posts' card keys; the cards not cached
# (posts whole, latest comments, topics, attachments); my reactions and saves (one query).
SAVED_API_QUERIES = 8
# The Saved page: session and user (with its roles, my profile for the top bar, the shell's
# unread count and the policy gate of the comment boxes: people.authentication.session_user,
# core.session_reads); the page of saves; the posts whole; latest comments, topics,
# attachments; my reactions and saves; one per card extension (feeds.extensions: polls,
# events) for the page.
SAVED_PAGE_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_saved_list_query_count_does_not_grow_with_the_page(world, django_assert_num_queries, size):
    from django.contrib.auth import get_user_model

    reader = make_person("reader").user
    group = world.groups["public"]
    for i in range(size):
        post = services.create_post(actor=world.member, group=group, body=f"Post {i} #t")
        services.create_comment(actor=world.leader, post=post, body="c")
        sharing.save_post(actor=reader, post=post)
    api = api_for(get_user_model().objects.get(pk=reader.pk))
    with django_assert_num_queries(SAVED_API_QUERIES):
        response = api.get("/api/v1/posts/saved/", {"page_size": 20})
    assert len(response.json()["results"]) == size
    assert all(p["saved"] for p in response.json()["results"])
    client = page_for(reader)
    client.get("/posts/saved/")  # warm the session
    with django_assert_num_queries(SAVED_PAGE_QUERIES):
        page = client.get("/posts/saved/")
    assert page.content.decode().count('aria-pressed="true"') >= min(size, 10)
