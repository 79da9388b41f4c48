"""Sockets due for their re-check on the same event ask the database together
(feeds/revalidation.py): the answers are those of one check each, for every way a session
stops signing its user in, and a socket still gets only what its user may read.
Runs on the in-memory layer (embedded) or channels-redis (REDIS_URL)."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from core import events
from feeds import revalidation
from feeds import services as feeds
from feeds.consumers import CLOSE_UNAUTHENTICATED
from groups import selectors as group_selectors
from groups import services as groups
from groups.models import Group
from people.selectors import check_access, check_access_many

from ..factories import make_person
from .sockets import open_socket, sign_in

User = get_user_model()


def people(n: int, prefix: str = "p") -> list:
    return [make_person(f"{prefix}{i}.person", display_name=f"Person {i}").user for i in range(n)]


@pytest.mark.django_db
def test_many_checks_answer_as_one_check_each_in_two_queries(django_assert_num_queries):
    ok, inactive, new_password, expired, deleted, other = people(6)
    keys = {user: sign_in(user) for user in (ok, inactive, new_password, expired, deleted, other)}
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    new_password.set_password("a-new-password-42")
    new_password.save()
    Session.objects.filter(session_key=keys[expired]).update(expire_date=timezone.now())
    Session.objects.filter(session_key=keys[deleted]).delete()
    pairs = [(user.pk, keys[user]) for user in (ok, inactive, new_password, expired, deleted)]
    pairs += [(ok.pk, keys[other]), (ok.pk, None), (ok.pk, "no-such-session")]

    with django_assert_num_queries(2):  # the sessions, then the users they name
        many = check_access_many(pairs)

    one_each = {pair: check_access(*pair) for pair in pairs}
    assert {pair: a is not None for pair, a in many.items()} == {
        pair: a is not None for pair, a in one_each.items()
    }
    assert [pair for pair, access in many.items() if access] == [(ok.pk, keys[ok])]
    assert many[(ok.pk, keys[ok])].user.pk == ok.pk
    assert many[(ok.pk, keys[ok])].expires == one_each[(ok.pk, keys[ok])].expires


@pytest.mark.django_db
def test_a_session_rewritten_since_the_last_check_answers_anew():
    """Re-checks keep what a session's text decodes to; the same key holding another text
    (now signing someone else in) is decoded again, and the first user no longer passes."""
    first, second = people(2, "r")
    key = sign_in(first)
    assert check_access_many([(first.pk, key)])[(first.pk, key)] is not None
    other = Session.objects.get(session_key=sign_in(second))
    Session.objects.filter(session_key=key).update(session_data=other.session_data)
    again = check_access_many([(first.pk, key), (second.pk, key)])
    assert again[(first.pk, key)] is None
    assert again[(second.pk, key)].user.pk == second.pk


@pytest.mark.django_db
def test_feed_groups_of_many_people_are_each_ones_feed_groups(django_assert_num_queries):
    owner, member, stranger = people(3, "f")
    secret = groups.create_group(actor=owner, name="Merger", privacy=Group.Privacy.SECRET)
    groups.invite_member(actor=owner, group=secret, user=member)
    groups.ensure_company_group()
    users = [owner, member, stranger]
    with django_assert_num_queries(2):
        many = group_selectors.feed_group_ids_of([u.pk for u in users])
    for user in users:
        one = {row["id"] for row in group_selectors.feed_group_ids(user)}
        assert many[user.pk] == one
    assert secret.pk not in many[stranger.pk]


def test_sockets_due_together_are_checked_in_one_call_and_only_the_right_ones_hear(
    transactional_db, settings
):
    """Five sockets due for their re-check when one post reaches them all: one database
    call answers them; the one whose account was switched off without any signal (a
    queryset update, as a lost message) is signed out and hears nothing, the others get
    the post."""
    settings.SOCKET_REVALIDATE_SECONDS = 0.3
    owner, *members = people(5, "s")
    secret = groups.create_group(actor=owner, name="Board", privacy=Group.Privacy.SECRET)
    for member in members:
        groups.invite_member(actor=owner, group=secret, user=member)
    calls = []
    real = revalidation._check_all_async

    async def counted(pairs):
        calls.append(len(pairs))
        return await real(pairs)

    async def go():
        sockets = [await open_socket(user) for user in [owner, *members]]
        leaver = sockets[-1]
        await sync_to_async(User.objects.filter(pk=members[-1].pk).update)(is_active=False)
        await asyncio.sleep(0.4)
        revalidation._check_all_async = counted
        try:
            await sync_to_async(feeds.create_post)(actor=owner, group=secret, body="Q3 numbers")
            for socket in sockets[:-1]:
                event = await socket.receive_json_from(timeout=3)
                assert event["type"] == "post.created" and "Q3 numbers" in event["html"]
            assert await leaver.receive_json_from(timeout=3) == {"type": "signed.out"}
            closed = await leaver.receive_output(timeout=3)
            assert closed == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
        finally:
            revalidation._check_all_async = real
        assert sum(calls) == 5 and len(calls) < 5, calls  # shared, not one call each
        for socket in sockets[:-1]:
            await socket.disconnect()

    async_to_sync(go)()


def test_a_failing_database_call_fails_every_socket_waiting_on_it(transactional_db):
    """No socket is left waiting forever: each gets the error (and its consumer closes)."""
    user = people(1, "e")[0]
    key = sign_in(user)
    real = revalidation._check_all_async

    async def broken(pairs):
        raise RuntimeError("database down")

    async def go():
        revalidation._check_all_async = broken
        try:
            results = await asyncio.gather(
                revalidation.check(user.pk, key),
                revalidation.check(user.pk, key),
                return_exceptions=True,
            )
        finally:
            revalidation._check_all_async = real
        assert [type(r) for r in results] == [RuntimeError, RuntimeError]
        verdict = await revalidation.check(user.pk, key)  # and the next one works again
        assert verdict.access is not None and verdict.access.user.pk == user.pk

    async_to_sync(go)()


def test_an_event_reaches_a_socket_while_the_database_thread_is_busy(transactional_db):
    """A socket that need not ask the database forwards an event at once, even while the
    process's database thread is held by something slow (another socket's check, say):
    a company-wide post no longer makes every socket queue behind that thread in turn."""
    owner = people(1, "b")[0]
    group = groups.create_group(actor=owner, name="Payroll", privacy=Group.Privacy.PRIVATE)
    release = threading.Event()

    async def go():
        socket = await open_socket(owner)
        # Thread-sensitive, as every database call of a socket is: it holds that thread.
        held = asyncio.ensure_future(sync_to_async(release.wait)(10))
        try:
            await asyncio.sleep(0.05)
            event = {"type": "post.created", "group": group.pk, "html": "<p>Payslips</p>"}
            await get_channel_layer().group_send(
                events.group_audience(group.pk), {"type": "event.forward", "event": event}
            )
            assert await socket.receive_json_from(timeout=2) == event
            assert not held.done()  # delivered while the thread was still held
        finally:
            release.set()
            await held
        await socket.disconnect()

    async_to_sync(go)()
