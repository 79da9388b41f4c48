"""The polls API: create, read, vote, close, voters; bad input is a 400 naming the field;
the schema has the "polls" tag; query counts do not grow with the options or voters."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from polls import services

from ..factories import make_person
from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_vote_and_read_back(employee, ben, team):
    soon = (timezone.now() + dt.timedelta(days=30)).astimezone(dt.timezone(dt.timedelta(hours=2)))
    soon = soon.replace(microsecond=0).isoformat()
    created = api_for(employee).post(
        "/api/v1/polls/",
        {
            "group": team.slug,
            "question": "Lunch?",
            "options": ["Pizza", "Sushi", ""],
            "multiple": True,
            "closes_at": soon,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [o["text"] for o in body["options"]] == ["Pizza", "Sushi"]
    assert body["multiple"] and not body["anonymous"] and body["closes_at"] is not None
    pizza, sushi = (o["id"] for o in body["options"])
    voted = api_for(ben).post(
        f"/api/v1/polls/{body['id']}/votes/", {"options": [pizza, sushi]}, format="json"
    )
    assert voted.status_code == 200
    data = voted.json()
    assert data["voted"] and data["my_choices"] == sorted([pizza, sushi]) and data["voters"] == 1
    assert [o["percent"] for o in data["options"]] == [100, 100]
    voters = api_for(employee).get(f"/api/v1/polls/{body['id']}/voters/").json()
    assert [[v["username"] for v in row["voters"]] for row in voters] == [
        ["ben.ortiz"],
        ["ben.ortiz"],
    ]


def test_anonymous_poll_in_the_api_shows_tallies_and_my_voted_flag_only(employee, ben, team):
    poll = make_poll(employee, team, anonymous=True)
    api = api_for(ben)
    api.post(f"/api/v1/polls/{poll.pk}/votes/", {"options": [option_ids(poll)[1]]}, format="json")
    again = api.post(
        f"/api/v1/polls/{poll.pk}/votes/", {"options": [option_ids(poll)[0]]}, format="json"
    )
    assert again.status_code == 409
    mine = api.get(f"/api/v1/polls/{poll.pk}/").json()
    assert mine["voted"] and mine["my_choices"] == [] and not mine["can_vote"]
    theirs = api_for(employee).get(f"/api/v1/polls/{poll.pk}/")
    assert "ben" not in theirs.content.decode()
    assert api_for(employee).get(f"/api/v1/polls/{poll.pk}/voters/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"question": "Q", "options": ["a", "b"]}, "group"),
        ({"group": "launch-team", "options": ["a", "b"]}, "question"),
        ({"group": "launch-team", "question": "Q", "options": ["a"]}, "options"),
        ({"group": "launch-team", "question": "Q", "options": ["a", "A"]}, "options"),
        ({"group": "launch-team", "question": "Q", "options": "ab"}, "options"),
        ({"group": "launch-team", "question": "Q", "options": ["a" * 50_000, "b"]}, "options"),
        ({"group": "launch-team", "question": "Q", "options": ["\x00", "\x00b"]}, "options"),
        ({"group": "launch-team", "question": "\x00 ", "options": ["a", "b"]}, "question"),
        ({"group": "launch-team", "question": "  ", "options": ["a", "b"]}, "question"),
        (
            {"group": "launch-team", "question": "Q", "options": ["a", "b"], "closes_at": "soon"},
            "closes_at",
        ),
        (
            {
                "group": "launch-team",
                "question": "Q",
                "options": ["a", "b"],
                "closes_at": "2001-01-01T00:00:00Z",
            },
            "closes_at",
        ),
        ({"group": "launch-team", "question": "Q", "options": ["a", "b"], "x": 1}, "x"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(employee, team, payload, field):
    response = api_for(employee).post("/api/v1/polls/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize(
    "options", [[], "1", [True], ["x"], [10**30], [1, 2], None, [{"id": 1}], [-1]]
)
def test_bad_votes_are_400(employee, ben, team, options):
    poll = make_poll(employee, team)
    response = api_for(ben).post(
        f"/api/v1/polls/{poll.pk}/votes/", {"options": options}, format="json"
    )
    assert response.status_code == 400
    assert "options" in response.json()


def test_query_counts_do_not_grow_with_voters_or_options(
    employee, ben, team, django_assert_max_num_queries
):
    poll = make_poll(employee, team, options=[f"Option {i}" for i in range(10)])
    for i in range(12):
        person = make_person(f"voter{i}").user
        from groups import services as groups

        groups.invite_member(actor=employee, group=team, user=person)
        services.vote(actor=person, poll=poll, option_ids=[option_ids(poll)[i % 10]])
    api = api_for(ben)
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/polls/{poll.pk}/").status_code == 200
    with django_assert_max_num_queries(9):
        assert api.get(f"/api/v1/polls/{poll.pk}/voters/").status_code == 200


def test_schema_has_the_polls_tag(openapi_schema):
    schema = openapi_schema
    tags = {
        tag
        for path, item in schema["paths"].items()
        if "/poll" in path
        for operation in item.values()
        for tag in operation.get("tags", [])
    }
    assert tags == {"polls"}
    assert "polls" in {t["name"] for t in schema["tags"]}
