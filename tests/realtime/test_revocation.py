"""An open socket lives only as long as its user's right to read (SECURITY.md, leak classes
1 and 7; Zulip CVE-2022-31017). For every way a right ends, the socket of a member of a
secret group gets a `signed.out` frame and close code 4401, then nothing of what the owner
posts, edits, comments, reacts, nor a notification badge; a role lost narrows what it hears
without closing it. Runs on the in-memory layer (embedded) or channels-redis (REDIS_URL)."""

import asyncio
from html.parser import HTMLParser

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from feeds import services as feeds
from feeds.consumers import CLOSE_UNAUTHENTICATED, LiveConsumer
from groups import services as groups
from groups.models import Group

from ..factories import PASSWORD, make_person
from .sockets import open_socket, sign_in, signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


CLOSED = {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


def run(coroutine_fn):
    async_to_sync(coroutine_fn)()


@pytest.fixture
def admin_user(db):
    """An admin (role and superuser). Transactional tests flush the roles the migrations made."""
    user = make_person("alex.admin", display_name="Alex Admin").user
    user.is_staff = user.is_superuser = True
    user.save()
    user.groups.add(Role.objects.get_or_create(name="admin")[0])
    return user


@pytest.fixture
def owner(db):
    return make_person("olga.owner", display_name="Olga Owner").user


@pytest.fixture
def secret(owner, employee):
    group = groups.create_group(actor=owner, name="Merger", privacy=Group.Privacy.SECRET)
    groups.invite_member(actor=owner, group=group, user=employee)
    return group


@pytest.fixture
def their_post(secret, employee):
    """A post of the leaver's own: a comment on it notifies them (notification.badge)."""
    return feeds.create_post(actor=employee, group=secret, body="My notes")


def make_noise(owner, group, their_post) -> None:
    """Everything content-bearing the owner can do while the socket should be deaf, and
    the events of other surfaces that reach `user.<id>` or `company` (siblings: a policy
    badge, a customer question assigned to them)."""
    from core import events

    events.publish(audience=events.COMPANY, event_type="notification.badge", payload={})
    events.question_assigned(user_id=their_post.author_id, question_id=7, url="/questions/7/")
    post = feeds.create_post(actor=owner, group=group, body="Target is **Acme**")
    feeds.edit_post(actor=owner, post=post, body="Target is **Acme**, price 4.2bn")
    feeds.create_comment(actor=owner, post=post, body="Board meets Friday")
    feeds.toggle_reaction(actor=owner, post=post, kind="like")
    if type(their_post).objects.filter(pk=their_post.pk).exists():  # gone with a deleted account
        feeds.create_comment(actor=owner, post=their_post, body="Answering your notes")


async def hears(socket, owner, group) -> None:
    """Before the change: the socket hears the group (so silence later means something)."""
    await sync_to_async(feeds.create_post)(actor=owner, group=group, body="before")
    event = await socket.receive_json_from(timeout=3)
    assert event["type"] == "post.created" and event["group"] == group.pk


async def signed_out_then_deaf(socket, owner, group, their_post) -> None:
    await sync_to_async(make_noise)(owner, group, their_post)
    assert await socket.receive_json_from(timeout=3) == {"type": "signed.out"}
    assert await socket.receive_output(timeout=3) == CLOSED
    await sync_to_async(make_noise)(owner, group, their_post)
    assert await socket.receive_nothing(timeout=0.7)


# --- Every way a right ends: (name, how) where how(ctx) ends it from the outside ----------


class FormFields(HTMLParser):
    """The fields a browser would submit from a page's forms (inputs, selected options,
    textareas), enough to re-submit the Django admin's change form unchanged."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") == "checkbox" else ""
            self.data.append((name, a.get("value") or default))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[-1] = (self._textarea, self.data[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def offboard_through_the_api(ctx):
    response = client_for(ctx["admin"]).post(
        "/api/v1/policies/offboarding/",
        {"username": ctx["user"].username, "handover_to": ctx["owner"].username},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def deactivate_in_the_django_admin(ctx):
    admin = client_for(ctx["admin"])
    url = f"/admin/auth/user/{ctx['user'].pk}/change/"
    page = admin.get(url)
    assert page.status_code == 200
    form = FormFields()
    form.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in form.data:
        if name not in ("is_active", "q"):  # untick "Active"; the search box is another form
            data.setdefault(name, []).append(value)
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not User.objects.get(pk=ctx["user"].pk).is_active


def save_is_active_false(ctx):
    user = User.objects.get(pk=ctx["user"].pk)
    user.is_active = False
    user.save()


def delete_the_account(ctx):
    User.objects.get(pk=ctx["user"].pk).delete()


def change_password_on_another_device(ctx):
    other, _ = signed_in_client(ctx["user"])
    response = other.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase 42",
            "new_password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302


def set_password_directly(ctx):
    user = User.objects.get(pk=ctx["user"].pk)
    user.set_password("reset by the helpdesk 77")
    user.save()


def sign_out_of_this_session(ctx):
    browser = Client()
    browser.cookies["sessionid"] = ctx["session_key"]
    assert browser.post("/accounts/logout/").status_code == 302


def sign_out_everywhere_from_another_device(ctx):
    other, _ = signed_in_client(ctx["user"])
    response = other.post("/people/me/sign-out-everywhere/")
    assert response.status_code == 302
    assert other.get("/").status_code == 200  # the device that asked stays signed in


def sign_out_everywhere_through_the_api(ctx):
    token = Token.objects.create(user=ctx["user"])
    api = Client(headers={"Authorization": f"Token {token.key}"})
    response = api.post("/api/v1/people/me/sign-out-everywhere/")
    assert response.status_code == 200
    assert response.json() == {"sessions_ended": 1, "token_revoked": True}
    assert not Token.objects.filter(user=ctx["user"]).exists()


def delete_the_session_row(ctx):
    assert Session.objects.filter(session_key=ctx["session_key"]).delete()[0] == 1


PATHS = [
    offboard_through_the_api,
    deactivate_in_the_django_admin,
    save_is_active_false,
    delete_the_account,
    change_password_on_another_device,
    set_password_directly,
    sign_out_of_this_session,
    sign_out_everywhere_from_another_device,
    sign_out_everywhere_through_the_api,
    delete_the_session_row,
]


@pytest.mark.parametrize("end_the_right", PATHS, ids=[p.__name__ for p in PATHS])
def test_the_socket_closes_and_hears_nothing_more(
    end_the_right, secret, owner, employee, admin_user, their_post
):
    async def go():
        key = await sync_to_async(sign_in)(employee)
        socket = await open_socket(employee, session_key=key)
        await hears(socket, owner, secret)
        ctx = {"user": employee, "owner": owner, "admin": admin_user, "session_key": key}
        await sync_to_async(end_the_right)(ctx)
        await signed_out_then_deaf(socket, owner, secret, their_post)

    run(go)


def test_other_people_and_the_asking_device_keep_their_sockets(secret, owner, employee):
    async def go():
        client, key = await sync_to_async(signed_in_client)(employee)
        here = await open_socket(employee, session_key=key)
        elsewhere = await open_socket(employee)
        owners = await open_socket(owner)
        response = await sync_to_async(client.post)("/people/me/sign-out-everywhere/")
        assert response.status_code == 302
        assert await elsewhere.receive_json_from(timeout=3) == {"type": "signed.out"}
        assert await elsewhere.receive_output(timeout=3) == CLOSED
        await hears(here, owner, secret)
        assert (await owners.receive_json_from(timeout=3))["type"] == "post.created"
        for socket in (here, owners):
            await socket.disconnect()

    run(go)


def test_an_expired_session_closes_the_socket_without_any_event(secret, owner, employee):
    def short_session():
        client = Client()
        client.force_login(employee)
        session = client.session
        session.set_expiry(2)
        session.save()
        return session.session_key

    async def go():
        key = await sync_to_async(short_session)()
        socket = await open_socket(employee, session_key=key)
        await hears(socket, owner, secret)
        # Nobody sends anything: the socket's own timer notices the expiry.
        assert await socket.receive_json_from(timeout=5) == {"type": "signed.out"}
        assert await socket.receive_output(timeout=3) == CLOSED

    run(go)


def test_an_event_after_the_expiry_is_not_delivered(secret, owner, employee, their_post):
    """The arrival check, with the timer out of the way: expiry compared without I/O."""

    class NoTimer(LiveConsumer):
        def _arm_expiry_timer(self):
            self.expiry_timer = None

    def short_session():
        client = Client()
        client.force_login(employee)
        session = client.session
        session.set_expiry(1)
        session.save()
        return session.session_key

    async def go():
        key = await sync_to_async(short_session)()
        socket = await open_socket(employee, NoTimer, session_key=key)
        await asyncio.sleep(1.2)
        await signed_out_then_deaf(socket, owner, secret, their_post)

    run(go)


def test_a_lost_revoke_message_is_caught_by_the_backstop(
    settings, secret, owner, employee, their_post
):
    """A queryset update sends no signal, as a Redis restart loses a message: the socket
    re-reads the database once SOCKET_REVALIDATE_SECONDS have passed since its last check."""
    settings.SOCKET_REVALIDATE_SECONDS = 0.5

    async def go():
        socket = await open_socket(employee)
        await hears(socket, owner, secret)
        await sync_to_async(User.objects.filter(pk=employee.pk).update)(is_active=False)
        await asyncio.sleep(0.6)
        await signed_out_then_deaf(socket, owner, secret, their_post)

    run(go)


def test_fan_out_asks_the_database_nothing_in_the_common_case(secret, owner, employee):
    class Counting(LiveConsumer):
        revalidations = 0

        async def _revalidate(self):
            type(self).revalidations += 1
            return await super()._revalidate()

    async def go():
        socket = await open_socket(employee, Counting)
        for n in range(10):
            await sync_to_async(feeds.create_post)(actor=owner, group=secret, body=f"n{n}")
            assert (await socket.receive_json_from(timeout=3))["type"] == "post.created"
        assert Counting.revalidations == 0
        await socket.disconnect()

    run(go)


def test_an_admin_who_loses_the_role_stops_hearing_a_secret_group(secret, owner, admin_user):
    """An admin reads every group, so their group page subscribes to a secret one; the role
    taken away (Django group and superuser flag), the socket stays open but leaves it."""
    public = groups.create_group(actor=owner, name="Lunch")

    def demote():
        user = User.objects.get(pk=admin_user.pk)
        user.groups.remove(Role.objects.get_or_create(name="admin")[0])
        user.is_superuser = user.is_staff = False
        user.save()

    async def go():
        socket = await open_socket(admin_user)
        await socket.send_json_to({"type": "subscribe", "group": secret.pk})
        subscribed = {"type": "subscribed", "group": secret.pk}
        assert await socket.receive_json_from(timeout=3) == subscribed
        await socket.send_json_to({"type": "subscribe", "group": public.pk})
        assert (await socket.receive_json_from(timeout=3))["type"] == "subscribed"
        await hears(socket, owner, secret)
        await sync_to_async(demote)()
        await sync_to_async(feeds.create_post)(actor=owner, group=secret, body="board only")
        # Still open, still hearing what an employee may read.
        await hears(socket, owner, public)
        assert await socket.receive_nothing(timeout=0.5)
        await socket.send_json_to({"type": "subscribe", "group": secret.pk})
        assert await socket.receive_json_from(timeout=3) == {
            "type": "error",
            "error": "No such group.",
        }
        await socket.disconnect()

    run(go)


def test_role_taken_from_the_groups_side_also_reaches_the_socket(secret, owner, admin_user):
    def demote():
        User.objects.filter(pk=admin_user.pk).update(is_superuser=False)  # no signal
        Role.objects.get_or_create(name="admin")[0].user_set.clear()

    async def go():
        socket = await open_socket(admin_user)
        await socket.send_json_to({"type": "subscribe", "group": secret.pk})
        assert (await socket.receive_json_from(timeout=3))["type"] == "subscribed"
        await sync_to_async(demote)()
        await sync_to_async(feeds.create_post)(actor=owner, group=secret, body="board only")
        assert await socket.receive_nothing(timeout=0.7)
        await socket.disconnect()

    run(go)


def test_expired_sessions_swept_by_clearsessions_send_nothing(employee):
    """clearsessions deletes expired rows: their sockets closed at expiry already, so the
    sweep sends the person's live sockets nothing to re-check."""
    from django.core.management import call_command

    class Counting(LiveConsumer):
        revalidations = 0

        async def _revalidate(self):
            type(self).revalidations += 1
            return await super()._revalidate()

    async def go():
        socket = await open_socket(employee, Counting)
        stale = await sync_to_async(sign_in)(employee)
        await sync_to_async(Session.objects.filter(session_key=stale).update)(
            expire_date=timezone.now()
        )
        await sync_to_async(call_command)("clearsessions")
        assert not await sync_to_async(Session.objects.filter(session_key=stale).exists)()
        assert await socket.receive_nothing(timeout=0.5)
        assert Counting.revalidations == 0
        await socket.disconnect()

    run(go)


def test_a_socket_without_a_session_is_refused(employee):
    from .sockets import communicator_for

    async def go():
        socket = communicator_for(employee, None)
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_output(timeout=2) == CLOSED

    run(go)


def test_a_socket_signed_in_through_sso_closes_on_deactivation(
    settings, secret, owner, employee, their_post
):
    oidc = "people.oidc.EmployeeOIDCBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc]

    def sso_session():
        client = Client()
        client.force_login(employee, backend=oidc)
        return client.session.session_key

    async def go():
        key = await sync_to_async(sso_session)()
        socket = await open_socket(employee, session_key=key)
        await hears(socket, owner, secret)
        await sync_to_async(save_is_active_false)({"user": employee})
        await signed_out_then_deaf(socket, owner, secret, their_post)

    run(go)


def test_a_revalidation_costs_two_queries(employee, django_assert_num_queries):
    """The session row and the user, by primary key: what each socket pays on
    access.changed and at most every SOCKET_REVALIDATE_SECONDS (plus its group recompute)."""
    from people.selectors import check_access

    key = sign_in(employee)
    with django_assert_num_queries(2):
        access = check_access(employee.pk, key)
    assert access is not None and access.user.pk == employee.pk
    assert access.expires > timezone.now()
    with django_assert_num_queries(1):  # someone else's session: no need to read a user
        assert check_access(employee.pk + 1000, key) is None


def test_a_leader_demoted_has_their_sockets_re_checked(secret, owner, employee):
    """Group leaders read more (a department's queue, the audit log): naming or demoting one
    makes their sockets re-check, and a member's socket stays open and hears the group."""

    class Counting(LiveConsumer):
        revalidations = 0

        async def _revalidate(self):
            type(self).revalidations += 1
            return await super()._revalidate()

    async def go():
        socket = await open_socket(employee, Counting)
        for role in ("leader", "member"):
            await sync_to_async(groups.change_role)(
                actor=owner, group=secret, user=employee, role=role
            )
        await hears(socket, owner, secret)
        assert Counting.revalidations == 2
        await socket.disconnect()

    run(go)
