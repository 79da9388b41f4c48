"""The live socket and the event door: events leave after commit, to the right audience."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from core import events
from feeds.consumers import CLOSE_UNAUTHENTICATED

from .realtime.sockets import communicator_for, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


async def socket_for(user) -> WebsocketCommunicator:
    """A socket for `user` on a real signed-in session (an anonymous user gets none)."""
    key = await sync_to_async(sign_in)(user) if user.is_authenticated else None
    return communicator_for(user, key)


def publish_in_transaction(*, audience: str, rollback: bool = False) -> None:
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            events.publish(audience=audience, event_type="test.ping", payload={"n": 1})
            if rollback:
                raise Rollback
    except Rollback:
        pass


def test_event_reaches_the_users_socket_after_commit(employee):
    async def run():
        socket = await socket_for(employee)
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_json_from() == {"type": "hello", "user": employee.pk}
        await sync_to_async(publish_in_transaction)(audience=events.user_audience(employee.pk))
        assert await socket.receive_json_from(timeout=3) == {"type": "test.ping", "n": 1}
        await sync_to_async(publish_in_transaction)(audience=events.COMPANY)
        assert await socket.receive_json_from(timeout=3) == {"type": "test.ping", "n": 1}
        await socket.disconnect()

    async_to_sync(run)()


def test_rolled_back_write_sends_nothing(employee):
    async def run():
        socket = await socket_for(employee)
        await socket.connect()
        await socket.receive_json_from()
        await sync_to_async(publish_in_transaction)(
            audience=events.user_audience(employee.pk), rollback=True
        )
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    async_to_sync(run)()


def test_another_users_events_do_not_arrive(employee, colleague):
    async def run():
        socket = await socket_for(employee)
        await socket.connect()
        await socket.receive_json_from()
        await sync_to_async(publish_in_transaction)(audience=events.user_audience(colleague.pk))
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    async_to_sync(run)()


def test_unauthenticated_socket_is_closed_with_a_clear_code():
    async def run():
        socket = await socket_for(AnonymousUser())
        connected, _ = await socket.connect()
        assert connected
        message = await socket.receive_output(timeout=2)
        assert message == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}

    async_to_sync(run)()


def test_malformed_frames_get_error_frames(employee):
    async def run():
        socket = await socket_for(employee)
        await socket.connect()
        await socket.receive_json_from()
        for frame in ("{not json", "[1, 2]", '{"type": 5}', '{"type": "launch"}'):
            await socket.send_to(text_data=frame)
            reply = await socket.receive_json_from(timeout=2)
            assert reply["type"] == "error" and reply["error"]
        await socket.send_to(bytes_data=b"\x00\x01")
        assert (await socket.receive_json_from(timeout=2))["type"] == "error"
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        await socket.disconnect()

    async_to_sync(run)()
