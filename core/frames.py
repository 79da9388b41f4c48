"""Client frames of the live socket that feature apps handle.

The consumer (feeds/consumers.py) handles its own frames (ping, subscribe); any other type is
looked up here. A feature app registers an async handler in its AppConfig.ready, the way
digest sections register with notifications: `register_frame("typing", relay_typing)`. A
handler gets the consumer (its `user`, `send_json`, `error`, `channel_layer`) and the frame
already parsed as a dict; it answers bad input with an error frame, never an exception.
The consumer has already rate-limited the socket and checked that its session still signs
its user in.
"""

from collections.abc import Awaitable, Callable

FrameHandler = Callable[[object, dict], Awaitable[None]]

_handlers: dict[str, FrameHandler] = {}


def register_frame(kind: str, handler: FrameHandler) -> None:
    _handlers[kind] = handler


def handler_for(kind: str) -> FrameHandler | None:
    return _handlers.get(kind)
