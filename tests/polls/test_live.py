"""Live poll results over the existing /ws/: counts to the group's readers only, nothing
that names a voter, and nothing after a reader leaves the group."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from groups import services as groups
from polls import services

from ..realtime.sockets import open_socket
from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db(transaction=True)


async def next_of(socket, event_type, timeout=3):
    while True:
        got = await socket.receive_json_from(timeout=timeout)
        if got["type"] == event_type:
            return got


async def types_heard(socket, timeout=0.5) -> set[str]:
    """The event types `socket` hears within `timeout` (other tests' company-wide events may
    arrive on a shared Redis; what matters is that none is about this poll)."""
    heard = set()
    while not await socket.receive_nothing(timeout=timeout):
        heard.add((await socket.receive_json_from())["type"])
    return heard


def test_results_reach_readers_only_and_name_nobody(employee, ben, colleague, team):
    poll = make_poll(employee, team, anonymous=True)
    options = option_ids(poll)
    red = options[0]

    async def go():
        anas = await open_socket(employee)
        outsider = await open_socket(colleague)
        await sync_to_async(services.vote)(actor=ben, poll=poll, option_ids=[red])
        got = await next_of(anas, "poll.results")
        assert got["poll"] == poll.pk and got["group"] == team.pk
        assert got["counts"][str(red)] == 1 and got["voters"] == 1 and not got["closed"]
        text = json.dumps(got)
        # Only counts: no field that could name a voter (a field's value may equal ben's id
        # by chance, a group's or a poll's, so the fields are what is checked).
        assert set(got) == {"type", "poll", "post", "group", "counts", "voters", "closed"}
        assert "ben" not in text and set(got["counts"]) == {str(pk) for pk in options}
        assert "poll.results" not in await types_heard(outsider)
        await sync_to_async(groups.remove_member)(actor=employee, group=team, user=ben)
        bens = await open_socket(ben)
        await sync_to_async(services.close_poll)(actor=employee, poll=poll)
        assert (await next_of(anas, "poll.results"))["closed"]
        assert "poll.results" not in await types_heard(bens)
        for socket in (anas, outsider, bens):
            await socket.disconnect()

    async_to_sync(go)()
