"""The .ics download and the personal calendar feed: signed, revocable, nothing for a
deactivated person, and only the events its owner may read now; text escaped so a title
cannot add properties of its own."""

import pytest
from django.test import Client

from agenda import selectors, services
from groups import services as groups

from ..conftest import client_for
from .conftest import make_event

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return f"/events/calendar/{selectors.calendar_token(user)}/events.ics"


def test_event_ics_is_escaped_and_in_utc(employee, team):
    event = make_event(
        employee,
        team,
        title="Launch; party, \\o/",
        location="Room 4\r\nEND:VEVENT\r\nBEGIN:VEVENT",
    )
    response = client_for(employee).get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "SUMMARY:Launch\\; party\\, \\\\o/" in text
    assert f"DTSTART:{event.starts_at.strftime('%Y%m%dT%H%M')}" in text
    assert "Join: https://meet.example.com/launch" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_feed_lists_my_events_and_follows_access(employee, ben, team):
    mine = make_event(employee, team, title="Kickoff")
    other = make_event(employee, team, title="Retro")
    services.answer_event(actor=ben, event=mine, answer="going")
    services.answer_event(actor=ben, event=other, answer="declined")
    url = feed_url(ben)
    anonymous = Client()
    text = anonymous.get(url).content.decode()
    assert "SUMMARY:Kickoff" in text and "Retro" not in text
    groups.leave_group(actor=ben, group=team)
    assert "Kickoff" not in anonymous.get(url).content.decode()


def test_a_new_address_revokes_the_old_one(employee, team):
    make_event(employee, team, title="Kickoff")
    old = feed_url(employee)
    assert Client().get(old).status_code == 200
    response = client_for(employee).post("/events/calendar/reset/")
    assert response.status_code == 302
    assert Client().get(old).status_code == 404
    assert "Kickoff" in Client().get(feed_url(employee)).content.decode()


def test_forged_tampered_and_deactivated_feeds_are_404(employee, team):
    url = feed_url(employee)
    token = url.split("/")[3]
    for bad in ("forged", token[:-2] + "xx", "a" * 600, "%00"):
        assert Client().get(f"/events/calendar/{bad}/events.ics").status_code == 404
    employee.is_active = False
    employee.save()
    assert Client().get(url).status_code == 404


def test_cancelled_events_stay_in_the_feed_as_cancelled(employee, team):
    event = make_event(employee, team, title="Kickoff")
    services.cancel_event(actor=employee, event=event)
    text = Client().get(feed_url(employee)).content.decode()
    assert "STATUS:CANCELLED" in text
