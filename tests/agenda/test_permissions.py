"""Who sees and answers an event: the readers of its post's group, on every surface (post
page card, fragment, who's coming, .ics, API detail, list, answer, people), for every role
and privacy of tests/feeds/world.py; former members of a private or secret group and
deactivated people answer nowhere."""

import pytest
from rest_framework.test import APIClient

from agenda import services
from core.errors import ApplicationError

from ..conftest import client_for
from ..feeds.world import PRIVACIES, READERS
from .conftest import make_event

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def events(world):
    return {p: make_event(world.member, world.groups[p], title=f"{p} offsite") for p in PRIVACIES}


def test_matrix_every_surface(world, events):
    for privacy in PRIVACIES:
        event = events[privacy]
        for role in ROLES:
            user = world.users[role]
            reads = role in READERS[privacy]
            page, api = client_for(user), api_for(user)
            where = (privacy, role)
            expected = 200 if reads else 404
            post_page = page.get(event.post.get_absolute_url())
            assert (f'id="event-{event.pk}"'.encode() in post_page.content) is reads, where
            for url in (
                f"/events/{event.pk}/people/",
                f"/events/{event.pk}/event.ics",
                f"/api/v1/events/{event.pk}/",
                f"/api/v1/events/{event.pk}/people/",
            ):
                response = (api if url.startswith("/api/") else page).get(url)
                assert response.status_code == expected, (where, url)
                if not reads:
                    assert f"{privacy} offsite".encode() not in response.content, (where, url)
            fragment = page.get(f"/events/{event.pk}/", HTTP_HX_REQUEST="true")
            assert fragment.status_code == expected, where
            listed = {e["id"] for e in api.get("/api/v1/events/").json()}
            upcoming = page.get("/events/").content
            if not reads:
                assert event.pk not in listed, where
                assert f"{privacy} offsite".encode() not in upcoming, where
            if role == "member":
                continue
            answer = api.post(
                f"/api/v1/events/{event.pk}/answer/", {"answer": "maybe"}, format="json"
            )
            assert answer.status_code == expected, where
            by_page = page.post(f"/events/{event.pk}/answer/", {"answer": "going"})
            assert by_page.status_code == (302 if reads else 404), where
        event.refresh_from_db()
        assert event.going_count == len(READERS[privacy]), privacy


def test_deactivated_and_former_members_cannot_answer(world, events):
    with pytest.raises(ApplicationError) as caught:
        services.answer_event(actor=world.former, event=events["secret"], answer="going")
    assert caught.value.status == 404
    world.outsider.is_active = False
    world.outsider.save()
    with pytest.raises(ApplicationError) as caught:
        services.answer_event(actor=world.outsider, event=events["public"], answer="going")
    assert caught.value.status == 404


def test_only_the_organiser_edits_and_leaders_may_cancel(world, events):
    event = events["private"]
    response = api_for(world.leader).patch(
        f"/api/v1/events/{event.pk}/", {"title": "Mine"}, format="json"
    )
    assert response.status_code == 403
    assert client_for(world.leader).get(f"/events/{event.pk}/edit/").status_code == 403
    assert client_for(world.outsider).get(f"/events/{event.pk}/edit/").status_code == 404
    for role in ("muted", "outsider"):
        response = api_for(world.users[role]).post(f"/api/v1/events/{event.pk}/cancel/")
        assert response.status_code in (403, 404), role
    assert api_for(world.leader).post(f"/api/v1/events/{event.pk}/cancel/").json()["cancelled"]
