"""The messages API and pages: bad input is a 400 naming the field, Markdown goes through
the one sanitizer, read state and unread counts, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging import selectors, services
from messaging.models import Message, MessageAttachment

from ..conftest import client_for
from ..factories import make_person
from ..xss import assert_inert, payloads
from .conftest import say, seat_of

pytestmark = pytest.mark.django_db

API = "/api/v1/messages/conversations/"
# session, user (its own profile and roles with it, and the shell's policy banner and
# notification bell: people.authentication.session_user, core.session_reads), the seat with
# unread count, its people, a page of messages, their files, their reactions, and the rest
# of the shell (the Messages badge is fetched)
PAGE_QUERIES = 9


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "participants"),
        ({"participants": []}, "participants"),
        ({"participants": "ben.ortiz"}, "participants"),
        ({"participants": ["nobody.here"]}, "participants"),
        ({"participants": ["ben.ortiz"], "title": "x" * 121}, "title"),
        ({"participants": ["ben.ortiz"], "colour": "red"}, "colour"),
        ({"participants": [f"p{i}" for i in range(60)]}, "participants"),
    ],
)
def test_bad_conversation_input_names_the_field(employee, ben, data, field):
    response = post(client_for(employee), API, data)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": 12}, None),
        ({"body": "x" * 50_000}, "body"),
        ({"body": "\x00"}, "body"),
        ({"text": "hi"}, "text"),
    ],
)
def test_bad_message_input_names_the_field(employee, ben, body, field):
    direct = services.start_conversation(actor=employee, people=[ben])
    response = post(client_for(employee), f"{API}{direct.pk}/messages/", body)
    if field is None:  # DRF reads a number as its text: a message "12" is fine
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_bad_cursor_and_after_name_the_parameter(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    client = client_for(employee)
    assert "cursor" in client.get(f"{API}{direct.pk}/messages/?cursor=zzz").json()
    assert "after" in client.get(f"{API}{direct.pk}/messages/?after=x").json()
    assert client.get(f"/messages/{direct.pk}/?cursor=zzz").status_code == 400


def test_emoji_and_right_to_left_text_are_kept(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    body = "שלום 👋🏽 مرحبا"
    response = post(client_for(employee), f"{API}{direct.pk}/messages/", {"body": body})
    assert response.status_code == 201 and response.json()["body"] == body


def test_xss_vectors_are_inert_in_bodies_and_titles(employee, ben):
    client = client_for(employee)
    for vector in payloads():
        group = post(client, API, {"participants": ["ben.ortiz"], "title": vector[:120]})
        assert group.status_code in (201, 400), vector
        if group.status_code != 201:
            continue
        conversation_id = group.json()["id"]
        sent = post(client, f"{API}{conversation_id}/messages/", {"body": vector})
        if sent.status_code != 201:
            assert sent.status_code == 400
            continue
        assert_inert(sent.json()["body_html"], fragment=True)
        assert_inert(client.get(f"/messages/{conversation_id}/").content.decode())
    assert_inert(client.get("/messages/").content.decode())
    assert_inert(client_for(ben).get("/messages/").content.decode())


def test_edit_and_delete_by_the_author_only(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    message = say(employee, direct, "first draft")
    ben_client, ana = client_for(ben), client_for(employee)
    url = f"/api/v1/messages/{message.pk}/"
    assert ben_client.patch(url, {"body": "x"}, content_type="application/json").status_code == 403
    assert ben_client.delete(url).status_code == 403
    edited = ana.patch(url, {"body": "final *text*"}, content_type="application/json").json()
    assert edited["body_html"] == "<p>final <em>text</em></p>\n" and edited["edited_at"]
    assert ana.delete(url).status_code == 204
    message.refresh_from_db()
    assert message.body == "" and message.deleted_at is not None
    page = ben_client.get(f"/messages/{direct.pk}/").content.decode()
    assert "Message deleted" in page and "final" not in page
    listed = ben_client.get(f"{API}{direct.pk}/messages/").json()["results"]
    assert listed[0]["deleted"] is True and listed[0]["body"] == ""
    assert ana.patch(url, {"body": "again"}, content_type="application/json").status_code == 409


def test_unread_counts_read_marker_and_seen_by(employee, ben, cleo, group_chat):
    say(ben, group_chat, "one")
    say(ben, group_chat, "two")
    assert selectors.unread_conversation_count(employee) == 1
    rows = client_for(employee).get(API).json()["results"]
    assert rows[0]["unread"] == 2
    page = client_for(employee).get("/").content.decode()
    assert 'data-nav-count="messages" data-count-url="/messages/unread/"' in page
    assert client_for(employee).get("/messages/unread/").content == b"1"
    response = post(client_for(employee), f"{API}{group_chat.pk}/read/", {})
    assert response.json() == {"message": seat_of(employee, group_chat).latest_message_id}
    assert selectors.unread_conversation_count(employee) == 0
    mine = say(employee, group_chat, "did you see?")
    services.mark_read(actor=cleo, seat=seat_of(cleo, group_chat))
    page = client_for(employee).get(f"/messages/{group_chat.pk}/").content.decode()
    assert "Seen by Cleo Lin" in page
    assert mine.pk == seat_of(cleo, group_chat).last_read_id
    assert (
        post(client_for(employee), f"{API}{group_chat.pk}/read/", {"message": "x"}).status_code
        == 400
    )


def _people(n):
    return [make_person(f"p{i}.person", display_name=f"Person {i}").user for i in range(n)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_inbox_query_count_does_not_grow(employee):
    people = _people(6)
    client = client_for(employee)
    first = services.start_conversation(actor=employee, people=people[:2], title="First")
    say(people[0], first, "hello")
    for url in ("/messages/", API):
        client.get(url)
    small = {url: _queries(client, url) for url in ("/messages/", API)}
    for i in range(4):
        chat = services.start_conversation(actor=employee, people=people[i : i + 3])
        say(people[i], chat, "hello")
        say(employee, chat, "hi")
    services.start_conversation(actor=employee, people=[people[5]])
    big = {url: _queries(client, url) for url in ("/messages/", API)}
    assert big == small
    # Pinned: session, user (with the top bar's profile, the bell and the policy banner),
    # the page of rows with unread counts, their people, their last messages (page only),
    # and the rest of the shell (page only).
    assert small == {"/messages/": 6, API: 4}


def test_conversation_page_query_count_does_not_grow(employee, ben, cleo):
    chat = services.start_conversation(actor=employee, people=[ben, cleo], title="Crew")
    say(ben, chat, "first")
    client = client_for(employee)
    url = f"/messages/{chat.pk}/"
    client.get(url)
    before = _queries(client, url)
    for i in range(20):
        message = say(ben if i % 2 else cleo, chat, f"message {i}")
        services.react_to_message(
            actor=employee, seat=seat_of(employee, chat), message=message, kind="like"
        )
        MessageAttachment.objects.create(
            message=message,
            file=f"message-files/x{i}.txt",
            name=f"n{i}.txt",
            content_type="text/plain",
            size=1,
        )
    client.get(url)
    client.get(url)
    assert _queries(client, url) == before
    assert before == PAGE_QUERIES, before
    api = f"{API}{chat.pk}/messages/"
    client.get(api)
    # session, user, seat, its people, the page, its files, its reactions
    assert _queries(client, api) == 7


def test_message_pages_by_cursor(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    ids = [say(ben, direct, f"m{i}").pk for i in range(7)]
    client = client_for(employee)
    first = client.get(f"{API}{direct.pk}/messages/?page_size=4").json()
    assert [m["id"] for m in first["results"]] == ids[::-1][:4]
    second = client.get(first["next"]).json()
    assert [m["id"] for m in second["results"]] == ids[::-1][4:]
    assert second["next"] is None
    after = client.get(f"{API}{direct.pk}/messages/?after={ids[4]}").json()["results"]
    assert [m["id"] for m in after] == ids[5:]
    assert Message.objects.count() == 7
