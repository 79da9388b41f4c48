"""Popular topics (the home page's card, GET /api/v1/topics/): the most used among the
newest posts the reader may read, kept a few minutes for everyone who reads the same groups,
and never a topic of a group the reader may no longer read."""

import pytest

from feeds import services as feeds
from feeds.selectors import topics as topic_module
from groups import services as groups
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def _names(user) -> list[tuple[str, int]]:
    body = api_client_for(user).get("/api/v1/topics/").json()
    return [(t["name"], t["post_count"]) for t in body]


def test_the_newest_readable_posts_decide(world, monkeypatch):
    monkeypatch.setattr(topic_module, "POPULAR_WINDOW", 3)
    public = world.groups["public"]
    for body in ("Old #archive", "Old #archive again", "New #launch", "New #launch 2"):
        feeds.create_post(actor=world.member, group=public, body=body)
    # The outsider reads the public group only: its three newest posts (the world's own
    # #sharedtopic post is older than them, and so are both #archive posts but one).
    assert _names(world.outsider) == [("launch", 2), ("archive", 1)]


def test_a_group_left_takes_its_topics_with_it_at_once(world):
    secret = world.groups["secret"]
    feeds.create_post(actor=world.member, group=secret, body="Plans for #mergerx")
    assert ("mergerx", 1) in _names(world.member)
    assert ("mergerx", 1) not in _names(world.outsider)  # never a secret group's topic
    groups.leave_group(actor=world.member, group=secret)
    assert "mergerx" not in dict(_names(world.member))  # not the kept answer: a new key


def test_the_answer_is_kept_for_those_who_read_the_same_groups(world):
    assert _names(world.outsider) == [("sharedtopic", 1)]
    feeds.create_post(actor=world.member, group=world.groups["public"], body="#fresh news")
    # Kept: the outsider and the former member read the same groups (public ones only).
    assert _names(world.former) == [("sharedtopic", 1)]
    assert "fresh" in dict(_names(world.member))  # the member reads other groups: its own
