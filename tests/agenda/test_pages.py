"""The event pages: "New event" from the composer, answering with and without htmx, the
upcoming page with the calendar feed, a feed page's query count with events on it, XSS
vectors in every typed field, and live answer counts to the group's readers only."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda import services
from agenda.models import Event
from feeds.live import _shared_card
from groups import services as groups

from ..conftest import client_for
from ..factories import make_person
from ..realtime.sockets import open_socket
from ..xss import assert_inert, payloads
from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_composer_links_to_new_event_for_its_group(employee, team):
    page = client_for(employee).get(team.get_absolute_url())
    assert f'href="/events/new/?group={team.slug}"'.encode() in page.content


def test_new_event_form_in_the_organisers_time_zone(employee, team):
    client = client_for(employee)
    assert client.get(f"/events/new/?group={team.slug}").status_code == 200
    data = {
        "group": team.slug,
        "title": "Offsite",
        "starts_at": "2030-06-01T09:00",
        "ends_at": "2030-06-01T08:00",
        "time_zone": "Asia/Tokyo",
        "online_url": "",
    }
    response = client.post("/events/new/", data)
    assert response.status_code == 400 and b"End after it starts" in response.content
    bad_link = {**data, "ends_at": "2030-06-01T17:00", "online_url": "javascript:alert(1)"}
    response = client.post("/events/new/", bad_link)
    assert response.status_code == 400 and b"Give a link starting with https://" in response.content
    response = client.post(
        "/events/new/", {**data, "ends_at": "2030-06-01T17:00", "online_url": ""}
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.post.get_absolute_url()
    assert event.starts_at.isoformat() == "2030-06-01T00:00:00+00:00"  # 09:00 in Tokyo
    page = client.get(event.post.get_absolute_url()).content.decode()
    assert "09:00" in page and "Asia/Tokyo" in page and "Edit event" in page
    edit = client.post(
        f"/events/{event.pk}/edit/",
        {**data, "title": "Offsite day", "ends_at": "2030-06-01T17:00", "online_url": ""},
    )
    assert edit.status_code == 302
    event.refresh_from_db()
    assert event.title == "Offsite day" and event.sequence == 1


def test_new_event_without_a_group_or_where_i_cannot_write_is_not_posted(employee, team, colleague):
    data = {
        "title": "Offsite",
        "starts_at": "2030-06-01T09:00",
        "ends_at": "2030-06-01T17:00",
        "time_zone": "Europe/Madrid",
        "online_url": "",
    }
    response = client_for(employee).post("/events/new/", data)
    assert response.status_code == 400 and b"Choose where to post" in response.content
    response = client_for(colleague).post("/events/new/", {**data, "group": team.slug})
    assert response.status_code in (403, 404)
    assert not Event.objects.exists()


def test_answer_with_htmx_returns_the_card_and_upcoming_lists_it(employee, ben, team):
    event = make_event(employee, team)
    client = client_for(ben)
    response = client.post(
        f"/events/{event.pk}/answer/", {"answer": "maybe"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'value="maybe" aria-pressed="true"' in response.content.decode()
    assert client.post(f"/events/{event.pk}/answer/", {"answer": "nope"}).status_code == 400
    page = client.get("/events/")
    assert b"Launch party" in page.content and b"/events.ics" in page.content
    people = client.get(f"/events/{event.pk}/people/").content.decode()
    assert "Ben Ortiz" in people


def _count(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_pages_queries_do_not_grow_with_events_or_answers(employee, ben, team):
    client = client_for(ben)
    first = make_event(employee, team)
    services.answer_event(actor=ben, event=first, answer="going")
    few = (_count(client, team.get_absolute_url()), _count(client, "/events/"))
    guests = [make_person(f"g{i}").user for i in range(5)]
    for person in guests:
        groups.invite_member(actor=employee, group=team, user=person)
    for i in range(8):
        event = make_event(employee, team, title=f"Event {i}")
        for person in guests:
            services.answer_event(actor=person, event=event, answer="maybe")
    many = (_count(client, team.get_absolute_url()), _count(client, "/events/"))
    assert many == few


def test_xss_vectors_in_every_typed_field_render_inert(employee, ben, team):
    events = []
    for vector in payloads():
        events.append(
            make_event(
                employee,
                team,
                title=vector[:200],
                description=vector,
                location=vector[:300],
                online_url="",
            )
        )
    client = client_for(ben)
    for event in events[:: max(len(events) // 8, 1)]:
        services.answer_event(actor=ben, event=event, answer="going")
        for url in (event.post.get_absolute_url(), f"/events/{event.pk}/people/"):
            assert_inert(client.get(url).content.decode())
        fragment = client.get(f"/events/{event.pk}/", HTTP_HX_REQUEST="true").content.decode()
        assert_inert(fragment, fragment=True)
        assert_inert(_shared_card(event.post_id)["html"], fragment=True)
    assert_inert(client.get("/events/").content.decode())
    assert_inert(client.get(team.get_absolute_url()).content.decode())


@pytest.mark.django_db(transaction=True)
def test_answer_counts_go_live_to_readers_only(employee, ben, colleague, team):
    event = make_event(employee, team)

    async def go():
        anas = await open_socket(employee)
        outsider = await open_socket(colleague)
        await sync_to_async(services.answer_event)(actor=ben, event=event, answer="going")
        while True:
            got = await anas.receive_json_from(timeout=3)
            if got["type"] == "event.rsvps":
                break
        assert got["event"] == event.pk and got["going_count"] == 2
        assert "ben" not in str(got)
        heard = set()
        while not await outsider.receive_nothing(timeout=0.5):
            heard.add((await outsider.receive_json_from())["type"])
        assert "event.rsvps" not in heard
        await anas.disconnect()
        await outsider.disconnect()

    async_to_sync(go)()
