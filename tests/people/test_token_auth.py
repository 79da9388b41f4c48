"""API tokens read the user and the user's roles in one query (people.authentication), and
nothing of it is kept between requests: a role taken away, an account deactivated or a token
deleted counts on the next request."""

import pytest
from django.contrib.auth.models import Group as Role
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from feeds import services as feeds
from feeds import sharing
from groups import services as groups

from ..factories import make_person

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def secret_post(db):
    owner = make_person("owner").user
    group = groups.create_group(actor=owner, name="Skunkworks", privacy="secret")
    return feeds.create_post(actor=owner, group=group, body="Hidden plans")


def test_a_role_taken_away_counts_on_the_next_request(secret_post):
    admin = make_person("role.admin").user  # an admin by role, not a superuser
    admin.groups.add(Role.objects.get_or_create(name="admin")[0])
    client = token_client(admin)
    assert client.get(f"/api/v1/posts/{secret_post.pk}/").status_code == 200
    admin.groups.clear()
    assert client.get(f"/api/v1/posts/{secret_post.pk}/").status_code == 404


def test_a_deactivated_account_or_deleted_token_is_refused_at_once(db):
    user = make_person("leaving").user
    client = token_client(user)
    assert client.get("/api/v1/feed/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/api/v1/feed/")
    assert (response.status_code, response.json()) == (401, {"detail": "User inactive or deleted."})
    user.is_active = True
    user.save()
    Token.objects.filter(user=user).delete()
    response = client.get("/api/v1/feed/")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {"detail": "Invalid token."}


def test_a_feed_page_read_before_costs_one_query(django_assert_num_queries, secret_post):
    reader = make_person("reader").user
    client = token_client(reader)
    assert client.get("/api/v1/feed/").status_code == 200  # the cards are cached now
    # The token with its user and roles, and the page with my reactions: one statement on
    # PostgreSQL (compiled.run_joined); on SQLite, which has no LATERAL, one after the other.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = client.get("/api/v1/feed/")
    assert response.status_code == 200


@pytest.fixture
def reader_world(db):
    """A reader in two groups with posts, reactions and a save of hers among them, posts in
    a group she is not in, and a followed author's post in a secret group."""
    reader = make_person("reader").user
    author = make_person("author").user
    posts = []
    for name in ("Alpha", "Beta"):
        group = groups.create_group(actor=author, name=name, privacy="private")
        groups.invite_member(actor=author, group=group, user=reader)
        posts += [feeds.create_post(actor=author, group=group, body=f"{name} {n}") for n in "1234"]
    other = groups.create_group(actor=author, name="Gamma", privacy="public")
    feeds.create_post(actor=author, group=other, body="Not in her feed")
    secret = groups.create_group(actor=author, name="Delta", privacy="secret")
    hidden = feeds.create_post(actor=author, group=secret, body="Followed but secret")
    feeds.toggle_reaction(actor=reader, post=posts[1], kind="celebrate")
    feeds.toggle_reaction(actor=reader, post=posts[1], kind="like")
    sharing.save_post(actor=reader, post=posts[5])
    return reader, author, posts, hidden


def _all_pages(client, size: int) -> list[dict]:
    pages, url = [], f"/api/v1/feed/?page_size={size}"
    while url:
        page = client.get(url).json()
        pages.append(page)
        url = page["next"]
    return pages


def test_the_token_and_the_page_in_one_read_give_what_the_page_read_alone_gives(reader_world):
    reader, _, posts, _ = reader_world
    alone = APIClient()
    alone.force_authenticate(reader)  # no token: the page is read on its own
    by_token = _all_pages(token_client(reader), size=3)
    assert by_token == _all_pages(alone, size=3)
    cards = [card for page in by_token for card in page["results"]]
    assert [card["id"] for card in cards] == [post.pk for post in reversed(posts)]
    mine = {card["id"]: (card["my_reactions"], card["saved"]) for card in cards}
    assert mine[posts[1].pk] == (["celebrate", "like"], False)
    assert mine[posts[5].pk] == ([], True)


def test_an_admins_token_reads_the_feed_of_an_admin(reader_world):
    """The page read with the token is built for an account with no role; an admin's is
    read again with the admin's rule: a followed author's post in a secret group shows."""
    _, author, _, hidden = reader_world
    admin = make_person("feed.admin").user
    admin.groups.add(Role.objects.get_or_create(name="admin")[0])
    outsider = make_person("outsider").user
    for person in (admin, outsider):
        feeds.follow_person(actor=person, person=author)
    ids = [card["id"] for card in token_client(admin).get("/api/v1/feed/").json()["results"]]
    assert hidden.pk in ids
    outsider_ids = token_client(outsider).get("/api/v1/feed/").json()["results"]
    assert hidden.pk not in [card["id"] for card in outsider_ids]


def test_an_empty_feed_and_a_bad_cursor_read_with_a_token(db):
    client = token_client(make_person("newcomer").user)
    assert client.get("/api/v1/feed/").json() == {"next": None, "results": []}
    response = client.get("/api/v1/feed/", {"cursor": "not-a-cursor"})
    assert (response.status_code, list(response.json())) == (400, ["cursor"])
    response = client.get("/api/v1/feed/", {"page_size": "many"})
    assert (response.status_code, list(response.json())) == (400, ["page_size"])


def test_a_former_member_stops_seeing_the_groups_posts_on_the_next_token_read(reader_world):
    """The page read with the token takes the reader's memberships as they are at that
    statement: a member removed from a private group loses its posts at once."""
    reader, author, posts, _ = reader_world
    client = token_client(reader)
    before = [card["id"] for card in client.get("/api/v1/feed/").json()["results"]]
    assert posts[0].pk in before
    groups.remove_member(actor=author, group=posts[0].group, user=reader)
    after = [card["id"] for card in client.get("/api/v1/feed/").json()["results"]]
    assert after == [post.pk for post in reversed(posts[4:])]
