"""Who's coming, page by page: each answer's first page by name with a link to the next
(page and API, cursor), a fixed number of queries whatever the answers, for the event's
readers only (former members of a private group and deactivated people get nothing)."""

import pytest
from rest_framework.test import APIClient

from agenda import selectors, services
from groups import services as groups

from ..conftest import client_for
from ..factories import make_person
from ..feeds.world import PRIVACIES, READERS
from .conftest import make_event

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def party(employee, ben, team, monkeypatch):
    """Five people going, Ben maybe; pages of two."""
    monkeypatch.setattr(selectors, "ATTENDEES_PAGE", 2)
    event = make_event(employee, team)
    for i in range(5):
        person = make_person(f"guest{i}", display_name=f"Guest {4 - i}").user
        groups.invite_member(actor=employee, group=team, user=person)
        services.answer_event(actor=person, event=event, answer="going")
    services.answer_event(actor=ben, event=event, answer="maybe")
    return event


def test_the_api_pages_each_answer_by_name(party, ben, django_assert_num_queries):
    api = api_for(ben)
    first = api.get(f"/api/v1/events/{party.pk}/people/").json()
    # the organiser is going too
    assert [p["display_name"] for p in first["going"]] == ["Ana Garcia", "Guest 0"]
    assert [p["username"] for p in first["maybe"]] == ["ben.ortiz"]
    assert first["next"]["maybe"] is None and first["next"]["declined"] is None
    names, url = [p["display_name"] for p in first["going"]], first["next"]["going"]
    while url:
        with django_assert_num_queries(2):  # the event; the page
            page = api.get(url + "&page_size=2").json()
        names += [p["display_name"] for p in page["results"]]
        url = page["next"]
    assert names == ["Ana Garcia"] + [f"Guest {i}" for i in range(5)]
    assert api.get(f"/api/v1/events/{party.pk}/people/dancing/").status_code == 404
    bad = api.get(f"/api/v1/events/{party.pk}/people/going/?cursor=x")
    assert bad.status_code == 400 and "cursor" in bad.json()


def test_the_first_pages_cost_the_same_whatever_the_answers(
    party, ben, employee, team, django_assert_num_queries
):
    api = api_for(ben)
    with django_assert_num_queries(2):  # the event; every first page
        api.get(f"/api/v1/events/{party.pk}/people/")
    for i in range(5, 12):
        person = make_person(f"guest{i}").user
        groups.invite_member(actor=employee, group=team, user=person)
        services.answer_event(actor=person, event=party, answer=("maybe", "declined")[i % 2])
    with django_assert_num_queries(2):
        api.get(f"/api/v1/events/{party.pk}/people/")


def test_the_page_links_to_the_next_people(party, ben):
    client = client_for(ben)
    html = client.get(f"/events/{party.pk}/people/").content.decode()
    assert "Guest 0" in html and "Guest 1" not in html and "?answer=going" in html
    start = html.index('href="?answer=going')
    link = html[start + 6 : html.index('"', start + 6)].replace("&amp;", "&")
    more = client.get(f"/events/{party.pk}/people/{link}").content.decode()
    assert "Guest 1" in more and "Guest 2" in more and "Guest 0" not in more
    assert "Every answer" in more
    assert client.get(f"/events/{party.pk}/people/?answer=dancing").status_code == 404
    assert client.get(f"/events/{party.pk}/people/?answer=going&cursor=zz").status_code == 400


def test_a_deactivated_guest_is_not_listed(party, employee, team):
    guest = make_person("gone.guest", display_name="Aaron Gone").user
    groups.invite_member(actor=employee, group=team, user=guest)
    services.answer_event(actor=guest, event=party, answer="going")
    guest.is_active = False
    guest.save()
    assert (
        "Aaron Gone" not in client_for(employee).get(f"/events/{party.pk}/people/").content.decode()
    )
    rows = api_for(employee).get(f"/api/v1/events/{party.pk}/people/going/?page_size=50")
    assert "Aaron Gone" not in rows.content.decode()


def test_matrix_for_the_answer_pages(world):
    for privacy in PRIVACIES:
        event = make_event(world.member, world.groups[privacy])
        services.answer_event(actor=world.member, event=event, answer="going")
        for role in ("owner", "leader", "member", "muted", "former", "outsider", "admin"):
            reads = role in READERS[privacy]
            user = world.users[role]
            api = api_for(user).get(f"/api/v1/events/{event.pk}/people/going/")
            page = client_for(user).get(f"/events/{event.pk}/people/?answer=going")
            assert api.status_code == page.status_code == (200 if reads else 404), (privacy, role)
            assert (b"Member" in page.content) is reads
    event = make_event(world.leader, world.groups["public"])
    world.member.is_active = False
    world.member.save()
    gone = api_for(world.member).get(f"/api/v1/events/{event.pk}/people/")
    assert gone.status_code in (401, 403, 404) and b"Leader" not in gone.content
    assert client_for(world.member).get(f"/events/{event.pk}/people/").status_code == 302
