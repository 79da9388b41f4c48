"""Scale-out for real: two daphne processes share nothing but PostgreSQL and Redis. A post
made through process A's HTTP reaches a socket connected to process B after it sat idle, and
B's socket for an outsider hears nothing of it. Once per channel layer (core and pubsub).

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set): the embedded run has
an in-memory layer that no second process can share.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.crypto import get_random_string

from groups import services as groups
from groups.models import Group

from ..processes import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): two ASGI processes "
        "cannot share the embedded in-memory channel layer",
    ),
]


def _wait_for_port(port: int, proc, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"daphne exited: {log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"daphne did not listen on {port}: {log.read_text()[-3000:]}")


@pytest.fixture
def servers(tmp_path, request):
    """Start daphne A and B on the layer the test asks for; yield their ports."""
    layer = request.param
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CHANNEL_LAYER": layer,
        # This run's own channel names on the shared Redis.
        "CHANNEL_LAYER_PREFIX": f"rt-two-{os.getpid()}-{layer}",
        "SECRET_KEY": settings.SECRET_KEY,
        "HTTPS": "false",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    procs, ports = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log_path = tmp_path / f"daphne-{name}.log"
            log = open(log_path, "w")  # noqa: SIM115 - closed with the process
            proc = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "config.asgi:application"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            procs.append((proc, log))
            _wait_for_port(port, proc, log_path)
            ports.append(port)
        yield ports
    finally:
        for proc, log in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
            log.close()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _post_through(port: int, session: str, group: Group, body: str) -> int:
    """The compose form, as a browser sends it: session cookie, CSRF cookie and header (a
    fresh secret is a valid token; no page is rendered, so no collected static files are
    needed)."""
    token = get_random_string(32)
    base = f"http://127.0.0.1:{port}"
    data = urllib.parse.urlencode({"group": group.slug, "body": body, "kind": "update"}).encode()
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        base + "/posts/new/",
        data=data,
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
            f"{settings.CSRF_COOKIE_NAME}={token}",
            "X-CSRFToken": token,
            "Referer": base + "/",
            "HX-Request": "true",
        },
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status


@pytest.mark.parametrize("servers", ["core", "pubsub"], indirect=True)
def test_a_post_through_process_a_reaches_a_socket_on_process_b(servers, employee, colleague):
    import websockets

    port_a, port_b = servers
    group = groups.create_group(actor=employee, name="Ops", privacy=Group.Privacy.PRIVATE)
    member_session = _session_cookie(employee)
    outsider_session = _session_cookie(colleague)

    async def open_b(session):
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port_b}/ws/",
            additional_headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "Origin": f"http://127.0.0.1:{port_b}",
            },
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"
        return ws

    async def go():
        member = await open_b(member_session)
        outsider = await open_b(outsider_session)
        # Idle longer than redis-py 8's default 5 s read timeout: the layer must not have
        # dropped the sockets meanwhile (settings: socket_timeout None).
        await asyncio.sleep(7)
        status = await asyncio.to_thread(
            _post_through, port_a, member_session, group, "Rollout **tonight**"
        )
        assert status == 200
        event = json.loads(await asyncio.wait_for(member.recv(), 10))
        assert event["type"] == "post.created" and event["group"] == group.pk
        assert "Rollout <strong>tonight</strong>" in event["html"]
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(outsider.recv(), 1)
        await member.close()
        await outsider.close()

    asyncio.run(go())


@pytest.mark.parametrize("servers", ["core"], indirect=True)
def test_process_b_refuses_a_socket_without_a_session(servers):
    import websockets

    _, port_b = servers

    async def go():
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port_b}/ws/",
            additional_headers={"Origin": f"http://127.0.0.1:{port_b}"},
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 4401

    asyncio.run(go())


def _api(port: int, token: str, method: str, path: str, body: dict | None = None) -> dict:
    """A call to a process's HTTP API as an integration makes it (token, JSON)."""
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        f"http://127.0.0.1:{port}/api/v1/{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")


def _admin():
    from django.contrib.auth.models import Group as Role

    from ..factories import make_person

    user = make_person("alex.admin", display_name="Alex Admin").user
    user.is_staff = user.is_superuser = True
    user.save()
    user.groups.add(Role.objects.get_or_create(name="admin")[0])
    return user


@pytest.mark.parametrize(
    ("servers", "how"),
    [("core", "offboarding"), ("pubsub", "offboarding"), ("pubsub", "sign-out-everywhere")],
    indirect=["servers"],
)
def test_a_right_ended_through_process_a_closes_the_socket_on_process_b(
    servers, how, employee, colleague
):
    """SECURITY.md leak class 7 across processes: the leaver's socket is on B, the admin
    offboards them (or they sign out everywhere) through A's API, the owner then posts,
    edits, comments and reacts through A. B's socket gets `signed.out` and 4401, no content."""
    import websockets
    from rest_framework.authtoken.models import Token

    from feeds import services as feeds

    port_a, port_b = servers
    owner, admin = colleague, _admin()
    group = groups.create_group(actor=owner, name="Merger", privacy=Group.Privacy.SECRET)
    groups.invite_member(actor=owner, group=group, user=employee)
    theirs = feeds.create_post(actor=employee, group=group, body="My notes")
    leaver_session = _session_cookie(employee)
    owner_token = Token.objects.create(user=owner).key
    admin_token = Token.objects.create(user=admin).key
    leaver_token = Token.objects.create(user=employee).key

    def owner_makes_noise() -> None:
        post = _api(port_a, owner_token, "POST", "posts/", {"group": group.slug, "body": "Acme"})
        _api(port_a, owner_token, "PATCH", f"posts/{post['id']}/", {"body": "Acme at 4.2bn"})
        _api(port_a, owner_token, "POST", f"posts/{post['id']}/comments/", {"body": "Friday"})
        _api(port_a, owner_token, "POST", f"posts/{post['id']}/reactions/", {"kind": "like"})
        _api(port_a, owner_token, "POST", f"posts/{theirs.pk}/comments/", {"body": "For you"})

    def end_the_right() -> None:
        if how == "offboarding":
            body = {"username": employee.username, "handover_to": owner.username}
            _api(port_a, admin_token, "POST", "policies/offboarding/", body)
        else:
            _api(port_a, leaver_token, "POST", "people/me/sign-out-everywhere/")

    async def go():
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port_b}/ws/",
            additional_headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={leaver_session}",
                "Origin": f"http://127.0.0.1:{port_b}",
            },
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"
        await asyncio.to_thread(
            _api, port_a, owner_token, "POST", "posts/", {"group": group.slug, "body": "before"}
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "post.created"
        await asyncio.to_thread(end_the_right)
        await asyncio.to_thread(owner_makes_noise)
        frames = []
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        assert frames == [{"type": "signed.out"}]
        assert closed.value.rcvd.code == 4401

    asyncio.run(go())
