"""The home feed's page query, compiled once per process and shape (feeds.selectors.
home_feed_page, core.compiled): the same posts as home_feed, for every viewer, whoever asked
first, and a membership that ends counts on the next page."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from feeds import selectors
from feeds import services as feeds
from feeds.selectors import FEED_ORDER
from groups import services as groups

pytestmark = pytest.mark.django_db

VIEWERS = ("admin", "owner", "leader", "member", "muted", "former", "outsider")


def _orm_ids(user, after=None, size=100) -> list[int]:
    posts = selectors.home_feed(user).order_by(*FEED_ORDER)
    if after is not None:
        posts = posts.filter(created_at__lte=after[0]).exclude(
            created_at=after[0], id__gte=after[1]
        )
    return list(posts.values_list("id", flat=True)[: size + 1])


def _page_ids(user, after=None, size=100) -> list[int]:
    return [row.id for row in selectors.home_feed_page(user, after=after, size=size)]


@pytest.mark.parametrize("first", ["admin", "member", "outsider"])
def test_every_viewer_gets_home_feeds_posts_whoever_asked_first(world, first):
    # More posts than a page, in the company group and in every privacy, so that both
    # shapes (admin, member) and a cursor are exercised.
    start = timezone.now() - dt.timedelta(hours=1)
    for i, privacy in enumerate(["public", "private", "secret"] * 4):
        post = feeds.create_post(
            actor=world.member, group=world.groups[privacy], body=f"Post {i} in {privacy}"
        )
        type(post).objects.filter(pk=post.pk).update(created_at=start + dt.timedelta(seconds=i))
    order = [first, *[name for name in VIEWERS if name != first]]
    for name in order:
        user = world.users[name]
        assert _page_ids(user) == _orm_ids(user), name
        first_page = selectors.home_feed_page(user, after=None, size=3)
        if len(first_page) > 3:
            last = first_page[2]
            after = [last.created_at, last.id]
            assert _page_ids(user, after, size=3) == _orm_ids(user, after, size=3), name


def test_a_member_who_leaves_stops_seeing_the_groups_posts_on_the_next_page(world):
    private = world.posts["private"]
    assert private.pk in _page_ids(world.member)
    groups.leave_group(actor=world.member, group=world.groups["private"])
    assert private.pk not in _page_ids(world.member)
    assert private.pk in _page_ids(world.leader)  # same shape, same compiled query


def test_my_reactions_come_with_the_page(world):
    post = world.posts["public"]
    feeds.toggle_reaction(actor=world.leader, post=post, kind="celebrate")
    rows = {row.id: row for row in selectors.home_feed_page(world.leader, after=None, size=100)}
    assert rows[post.pk].my_reactions == {"celebrate"}
    rows = {row.id: row for row in selectors.home_feed_page(world.member, after=None, size=100)}
    assert rows[post.pk].my_reactions == {"like"}  # the world's like by member


def test_the_api_page_is_the_same_with_cards_from_every_cache(world):
    client = APIClient()
    client.force_authenticate(world.member)
    cold = client.get("/api/v1/feed/", {"page_size": 2}).json()
    warm = client.get("/api/v1/feed/", {"page_size": 2}).json()
    assert cold == warm
    assert cold["next"].startswith("http://testserver/api/v1/feed/?page_size=2&cursor=")
    rest = client.get(cold["next"]).json()["results"]
    assert {p["id"] for p in rest}.isdisjoint(p["id"] for p in cold["results"])


def test_an_inactive_account_gets_an_empty_page(world):
    world.member.is_active = False
    assert selectors.home_feed_page(world.member, after=None, size=25) == []
