"""What every signed-in page reads before its own content, with compiled statements: the session
(core.sessions, Django's database sessions otherwise) and the top bar's own profile
(people.selectors.own_profile). What a signed-in person relies on: their session carries on
(also one written by Django's own engine before), an expired or unknown one signs them out,
signing out ends it, and the top bar shows their own name."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_product_reads_sessions_with_this_engine():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_session_written_by_djangos_engine_reads_the_same():
    before = DjangoStore()
    before["cart"] = {"items": [1, 2]}
    before.create()
    store = SessionStore(before.session_key)
    assert store.load() == {"cart": {"items": [1, 2]}}
    assert store.session_key == before.session_key


def test_an_expired_session_is_empty_and_its_key_forgotten():
    store = SessionStore()
    store["who"] = "emma"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert again.load() == {}
    assert again.session_key is None


def test_an_unknown_key_is_empty():
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_a_signed_in_page_reads_its_session_in_one_query(client_employee):
    with CaptureQueriesContext(connection) as queries:
        assert client_employee.get(reverse("notifications:center")).status_code == 200
    reads = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert len(reads) == 1
    assert "expire_date" in reads[0]


def test_signing_out_ends_the_session_read_here(client_employee):
    key = client_employee.session.session_key
    assert SessionStore(key).load()
    client_employee.post(reverse("logout"))
    assert SessionStore(key).load() == {}
    assert client_employee.get(reverse("notifications:center")).status_code == 302


def test_the_top_bar_shows_my_own_photo_and_name_read_with_my_account(client_employee, employee):
    """people.authentication.session_user: the account, its roles and its own profile in the
    one query that reads the session's user."""
    employee.profile.display_name = "Emma Topbar"
    employee.profile.save()
    with CaptureQueriesContext(connection) as queries:
        page = client_employee.get(reverse("notifications:center"))
    assert page.status_code == 200
    assert "Your account (Emma Topbar)" in page.content.decode()
    accounts = [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]
    assert len(accounts) == 1 and 'JOIN "people_profile"' in accounts[0], accounts
    assert not [q for q in queries if 'FROM "people_profile"' in q["sql"]]
    assert not [q for q in queries if 'FROM "auth_group"' in q["sql"]]  # roles came with it


def test_a_session_signed_in_through_djangos_own_backend_carries_on(client, employee):
    """Sessions signed in before the backend was renamed (settings.RENAMED_AUTH_BACKENDS)
    stay signed in; one naming a backend that is not configured does not."""
    client.force_login(employee, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("notifications:center")).status_code == 200
    session = client.session
    session["_auth_user_backend"] = "some.removed.Backend"
    session.save()
    assert client.get(reverse("notifications:center")).status_code == 302


def test_a_deactivated_account_or_a_changed_password_ends_the_session(client_employee, employee):
    assert client_employee.get(reverse("notifications:center")).status_code == 200
    employee.set_password("a-new-long-passphrase-1")
    employee.save()
    assert client_employee.get(reverse("notifications:center")).status_code == 302
    client_employee.force_login(employee)
    assert client_employee.get(reverse("notifications:center")).status_code == 200
    employee.is_active = False
    employee.save()
    assert client_employee.get(reverse("notifications:center")).status_code == 302


def test_a_role_given_or_taken_shows_in_the_menu_on_the_next_page(client_employee, employee):
    from django.contrib.auth.models import Group

    from people.roles import SOCIAL_TEAM

    def menu() -> str:
        return client_employee.get(reverse("notifications:center")).content.decode()

    alerts = reverse("monitoring:alerts")
    assert f'href="{alerts}"' not in menu()
    social, _ = Group.objects.get_or_create(name=SOCIAL_TEAM)
    employee.groups.add(social)
    assert f'href="{alerts}"' in menu()
    employee.groups.remove(social)
    assert f'href="{alerts}"' not in menu()
