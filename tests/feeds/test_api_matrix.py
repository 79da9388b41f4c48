"""The API against the permission matrix: every role x every group privacy x every surface.

Who may read what is tests/feeds/world.py's READERS / KNOWERS tables; the API must answer
exactly that, on lists and details alike (a list showing a post ⇔ its detail is 200).
"""

import pytest
from rest_framework.test import APIClient

from feeds.models import Reaction

from .world import KNOWERS, PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
CURRENT_MEMBERS = {"owner", "leader", "member", "muted"}


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


def expected(role: str, privacy: str) -> dict:
    reads, knows = role in READERS[privacy], role in KNOWERS[privacy]
    content_status = 200 if reads else (403 if knows else 404)
    return {
        "group detail": 200 if knows else 404,
        "group in directory": knows,
        "members": content_status,
        "group posts": content_status,
        "group posts list the post": reads,
        "post detail": 200 if reads else 404,
        "comments": 200 if reads else 404,
        "comments show the reply": reads,
        "revisions": 200 if reads else 404,
        "topic posts list the post": reads,
        "person posts list the post": reads,
        # The home feed carries my groups (and All company), not every group I may read.
        "home feed lists the post": role in CURRENT_MEMBERS,
    }


def observed(api, world, privacy: str) -> dict:
    group, post = world.groups[privacy], world.posts[privacy]
    slug = group.slug
    posts_response = api.get(f"/api/v1/groups/{slug}/posts/")
    comments = api.get(f"/api/v1/posts/{post.pk}/comments/")
    directory = api.get("/api/v1/groups/", {"page_size": 100}).json()["results"]
    return {
        "group detail": api.get(f"/api/v1/groups/{slug}/").status_code,
        "group in directory": slug in {g["slug"] for g in directory},
        "members": api.get(f"/api/v1/groups/{slug}/members/").status_code,
        "group posts": posts_response.status_code,
        "group posts list the post": (
            posts_response.status_code == 200 and post.pk in ids(posts_response)
        ),
        "post detail": api.get(f"/api/v1/posts/{post.pk}/").status_code,
        "comments": comments.status_code,
        "comments show the reply": (
            comments.status_code == 200
            and comments.json()["results"][0]["replies"][0]["id"] == world.replies[privacy].pk
        ),
        "revisions": api.get(f"/api/v1/posts/{post.pk}/revisions/").status_code,
        "topic posts list the post": post.pk in ids(api.get("/api/v1/topics/sharedtopic/posts/")),
        "person posts list the post": post.pk in ids(api.get("/api/v1/people/member/posts/")),
        "home feed lists the post": post.pk in ids(api.get("/api/v1/feed/", {"page_size": 100})),
    }


@pytest.mark.parametrize("privacy", PRIVACIES)
@pytest.mark.parametrize("role", ROLES)
def test_api_visibility_matrix(world, role, privacy):
    api = api_for(world.users[role])
    assert observed(api, world, privacy) == expected(role, privacy)


@pytest.mark.parametrize("privacy", PRIVACIES)
@pytest.mark.parametrize("role", ROLES)
def test_reaction_toggle_matrix(world, role, privacy):
    """Readers toggle a reaction on and off again, leaving nothing; others get 404 and
    nothing is written."""
    post, user = world.posts[privacy], world.users[role]
    api = api_for(user)
    url = f"/api/v1/posts/{post.pk}/reactions/"
    first = api.post(url, {"kind": "celebrate"})
    if role in READERS[privacy]:
        assert first.status_code == 200
        assert first.json() == {
            "kind": "celebrate",
            "active": True,
            "counts": {"like": 1, "celebrate": 1},
        }
        second = api.post(url, {"kind": "celebrate"})
        assert second.json() == {"kind": "celebrate", "active": False, "counts": {"like": 1}}
    else:
        assert first.status_code == 404
    assert not Reaction.objects.filter(post=post, user=user, kind="celebrate").exists()


@pytest.mark.parametrize("role", ROLES)
def test_topic_list_counts_only_readable_posts(world, role):
    topics = api_for(world.users[role]).get("/api/v1/topics/").json()
    readable = sum(role in READERS[p] for p in PRIVACIES)
    assert topics == [
        {
            "name": "sharedtopic",
            "post_count": readable,
            "url": "http://testserver/topics/sharedtopic/",
        }
    ]
