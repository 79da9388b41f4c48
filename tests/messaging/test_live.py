"""Messages over the existing /ws/ socket: to each participant's `user.<id>` audience, never
to anyone else, nothing after removal, a deletion with ids only, and the typing frame relayed
(rate-limited) to the other participants only."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from messaging import services

from ..realtime.sockets import open_socket
from .conftest import say, seat_of

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine_fn):
    async_to_sync(coroutine_fn)()


async def event(socket, timeout=3):
    return await socket.receive_json_from(timeout=timeout)


def send(user, conversation, body):
    return sync_to_async(say)(user, conversation, body)


def act(service, person, conversation, **kwargs):
    """Call a service as `person` with their seat, from the async test."""
    return sync_to_async(
        lambda: service(actor=person, seat=seat_of(person, conversation), **kwargs)
    )()


def test_second_user_hears_the_message_and_outsiders_hear_nothing(
    employee, ben, cleo, colleague, group_chat
):
    async def go():
        bens = await open_socket(ben)
        outsider = await open_socket(colleague)
        message = await send(employee, group_chat, "Ship it **today**")
        got = await event(bens)
        assert got["type"] == "message.created"
        assert (got["conversation"], got["message"], got["author"]) == (
            group_chat.pk,
            message.pk,
            employee.pk,
        )
        assert "Ship it <strong>today</strong>" in got["html"]
        assert await outsider.receive_nothing(timeout=0.5)
        await bens.disconnect()
        await outsider.disconnect()

    run(go)


def test_removed_participant_socket_gets_nothing_more(employee, ben, cleo, group_chat):
    async def go():
        cleos = await open_socket(cleo)
        await act(services.remove_participant, employee, group_chat, user=cleo)
        assert await event(cleos) == {"type": "conversation.left", "conversation": group_chat.pk}
        message = await send(ben, group_chat, "after cleo left")
        await act(services.edit_message, ben, group_chat, message=message, body="edited")
        await act(services.delete_message, ben, group_chat, message=message)
        await cleos.send_json_to({"type": "typing", "conversation": group_chat.pk})
        assert await event(cleos) == {"type": "error", "error": "No such conversation."}
        assert await cleos.receive_nothing(timeout=0.7)
        await cleos.disconnect()

    run(go)


def test_delete_event_carries_ids_only(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    message = services.send_message(actor=employee, seat=seat_of(employee, direct), body="oops")

    async def go():
        bens = await open_socket(ben)
        await act(services.delete_message, employee, direct, message=message)
        assert await event(bens) == {
            "type": "message.deleted",
            "conversation": direct.pk,
            "message": message.pk,
        }
        await bens.disconnect()

    run(go)


def test_typing_reaches_the_others_once_per_interval(employee, ben, cleo, colleague, group_chat):
    async def go():
        anas = await open_socket(employee)
        bens = await open_socket(ben)
        outsider = await open_socket(colleague)
        for _ in range(5):
            await anas.send_json_to({"type": "typing", "conversation": group_chat.pk})
        assert await event(bens) == {
            "type": "typing",
            "conversation": group_chat.pk,
            "user": employee.pk,
            "name": "Ana Garcia",
        }
        assert await bens.receive_nothing(timeout=0.5)  # the other four were dropped
        assert await anas.receive_nothing(timeout=0.2)  # not echoed to the typist
        for bad in ("1", None, True, -1):
            await anas.send_json_to({"type": "typing", "conversation": bad})
            assert (await event(anas))["type"] == "error"
        # Not a participant and no such conversation look alike.
        for conversation_id in (group_chat.pk, 999_999):
            await outsider.send_json_to({"type": "typing", "conversation": conversation_id})
            assert await event(outsider) == {"type": "error", "error": "No such conversation."}
        assert await bens.receive_nothing(timeout=0.3)
        for socket in (anas, bens, outsider):
            await socket.disconnect()

    run(go)


def test_reading_tells_the_others_and_my_badge(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    message = services.send_message(actor=employee, seat=seat_of(employee, direct), body="hi")

    async def go():
        anas = await open_socket(employee)
        bens = await open_socket(ben)
        await act(services.mark_read, ben, direct)
        read = {
            "type": "conversation.read",
            "conversation": direct.pk,
            "user": ben.pk,
            "name": "Ben Ortiz",
            "last_read": message.pk,
        }
        assert await event(anas) == read
        got = [await event(bens), await event(bens)]
        assert read in got and {"type": "messages.badge"} in got
        await anas.disconnect()
        await bens.disconnect()

    run(go)
