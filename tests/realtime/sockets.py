"""Open the live socket as a browser does: a real session signed in through Django's auth,
the user and the session in the scope as channels' AuthMiddlewareStack puts them."""

from importlib import import_module

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from feeds.consumers import LiveConsumer


def sign_in(user) -> str:
    """A fresh session for `user` (as the sign-in page makes one); its key."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def communicator_for(user, session_key: str | None, consumer=LiveConsumer):
    socket = WebsocketCommunicator(consumer.as_asgi(), "/ws/")
    socket.scope["user"] = user
    if session_key is not None:
        socket.scope["session"] = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return socket


async def open_socket(user, consumer=LiveConsumer, session_key: str | None = None):
    """A connected socket that has read its hello; signs `user` in unless given a session."""
    if session_key is None:
        session_key = await sync_to_async(sign_in)(user)
    socket = communicator_for(user, session_key, consumer)
    # As long as the hello may take: the first socket of a process on a busy machine (CI,
    # load 4) also compiles the session's queries, past the communicator's default 1 s.
    connected, _ = await socket.connect(timeout=3)
    assert connected
    assert (await socket.receive_json_from(timeout=3))["type"] == "hello"
    return socket


def signed_in_client(user) -> tuple[Client, str]:
    """A browser signed in as `user`: its client and its session key."""
    client = Client()
    client.force_login(user)
    return client, client.session.session_key
