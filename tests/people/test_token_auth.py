"""API tokens read the user and the user's roles in one query (people.authentication), and
nothing of it is kept between requests: a role taken away, an account deactivated or a token
deleted counts on the next request."""

import pytest
from django.contrib.auth.models import Group as Role
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from feeds import services as feeds
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


def test_a_feed_page_read_before_costs_two_queries(django_assert_num_queries, secret_post):
    reader = make_person("reader").user
    client = token_client(reader)
    assert client.get("/api/v1/feed/").status_code == 200  # the cards are cached now
    # The token with its user and roles; the page with my reactions.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/feed/")
    assert response.status_code == 200
