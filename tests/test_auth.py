"""Signing in and out, password change, lockout after repeated failures."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.oidc import EmployeeOIDCBackend
from people.selectors import counts_generation

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_lands_on_the_page_asked_for(client, employee):
    response = client.post(
        reverse("login"), {"username": "ana.garcia", "password": PASSWORD, "next": "/people/"}
    )
    assert response.status_code == 302 and response.url == "/people/"
    assert client.get("/people/").status_code == 200


def test_wrong_password_says_so(client, employee):
    response = login(client, "ana.garcia", "wrong")
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_logout_needs_post_and_ends_the_session(client_employee):
    assert client_employee.get(reverse("logout")).status_code == 405
    assert client_employee.post(reverse("logout")).status_code == 302
    assert client_employee.get("/").status_code == 302


def test_password_change(client, employee):
    login(client, "ana.garcia", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much better pass 42",
            "new_password2": "a much better pass 42",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a much better pass 42")


def test_lockout_after_repeated_failures(client, employee, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ana.garcia", "wrong")
    locked = login(client, "ana.garcia", PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert client.get("/people/").status_code == 302  # still not signed in


def test_lockout_is_per_account_and_address(client, employee, colleague, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ana.garcia", "wrong")
    # A colleague behind the same office address can still sign in.
    assert login(client, "ben.okafor", PASSWORD).status_code == 302


def test_admin_sign_in_goes_through_the_one_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_api_token_endpoint_respects_lockout(client, employee, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "ana.garcia", "password": "x"})
    response = client.post("/api/v1/auth/token/", {"username": "ana.garcia", "password": PASSWORD})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_sso_button_absent_when_oidc_is_off(client):
    assert b"oidc" not in client.get(reverse("login")).content


OIDC_BACKEND = "people.oidc.EmployeeOIDCBackend"


def test_a_session_signed_in_through_sso_ends_with_the_account(settings, employee):
    """mozilla-django-oidc's get_user returns inactive accounts: an offboarded person's SSO
    session must not keep reading (SECURITY.md leak class 7, sibling of the open socket)."""
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    client = Client()
    client.force_login(employee, backend=OIDC_BACKEND)
    assert client.get("/").status_code == 200
    employee.is_active = False
    employee.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def sso(settings, monkeypatch):
    """The OIDC backend with an identity provider whose user info is `sso.claims`: the
    provider is the edge, everything after its answer is the product's."""
    settings.OIDC_RP_CLIENT_ID = "socialhub"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example.test/jwks"
    backend = EmployeeOIDCBackend()
    backend.claims = {}
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: dict(backend.claims))
    return backend


def test_a_first_sso_sign_in_makes_the_account_from_the_claims(sso):
    sso.claims = {"email": "zoe.new@example.test", "given_name": "Zoé", "family_name": "Ng"}
    user = sso.get_or_create_user("access", "id", {})
    assert (user.email, user.first_name, user.last_name) == ("zoe.new@example.test", "Zoé", "Ng")
    assert user.profile.display_name == "Zoé Ng"


def test_an_sso_sign_in_writes_only_what_changed(sso, employee, django_capture_on_commit_callbacks):
    """Every SSO sign-in updates the account from the claims; one that changes nothing writes
    nothing, so it does not forget the directory's kept cards and counts (any save of an
    account moves their generation: people.receivers)."""
    employee.first_name, employee.last_name = "Ana", "Garcia"
    employee.save()
    sso.claims = {"email": employee.email, "given_name": "Ana", "family_name": "Garcia"}
    before = counts_generation()
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as q:
        assert sso.get_or_create_user("access", "id", {}) == employee
    assert not [query for query in q.captured_queries if query["sql"].startswith("UPDATE")]
    assert counts_generation() == before

    sso.claims["family_name"] = "García López"
    with django_capture_on_commit_callbacks(execute=True):
        sso.get_or_create_user("access", "id", {})
    employee.refresh_from_db()
    assert employee.last_name == "García López"
    assert employee.profile.display_name == "Ana Garcia"  # the profile's own name stays
    assert counts_generation() != before


def test_the_sign_in_pages_name_the_site_not_the_host(client, employee, settings):
    """Django's auth views put the request's host in `site_name`; the pages use SITE_NAME."""
    settings.SITE_NAME = "Acme Social"
    settings.ALLOWED_HOSTS = ["intranet.acme.test", "testserver"]
    page = client.get(reverse("login"), HTTP_HOST="intranet.acme.test").content.decode()
    assert '<span class="brand-mark" aria-hidden="true">s</span>Acme Social</div>' in page
    assert "<title>Sign in · Acme Social</title>" in page
    assert "intranet.acme.test" not in page
    client.force_login(employee)
    response = client.post(reverse("logout"), HTTP_HOST="intranet.acme.test", follow=True)
    page = response.content.decode()  # signing out lands on the sign-in page
    assert "Acme Social</div>" in page and "intranet.acme.test" not in page


def test_the_password_reset_email_names_the_site(client, employee, settings, mailoutbox):
    settings.SITE_NAME = "Acme Social"
    settings.ALLOWED_HOSTS = ["intranet.acme.test", "testserver"]
    client.post(
        reverse("password_reset"), {"email": employee.email}, HTTP_HOST="intranet.acme.test"
    )
    (message,) = mailoutbox
    assert "Acme Social" in message.subject
    assert "at Acme Social" in message.body
