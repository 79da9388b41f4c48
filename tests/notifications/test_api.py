"""The notifications API: my list, mark read, mark all, my email preferences."""

import re

import pytest

from notifications import services
from notifications.models import NotificationPreference
from tests.conftest import client_for

from .routes import ROUTES

pytestmark = pytest.mark.django_db


def make(recipient, n, actor):
    return [
        services.notify(recipient=recipient, kind="comment", actor=actor, text=f"n{i}")
        for i in range(n)
    ]


def test_list_is_mine_newest_first_with_distinct_actor_counts(employee, colleague):
    make(employee, 3, colleague)
    make(colleague, 1, employee)
    body = client_for(employee).get("/api/v1/notifications/").json()
    assert [r["text"] for r in body["results"]] == ["n2", "n1", "n0"]
    assert body["results"][0]["actor"] == {"username": "ben.okafor", "display_name": "Ben Okafor"}
    assert body["results"][0]["actor_count"] == 1
    assert body["next"] is None


def test_list_pages_with_a_cursor(employee, colleague):
    make(employee, 5, colleague)
    client = client_for(employee)
    first = client.get("/api/v1/notifications/?page_size=2").json()
    second = client.get(first["next"]).json()
    assert [r["text"] for r in first["results"] + second["results"]] == ["n4", "n3", "n2", "n1"]


def test_bad_cursor_and_page_size_are_400s_naming_the_field(client_employee):
    assert "cursor" in client_employee.get("/api/v1/notifications/?cursor=zz").json()
    response = client_employee.get("/api/v1/notifications/?page_size=abc")
    assert response.status_code == 400


def test_mark_one_read_and_unread_filter(employee, colleague):
    a, b = make(employee, 2, colleague)
    client = client_for(employee)
    response = client.post(f"/api/v1/notifications/{a.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    unread = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [r["id"] for r in unread] == [b.pk]


def test_someone_elses_notification_is_404(employee, colleague):
    (theirs,) = make(colleague, 1, employee)
    assert client_for(employee).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404


def test_mark_all_says_how_many(employee, colleague):
    make(employee, 3, colleague)
    client = client_for(employee)
    assert client.post("/api/v1/notifications/read/").json() == {"marked": 3}
    assert client.post("/api/v1/notifications/read/").json() == {"marked": 0}


def test_preferences_default_then_patch(employee):
    client = client_for(employee)
    body = client.get("/api/v1/notifications/preferences/").json()
    assert body["digest"] == "weekly"
    assert body["kinds"]["mention"] == "immediate"
    assert body["kinds"]["reaction"] == "digest"
    response = client.patch(
        "/api/v1/notifications/preferences/",
        {"digest": "daily", "kinds": {"mention": "off"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["digest"] == "daily"
    assert response.json()["kinds"]["mention"] == "off"
    assert response.json()["kinds"]["comment"] == "immediate"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"digest": "hourly"}, "digest"),
        ({"kinds": {"mention": "loud"}}, "kinds"),
        ({"kinds": {"nonsense": "off"}}, "kinds"),
        ({"kinds": "off"}, "kinds"),
        ({"digest": "x" * 50_000}, "digest"),
        ({"digets": "daily"}, "digets"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_preferences_are_400_naming_the_field_and_change_nothing(employee, body, field):
    response = client_for(employee).patch(
        "/api/v1/notifications/preferences/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not NotificationPreference.objects.exists()


# session/token auth + user + the page of notifications with actors' profiles joined.
LIST_QUERIES = 3


def test_list_queries_do_not_grow(employee, colleague, django_assert_num_queries):
    client = client_for(employee)
    make(employee, 2, colleague)
    client.get("/api/v1/notifications/")
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/api/v1/notifications/")
    make(employee, 20, colleague)
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/api/v1/notifications/")


def test_every_notifications_api_route_is_in_the_schema(openapi_schema):
    paths = openapi_schema["paths"]
    for route in ROUTES:
        if route.startswith("api/"):
            assert "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in paths, route
