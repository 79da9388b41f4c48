"""The events API: create, change, answer, people, calendar; bad input is a 400 naming the
field; the schema has the "events" tag; query counts do not grow with the answers."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agenda import services
from groups import services as groups

from ..factories import make_person
from .conftest import make_event

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def later(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def test_create_change_answer_and_read(employee, ben, team):
    created = api_for(employee).post(
        "/api/v1/events/",
        {
            "group": team.slug,
            "title": "Design review",
            "starts_at": later(24),
            "ends_at": later(25),
            "time_zone": "America/New_York",
            "online_url": "https://meet.example.com/x",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["going"] == 1 and body["my_answer"] == "going"
    assert body["ics_url"] == f"/events/{body['id']}/event.ics"
    changed = api_for(employee).patch(
        f"/api/v1/events/{body['id']}/", {"location": "Room 2"}, format="json"
    )
    assert changed.json()["location"] == "Room 2"
    answered = api_for(ben).post(
        f"/api/v1/events/{body['id']}/answer/", {"answer": "maybe"}, format="json"
    )
    assert answered.json()["my_answer"] == "maybe" and answered.json()["maybe"] == 1
    people = api_for(ben).get(f"/api/v1/events/{body['id']}/people/").json()
    assert [p["username"] for p in people["maybe"]] == ["ben.ortiz"]
    assert [e["id"] for e in api_for(ben).get("/api/v1/events/").json()] == [body["id"]]
    feed = api_for(ben).get("/api/v1/events/calendar/").json()["url"]
    reset = api_for(ben).post("/api/v1/events/calendar/reset/").json()["url"]
    assert feed != reset and reset.endswith("/events.ics")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"time_zone": "Nowhere/Land"}, "time_zone"),
        ({"ends_at": "2001-01-01T00:00:00Z"}, "ends_at"),
        ({"title": "x" * 50_000}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"group": "no-such-group-at-all"}, None),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(employee, team, change, field):
    payload = {
        "group": team.slug,
        "title": "Design review",
        "starts_at": later(24),
        "ends_at": later(25),
        **change,
    }
    response = api_for(employee).post("/api/v1/events/", payload, format="json")
    if field is None:
        assert response.status_code == 404
        return
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("answer", ["yes", "", None, 1, ["going"]])
def test_bad_answers_are_400(employee, ben, team, answer):
    event = make_event(employee, team)
    response = api_for(ben).post(
        f"/api/v1/events/{event.pk}/answer/", {"answer": answer}, format="json"
    )
    assert response.status_code == 400 and "answer" in response.json()


def test_query_counts_do_not_grow_with_answers(employee, ben, team, django_assert_max_num_queries):
    event = make_event(employee, team)
    for i in range(10):
        person = make_person(f"guest{i}").user
        groups.invite_member(actor=employee, group=team, user=person)
        services.answer_event(actor=person, event=event, answer=("going", "maybe")[i % 2])
    for i in range(5):
        make_event(employee, team, title=f"Event {i}")
    api = api_for(ben)
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/events/{event.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/events/{event.pk}/people/").status_code == 200
    with django_assert_max_num_queries(9):
        assert len(api.get("/api/v1/events/").json()) == 6


def test_schema_has_the_events_tag(openapi_schema):
    schema = openapi_schema
    tags = {
        tag
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/events")
        for operation in item.values()
        for tag in operation.get("tags", [])
    }
    assert tags == {"events"}
