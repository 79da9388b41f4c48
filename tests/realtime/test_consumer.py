"""The live socket: which groups it hears, how it follows membership, what events carry,
and how it treats bad and flooding clients. Runs on the in-memory layer (embedded) or
channels-redis (REDIS_URL set), whichever the settings choose."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test.signals import template_rendered

from feeds import moderation
from feeds import services as feeds
from feeds.consumers import CLOSE_TOO_MANY, LiveConsumer
from groups import services as groups
from groups.models import Group

from ..factories import make_person
from .sockets import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def next_event(socket, timeout=3) -> dict:
    return await socket.receive_json_from(timeout=timeout)


def run(coroutine_fn):
    async_to_sync(coroutine_fn)()


@pytest.fixture
def leader(db):
    return make_person("lena.leader", display_name="Lena Leader").user


@pytest.fixture
def private(leader, employee):
    group = groups.create_group(actor=leader, name="Pricing", privacy=Group.Privacy.PRIVATE)
    groups.invite_member(actor=leader, group=group, user=employee)
    return group


@pytest.fixture
def public(leader):
    return groups.create_group(actor=leader, name="Running club")


def post_in(group, author, body="Hello"):
    return sync_to_async(feeds.create_post)(actor=author, group=group, body=body)


def test_member_hears_posts_of_their_private_group(private, leader, employee, colleague):
    async def go():
        mine = await open_socket(employee)
        outsider = await open_socket(colleague)
        post = await post_in(private, leader, "Price list **v2** is out")
        event = await next_event(mine)
        assert event["type"] == "post.created"
        assert (event["post"], event["group"], event["author"]) == (
            post.pk,
            private.pk,
            "lena.leader",
        )
        assert "Price list <strong>v2</strong> is out" in event["html"]
        assert await outsider.receive_nothing(timeout=0.5)
        await mine.disconnect()
        await outsider.disconnect()

    run(go)


def test_public_group_page_subscribes_non_member(public, leader, colleague, private):
    async def go():
        socket = await open_socket(colleague)
        await post_in(public, leader, "before subscribing")
        assert await socket.receive_nothing(timeout=0.5)
        await socket.send_json_to({"type": "subscribe", "group": public.pk})
        assert await next_event(socket) == {"type": "subscribed", "group": public.pk}
        await post_in(public, leader, "after subscribing")
        event = await next_event(socket)
        assert event["type"] == "post.created" and "after subscribing" in event["html"]
        # A private group they are not in, and a group that does not exist: alike.
        for group_id in (private.pk, 999_999):
            await socket.send_json_to({"type": "subscribe", "group": group_id})
            assert await next_event(socket) == {"type": "error", "error": "No such group."}
        for bad in ("1", None, True, -3, 1.5):
            await socket.send_json_to({"type": "subscribe", "group": bad})
            assert (await next_event(socket))["type"] == "error"
        await post_in(private, leader, "secret pricing")
        assert await socket.receive_nothing(timeout=0.5)
        await socket.send_json_to({"type": "unsubscribe", "group": public.pk})
        assert await next_event(socket) == {"type": "unsubscribed", "group": public.pk}
        await post_in(public, leader, "after leaving the page")
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    run(go)


def test_removed_member_hears_nothing_more_from_the_group(private, leader, employee):
    async def go():
        socket = await open_socket(employee)
        await post_in(private, leader, "while a member")
        assert (await next_event(socket))["type"] == "post.created"
        await sync_to_async(groups.remove_member)(
            actor=leader, group=private, user=employee, reason="reorg"
        )
        # Posted right after the removal: may already sit in the socket's queue before the
        # consumer handles membership.changed, and must be dropped all the same.
        post = await post_in(private, leader, "after the removal")
        await sync_to_async(feeds.edit_post)(actor=leader, post=post, body="edited after")
        await sync_to_async(feeds.toggle_reaction)(actor=leader, post=post, kind="like")
        await sync_to_async(moderation.remove_post)(actor=leader, post=post, reason="test")
        assert await next_event(socket) == {"type": "membership.changed"}
        assert await socket.receive_nothing(timeout=0.7)
        await socket.disconnect()

    run(go)


def test_joining_starts_the_groups_events_on_an_open_socket(public, leader, colleague):
    async def go():
        socket = await open_socket(colleague)
        await sync_to_async(groups.join_group)(actor=colleague, group=public)
        assert await next_event(socket) == {"type": "membership.changed"}
        await post_in(public, leader, "welcome")
        assert (await next_event(socket))["type"] == "post.created"
        await socket.disconnect()

    run(go)


def test_group_turning_secret_drops_subscribed_outsiders(public, leader, colleague, employee):
    async def go():
        await sync_to_async(groups.invite_member)(actor=leader, group=public, user=employee)
        outsider = await open_socket(colleague)
        member = await open_socket(employee)
        await outsider.send_json_to({"type": "subscribe", "group": public.pk})
        assert (await next_event(outsider))["type"] == "subscribed"
        await sync_to_async(groups.edit_group)(
            actor=leader, group=public, name=public.name, description="", privacy="secret"
        )
        assert await next_event(outsider) == {"type": "membership.changed"}
        assert await next_event(member) == {"type": "membership.changed"}
        await post_in(public, leader, "now secret")
        assert (await next_event(member))["type"] == "post.created"
        assert await outsider.receive_nothing(timeout=0.5)
        await outsider.disconnect()
        await member.disconnect()

    run(go)


def test_events_carry_only_what_every_reader_may_see(private, leader, employee):
    async def go():
        await sync_to_async(groups.change_role)(
            actor=leader, group=private, user=employee, role="leader"
        )
        socket = await open_socket(employee)
        rendered = []

        def count(sender, template, **kwargs):
            rendered.append(template.name)

        template_rendered.connect(count)
        other = await open_socket(leader)
        try:
            post = await post_in(private, leader, "Quarterly numbers")
            created = await next_event(socket)
            assert await next_event(other) == created  # one payload for all
        finally:
            template_rendered.disconnect(count)
        assert rendered.count("feeds/_post_card.html") == 1  # rendered once, not per socket
        html = created["html"]
        for per_viewer in ("Edit", "Delete", "Remove", "Report", "csrfmiddlewaretoken"):
            assert per_viewer not in html
        assert 'aria-pressed="true"' not in html

        await sync_to_async(feeds.toggle_reaction)(actor=leader, post=post, kind="like")
        reaction = await next_event(socket)
        assert reaction == {
            "type": "reactions.changed",
            "post": post.pk,
            "group": private.pk,
            "counts": {"like": 1, "celebrate": 0, "insightful": 0, "support": 0},
        }

        comment = await sync_to_async(feeds.create_comment)(
            actor=leader, post=post, body="Details *inside*"
        )
        event = await next_event(socket)
        assert event["type"] == "comment.created" and event["comment"] == comment.pk
        assert event["comment_count"] == 1 and "<em>inside</em>" in event["html"]
        assert "Report" not in event["html"] and "Delete" not in event["html"]

        await sync_to_async(feeds.edit_post)(actor=leader, post=post, body="Quarterly **final**")
        event = await next_event(socket)
        assert event == {
            "type": "post.edited",
            "post": post.pk,
            "group": private.pk,
            "body_html": "<p>Quarterly <strong>final</strong></p>\n",
        }

        await sync_to_async(moderation.remove_post)(
            actor=employee, post=post, reason="Leaked figures"
        )
        assert await next_event(socket) == {
            "type": "post.removed",
            "post": post.pk,
            "group": private.pk,
        }
        for sock in (socket, other):
            await sock.disconnect()

    run(go)


def test_rolled_back_post_sends_nothing(private, leader, employee):
    from django.db import transaction

    def post_then_fail():
        try:
            with transaction.atomic():
                feeds.create_post(actor=leader, group=private, body="never happened")
                raise RuntimeError
        except RuntimeError:
            pass

    async def go():
        socket = await open_socket(employee)
        await sync_to_async(post_then_fail)()
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    run(go)


class TightBucket(LiveConsumer):
    RATE = 1.0
    BURST = 3.0
    STRIKES = 5


def test_flooding_client_gets_an_error_then_is_closed(employee):
    async def go():
        socket = await open_socket(employee, TightBucket)
        for _ in range(3):
            await socket.send_json_to({"type": "ping"})
            assert await next_event(socket) == {"type": "pong"}
        await socket.send_json_to({"type": "ping"})
        assert await next_event(socket) == {"type": "error", "error": "Too many frames: slow down."}
        for _ in range(4):
            await socket.send_json_to({"type": "ping"})
        assert await socket.receive_output(timeout=2) == {
            "type": "websocket.close",
            "code": CLOSE_TOO_MANY,
        }

    run(go)


def test_a_polite_client_is_never_throttled(employee):
    async def go():
        socket = await open_socket(employee, TightBucket)
        for _ in range(3):
            await socket.send_json_to({"type": "ping"})
            assert await next_event(socket) == {"type": "pong"}
        await socket.send_json_to({"type": "ping"})
        assert (await next_event(socket))["type"] == "error"
        # The bucket refills (1 a second): after a pause the client is served again.
        import asyncio

        await asyncio.sleep(1.1)
        await socket.send_json_to({"type": "ping"})
        assert await next_event(socket) == {"type": "pong"}
        await socket.disconnect()

    run(go)


def test_oversized_and_malformed_frames_get_error_frames(employee):
    async def go():
        socket = await open_socket(employee)
        await socket.send_to(text_data='{"type": "ping", "x": "' + "a" * 5000 + '"}')
        assert "at most" in (await next_event(socket))["error"]
        await socket.send_to(text_data="{oops")
        assert (await next_event(socket))["type"] == "error"
        await socket.send_json_to({"type": "ping"})
        assert await next_event(socket) == {"type": "pong"}
        await socket.disconnect()

    run(go)


def test_question_assignment_reaches_only_the_expert(employee, colleague):
    from django.db import transaction

    from core import events

    def assign():
        with transaction.atomic():
            events.question_assigned(user_id=employee.pk, question_id=7, url="/questions/7/")

    async def go():
        expert = await open_socket(employee)
        other = await open_socket(colleague)
        await sync_to_async(assign)()
        assert await next_event(expert) == {
            "type": "question.assigned",
            "question": 7,
            "url": "/questions/7/",
        }
        assert await other.receive_nothing(timeout=0.5)
        await expert.disconnect()
        await other.disconnect()

    run(go)
