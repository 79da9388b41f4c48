"""Sign out everywhere else: every other session of mine ends, my API token is revoked,
the asking session stays; other people's sessions are untouched. (Open sockets closing:
tests/realtime/test_revocation.py.)"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sessions_of(user) -> set[str]:
    return {
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    }


def test_the_page_ends_my_other_sessions_and_token_only(employee, colleague):
    here, laptop, phone = browser(employee), browser(employee), browser(employee)
    theirs = browser(colleague)
    Token.objects.create(user=employee)
    Token.objects.create(user=colleague)
    page = here.get("/people/me/edit/")
    assert b"Sign out everywhere else" in page.content

    response = here.post("/people/me/sign-out-everywhere/", follow=True)
    assert response.status_code == 200
    assert "2 other sessions ended" in response.content.decode()
    assert sessions_of(employee) == {here.session.session_key}
    assert here.get("/").status_code == 200
    for gone in (laptop, phone):
        assert gone.get("/").status_code == 302  # to the sign-in page
    assert theirs.get("/").status_code == 200
    assert not Token.objects.filter(user=employee).exists()
    assert Token.objects.filter(user=colleague).exists()


def test_the_page_takes_posts_only_and_signed_in_people(employee):
    assert browser(employee).get("/people/me/sign-out-everywhere/").status_code == 405
    response = Client().post("/people/me/sign-out-everywhere/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_with_a_token_ends_every_session_and_the_token(employee):
    browser(employee), browser(employee)
    token = Token.objects.create(user=employee)
    api = Client(headers={"Authorization": f"Token {token.key}"})
    response = api.post("/api/v1/people/me/sign-out-everywhere/")
    assert response.status_code == 200
    assert response.json() == {"sessions_ended": 2, "token_revoked": True}
    assert sessions_of(employee) == set()
    assert api.post("/api/v1/people/me/sign-out-everywhere/").status_code == 401


def test_the_api_in_a_session_keeps_that_session(employee):
    here, other, third = browser(employee), browser(employee), browser(employee)
    response = here.post("/api/v1/people/me/sign-out-everywhere/")
    assert response.json() == {"sessions_ended": 2, "token_revoked": True}
    assert sessions_of(employee) == {here.session.session_key}
    assert other.get("/").status_code == 302 and third.get("/").status_code == 302
