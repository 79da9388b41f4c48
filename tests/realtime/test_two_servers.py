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

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): two ASGI processes "
        "cannot share the embedded in-memory channel layer",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        "DJANGO_SETTINGS_MODULE": "socialhub.settings",
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
            port = _free_port()
            log_path = tmp_path / f"daphne-{name}.log"
            log = open(log_path, "w")  # noqa: SIM115 - closed with the process
            proc = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "socialhub.asgi:application"],
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
