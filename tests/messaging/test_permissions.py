"""Who reads a conversation: participants only, on every surface (page, fragment, API list
and detail, catch-up), with the window of a removed person and nothing for admins."""

import pytest
from django.http import Http404

from messaging import selectors, services

from ..conftest import client_for
from .conftest import say, seat_of

pytestmark = pytest.mark.django_db


def surfaces(conversation, message):
    c, m = conversation.pk, message.pk
    return [
        f"/messages/{c}/",
        f"/messages/{c}/since/?after=0",
        f"/api/v1/messages/conversations/{c}/",
        f"/api/v1/messages/conversations/{c}/messages/",
        f"/api/v1/messages/conversations/{c}/messages/?after=0",
        f"/messages/m/{m}/edit/",
    ]


def test_participant_reads_every_surface(employee, ben, group_chat):
    message = say(ben, group_chat, "Kickoff **Monday**")
    client = client_for(employee)
    for url in surfaces(group_chat, message)[:5]:
        response = client.get(url)
        assert response.status_code == 200, url
        if not url.endswith(f"/conversations/{group_chat.pk}/"):
            assert b"Kickoff" in response.content, url
    listed = client.get("/api/v1/messages/conversations/").json()["results"]
    assert [row["id"] for row in listed] == [group_chat.pk]


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_non_participants_and_admins_get_404_everywhere(
    who, colleague, admin_user, ben, group_chat
):
    viewer = colleague if who == "outsider" else admin_user
    message = say(ben, group_chat, "secret launch date")
    client = client_for(viewer)
    for url in surfaces(group_chat, message):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"secret launch date" not in response.content
    assert client.get("/api/v1/messages/conversations/").json()["results"] == []
    assert client.get("/messages/").content.count(b"secret launch date") == 0
    for method, url, data in [
        ("post", f"/api/v1/messages/conversations/{group_chat.pk}/messages/", {"body": "hi"}),
        ("post", f"/api/v1/messages/conversations/{group_chat.pk}/read/", {}),
        ("patch", f"/api/v1/messages/{message.pk}/", {"body": "x"}),
        ("delete", f"/api/v1/messages/{message.pk}/", None),
    ]:
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 404, (method, url)
    # Admins have no way in, and no conversation shows in the Django admin either.
    from django.contrib import admin

    from messaging.models import Message

    assert Message not in admin.site._registry


def test_removed_participant_keeps_the_past_and_reads_nothing_after(
    employee, ben, cleo, group_chat
):
    before = say(ben, group_chat, "before removal")
    services.remove_participant(actor=employee, seat=seat_of(employee, group_chat), user=cleo)
    after = say(ben, group_chat, "after removal")
    seat = seat_of(cleo, group_chat)
    readable = list(selectors.thread(seat).values_list("body", flat=True))
    assert readable == ["before removal"]
    client = client_for(cleo)
    page = client.get(f"/messages/{group_chat.pk}/")
    assert b"before removal" in page.content and b"after removal" not in page.content
    assert b"no longer in this conversation" in page.content
    assert client.get(f"/messages/m/{after.pk}/edit/").status_code == 404
    api = client.get(f"/api/v1/messages/conversations/{group_chat.pk}/messages/?after=0").json()
    assert [m["id"] for m in api["results"]] == [before.pk]
    # Their inbox row shows the last message they may read, not the newer one.
    row = client.get("/messages/")
    assert b"after removal" not in row.content and b"You left" in row.content
    response = client.post(
        f"/api/v1/messages/conversations/{group_chat.pk}/messages/",
        {"body": "can I still post?"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"conversation": ["You are no longer in this conversation."]}


def test_person_added_later_reads_from_their_arrival(employee, ben, colleague, group_chat):
    say(ben, group_chat, "history")
    services.add_participants(actor=ben, seat=seat_of(ben, group_chat), people=[colleague])
    say(employee, group_chat, "welcome")
    assert list(
        selectors.thread(seat_of(colleague, group_chat)).values_list("body", flat=True)
    ) == ["welcome"]


def test_only_the_starter_removes_others_and_anyone_leaves(employee, ben, cleo, group_chat):
    response = client_for(ben).delete(
        f"/api/v1/messages/conversations/{group_chat.pk}/participants/cleo.lin/"
    )
    assert response.status_code == 403
    response = client_for(ben).delete(
        f"/api/v1/messages/conversations/{group_chat.pk}/participants/ben.ortiz/"
    )
    assert response.status_code == 204
    assert seat_of(ben, group_chat).left_at is not None


def test_deactivated_person_cannot_be_messaged_and_shows_as_such(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    say(ben, direct, "see you")
    ben.is_active = False
    ben.save()
    client = client_for(employee)
    response = client.post(
        f"/api/v1/messages/conversations/{direct.pk}/messages/",
        {"body": "are you there?"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "deactivated" in response.json()["conversation"][0]
    response = client.post(
        "/api/v1/messages/conversations/",
        {"participants": ["ben.ortiz"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "deactivated" in response.json()["participants"][0]
    page = client.get(f"/messages/{direct.pk}/")
    assert b"Deactivated" in page.content
    # The deactivated person reads nothing (they cannot sign in; the API refuses them too).
    with pytest.raises(Http404):
        selectors.get_seat(type("Anon", (), {"is_authenticated": False})(), direct.pk)


def test_one_to_one_is_reused_from_either_side(employee, ben):
    first = services.start_conversation(actor=employee, people=[ben])
    again = client_for(ben).post("/messages/start/", {"to": "ana.garcia"})
    assert again.status_code == 302 and again["Location"] == f"/messages/{first.pk}/"
    assert services.start_conversation(actor=employee, people=[ben]).pk == first.pk
