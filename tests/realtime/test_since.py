"""The catch-up door (feeds:since): what a tab missed while its socket was down, from its
last seen post, through the same visibility selectors as the feeds."""

import pytest

from feeds import moderation
from feeds import services as feeds
from groups import services as groups
from groups.models import Group

from ..conftest import client_for
from ..factories import make_person

pytestmark = pytest.mark.django_db

SINCE = "/posts/since/"


@pytest.fixture
def leader(db):
    return make_person("lena.leader", display_name="Lena Leader").user


@pytest.fixture
def private(leader, employee):
    group = groups.create_group(actor=leader, name="Pricing", privacy=Group.Privacy.PRIVATE)
    groups.invite_member(actor=leader, group=group, user=employee)
    return group


def test_home_catch_up_returns_newer_posts_newest_first(private, leader, employee, colleague):
    seen = feeds.create_post(actor=leader, group=private, body="seen before the drop")
    first = feeds.create_post(actor=leader, group=private, body="missed one")
    second = feeds.create_post(actor=leader, group=private, body="missed two")
    response = client_for(employee).get(SINCE, {"feed": "home", "after": seen.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "seen before the drop" not in html
    assert html.index(f'id="post-{second.pk}"') < html.index(f'id="post-{first.pk}"')
    assert response["X-Live-More"] == "0"
    assert response["Cache-Control"] == "no-store"
    # The outsider's catch-up holds nothing of the private group.
    other = client_for(colleague).get(SINCE, {"feed": "home", "after": 0})
    assert "missed" not in other.content.decode()


def test_catch_up_names_on_screen_posts_that_are_gone(private, leader, employee):
    kept = feeds.create_post(actor=leader, group=private, body="kept")
    removed = feeds.create_post(actor=leader, group=private, body="removed")
    deleted = feeds.create_post(actor=leader, group=private, body="deleted")
    moderation.remove_post(actor=leader, post=removed, reason="off topic")
    feeds.delete_post(actor=leader, post=deleted)
    ids = f"{kept.pk},{removed.pk},{deleted.pk}"
    response = client_for(employee).get(SINCE, {"after": deleted.pk, "ids": ids})
    assert response["X-Live-Gone"] == f"{removed.pk},{deleted.pk}"
    # Removed from the group: everything of it is gone for them.
    groups.remove_member(actor=leader, group=private, user=employee)
    response = client_for(employee).get(SINCE, {"after": deleted.pk, "ids": ids})
    assert response["X-Live-Gone"] == ids


def test_group_catch_up_is_limited_to_readable_groups(private, leader, employee, colleague):
    post = feeds.create_post(actor=leader, group=private, body="inside")
    params = {"feed": "group", "group": private.pk, "after": 0}
    assert f"post-{post.pk}" in client_for(employee).get(SINCE, params).content.decode()
    assert client_for(colleague).get(SINCE, params).status_code == 404
    assert client_for(colleague).get(SINCE, {**params, "group": 987654}).status_code == 404


def test_person_catch_up(private, leader, employee):
    post = feeds.create_post(actor=leader, group=private, body="by lena")
    response = client_for(employee).get(SINCE, {"feed": "person", "author": "lena.leader"})
    assert f"post-{post.pk}" in response.content.decode()
    assert (
        client_for(employee).get(SINCE, {"feed": "person", "author": "nobody"}).status_code == 404
    )


def test_more_than_a_page_says_so(private, leader, employee):
    for i in range(21):
        feeds.create_post(actor=leader, group=private, body=f"post {i}")
    response = client_for(employee).get(SINCE, {"feed": "group", "group": private.pk})
    assert response["X-Live-More"] == "1"
    assert response.content.decode().count("<article") == 20


@pytest.mark.parametrize(
    "params, field",
    [
        ({"after": "abc"}, "after"),
        ({"after": "-1"}, "after"),
        ({"after": "9" * 40}, "after"),
        ({"after": "1\x00"}, "after"),
        ({"feed": "everything"}, "feed"),
        ({"ids": "1,x"}, "ids"),
        ({"feed": "group", "group": "x"}, "group"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(employee, params, field):
    response = client_for(employee).get(SINCE, params)
    assert response.status_code == 400
    assert f"{field}:" in response.content.decode()


def test_query_count_does_not_grow_with_posts(private, leader, employee, django_assert_num_queries):
    client = client_for(employee)
    client.get(SINCE)  # warm the session and the user
    for i in range(3):
        feeds.create_post(actor=leader, group=private, body=f"first batch {i}")
    with django_assert_num_queries(QUERIES):
        client.get(SINCE, {"ids": "1,2,3"})
    for i in range(12):
        post = feeds.create_post(actor=leader, group=private, body=f"second batch {i}")
        feeds.create_comment(actor=employee, post=post, body="a comment")
        feeds.toggle_reaction(actor=employee, post=post, kind="like")
    with django_assert_num_queries(QUERIES):
        client.get(SINCE, {"ids": "1,2,3"})


# Session and user (with its roles and the policy gate, the pending policy version the cards'
# comment boxes explain: people.authentication.session_user, core.session_reads), the page
# of posts, decorate_posts (4: counts are columns; +1 per card extension of
# feeds.extensions: polls, events), the gone ids.
QUERIES = 10
