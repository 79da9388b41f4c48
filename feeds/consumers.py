"""The live socket: one per tab at /ws/.

It joins only the audiences its user may read and forwards events published by
core.events:

- `user.<id>` and `company`, always;
- `group.<id>` for every group whose posts reach the user's home feed (their groups and
  All company), asked of groups.selectors;
- `group.<id>` for a group page the tab shows, on a {"type": "subscribe", "group": id}
  frame, if groups.selectors.can_read says so ({"type": "unsubscribe", ...} to leave).

A `membership.changed` message (core.events.membership_changed, sent by every service
that changes membership) makes it re-read both sets and leave what its user may no longer
read. Group events are also checked against the current set when they arrive, so an event
already queued for the socket before the change is dropped too.

The socket lives only as long as its user's right to read (SECURITY.md, leak class 7). An
`access.changed` message (core.events.access_changed: deactivation by any path, a
password change, signing out, a session deleted, a role lost) makes it re-read the user and
its own session as the HTTP middleware would; when they no longer sign anyone in (account
inactive or deleted, session gone or expired, password changed since) it sends a
`signed.out` frame and closes with 4401, else it recomputes its groups. Every event is also
checked on arrival, without I/O, against the session's expiry held since the last check,
and at most every SOCKET_REVALIDATE_SECONDS (while events arrive) against the database, so
a lost message cannot keep a socket alive. A timer re-checks at the session's expiry.

Frames from the client are small JSON commands (other apps add theirs through
core.frames.register_frame: messaging's "typing"); anything else gets an error frame, never a
crash. A token bucket per socket throttles a flooding client: an error frame when it runs
dry, then close code 4429 if the client keeps going.
"""

import asyncio
import json
import logging
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from core import events, frames, metrics, request_context
from people import selectors as people_selectors

from . import revalidation

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY = 4429
MAX_SUBSCRIPTIONS = 20
MAX_FRAME_BYTES = 4096
# Frame types counted by name in the metrics; anything else counts as "other".
CLIENT_FRAMES = frozenset({"ping", "subscribe", "unsubscribe"})


_check_access = database_sync_to_async(people_selectors.check_access)


@database_sync_to_async
def _feed_group_ids(user) -> set[int]:
    """The groups whose posts reach `user`'s home feed: theirs and All company."""
    from groups import selectors

    return {row["id"] for row in selectors.feed_group_ids(user)}


@database_sync_to_async
def _readable(user, group_ids) -> set[int]:
    """Which of `group_ids` `user` may read now (re-reading the user: they may be gone), in
    one query whatever their number."""
    from groups import selectors
    from people.selectors import get_account

    fresh = get_account(pk=user.pk)
    if fresh is None:
        return set()
    readable = selectors.readable_groups(fresh).filter(pk__in=group_ids)
    return set(readable.values_list("id", flat=True))


class LiveConsumer(AsyncJsonWebsocketConsumer):
    # Token bucket: RATE frames a second on average, bursts of BURST; STRIKES frames sent
    # into an empty bucket in a row close the socket.
    RATE = 5.0
    BURST = 20.0
    STRIKES = 20

    async def dispatch(self, message):
        """Every message is handled under a request id (core.request_context): the one of
        the request that published the event, else the socket's own, taken from its
        handshake's X-Request-ID or made up.

        Channels' own dispatch first sends close_old_connections to the process's one
        database thread and waits for it, for every message: a company-wide post made every
        socket of the process queue behind that thread in turn, and the sockets due for
        their re-check then asked the database in many small batches instead of one. Here
        the handler is called directly: daphne's CPU per socket and post 315 -> 178 us, and
        692 -> 347 us when every socket re-checks (1,000 sockets, one process). Every
        database read of a socket runs through database_sync_to_async, which closes a stale
        or broken connection in that thread before and after the read, so nothing is lost."""
        if not hasattr(self, "request_id"):
            headers = dict(self.scope.get("headers") or [])
            incoming = headers.get(b"x-request-id", b"").decode("latin-1")
            self.request_id = request_context.accept(incoming)
        token = request_context.bind(message.get("request_id") or self.request_id)
        try:
            handler = getattr(self, get_handler_name(message), None)
            if handler is None:
                raise ValueError(f"No handler for message type {message['type']}")
            await handler(message)
        finally:
            request_context.unbind(token)

    async def send_json(self, content, close=False):
        metrics.WEBSOCKET_MESSAGES.labels("out", content.get("type", "other")).inc()
        await super().send_json(content, close=close)

    async def connect(self):
        user = self.scope.get("user")
        access = None
        if user is not None and user.is_authenticated and user.is_active:
            session = self.scope.get("session")
            self.session_key = getattr(session, "session_key", None)
            access = await _check_access(user.pk, self.session_key)
        if access is None:
            # Accept first so the client sees our close code rather than a failed handshake.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            metrics.WEBSOCKET_CONNECTS.labels("refused").inc()
            return
        self.user = access.user
        self.signed_out = False
        self._hold(access)
        self.expiry_timer = None
        self.tokens, self.refilled, self.strikes = self.BURST, time.monotonic(), 0
        self.subscribed: set[int] = set()
        self.groups_joined: set[int] = set()
        self.audiences = [events.user_audience(user.pk), events.COMPANY]
        for audience in self.audiences:
            await self.channel_layer.group_add(audience, self.channel_name)
        await self._set_groups(await _feed_group_ids(self.user))
        await self.accept()
        self.counted_open = True
        metrics.WEBSOCKET_CONNECTS.labels("accepted").inc()
        metrics.WEBSOCKET_OPEN.inc()
        self._arm_expiry_timer()
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code):
        if getattr(self, "counted_open", False):
            self.counted_open = False
            metrics.WEBSOCKET_OPEN.dec()
        timer = getattr(self, "expiry_timer", None)
        if timer is not None:
            timer.cancel()
        audiences = list(getattr(self, "audiences", []))
        audiences += [events.group_audience(g) for g in getattr(self, "groups_joined", set())]
        for audience in audiences:
            try:
                await self.channel_layer.group_discard(audience, self.channel_name)
            except Exception:
                # Leave the others anyway: a membership left behind expires with the
                # layer's group_expiry, and sends to a closed channel go nowhere.
                log.warning("could not leave %s on disconnect", audience, exc_info=True)

    # --- The right to read --------------------------------------------------------------

    def _hold(self, access: people_selectors.Access) -> None:
        """Remember what a check found: the session's expiry, checked on every event
        without I/O, and when the database was last asked."""
        self.expires_at = access.expires.timestamp()
        self.checked_at = time.monotonic()

    def _arm_expiry_timer(self) -> None:
        """Re-check when the session expires, even if no event comes: the message goes
        through this socket's own queue, so it is handled in turn with the others."""
        if self.expiry_timer is not None:
            self.expiry_timer.cancel()
        delay = max(0.0, self.expires_at - time.time()) + 0.5
        self.expiry_timer = asyncio.get_running_loop().call_later(
            min(delay, 86400 * 30), self._start_nudge
        )

    def _start_nudge(self) -> None:
        self.nudge_task = asyncio.get_running_loop().create_task(self._nudge())

    async def _nudge(self) -> None:
        try:
            await self.channel_layer.send(self.channel_name, {"type": "access.changed"})
        except Exception:
            # The next event's arrival check sees the expiry anyway.
            log.warning("could not schedule the expiry check", exc_info=True)

    async def _sign_out(self) -> None:
        self.signed_out = True
        if self.expiry_timer is not None:
            self.expiry_timer.cancel()
        await self.send_json({"type": "signed.out"})
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def _revalidate(self) -> bool:
        """Ask the database whether the socket's session still signs its user in; close the
        socket if not, else follow what the user may read now. True when still open."""
        # Asked together with every other socket of this process due now (a company-wide
        # event reaches them all at once): one database call for all, same answers.
        verdict = await revalidation.check(self.user.pk, self.session_key)
        if verdict.access is None:
            await self._sign_out()
            return False
        self.user = verdict.access.user  # fresh: roles and flags as they are now
        self._hold(verdict.access)
        self._arm_expiry_timer()
        still = await _readable(self.user, self.subscribed) if self.subscribed else set()
        self.subscribed &= still
        await self._set_groups(verdict.feed_groups | still)
        return True

    async def _may_deliver(self) -> bool:
        """The check on arrival of every event: expiry without I/O; the database only when
        the last check is older than SOCKET_REVALIDATE_SECONDS."""
        if self.signed_out:
            return False
        if time.time() >= self.expires_at:
            await self._sign_out()
            return False
        if time.monotonic() - self.checked_at >= settings.SOCKET_REVALIDATE_SECONDS:
            return await self._revalidate()
        return True

    async def _set_groups(self, wanted: set[int]) -> None:
        for group_id in self.groups_joined - wanted:
            await self.channel_layer.group_discard(
                events.group_audience(group_id), self.channel_name
            )
        for group_id in wanted - self.groups_joined:
            await self.channel_layer.group_add(events.group_audience(group_id), self.channel_name)
        self.groups_joined = wanted

    # --- Frames from the client ---------------------------------------------------------

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.BURST, self.tokens + (now - self.refilled) * self.RATE)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.strikes = 0
            return True
        self.strikes += 1
        return False

    async def error(self, message: str) -> None:
        await self.send_json({"type": "error", "error": message})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self._take_token():
            if self.strikes >= self.STRIKES:
                await self.close(code=CLOSE_TOO_MANY)
            elif self.strikes == 1:
                await self.error("Too many frames: slow down.")
            return
        if text_data is None:
            await self.error("Send JSON text frames.")
            return
        if len(text_data) > MAX_FRAME_BYTES:
            await self.error(f"Frames are at most {MAX_FRAME_BYTES} bytes.")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.error("That frame is not valid JSON.")
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.error("A frame needs a 'type'.")
            return
        if self.signed_out:
            return
        if time.time() >= self.expires_at:  # no I/O: a ping every 25 s stays cheap
            await self._sign_out()
            return
        kind = content["type"]
        metrics.WEBSOCKET_MESSAGES.labels("in", kind if kind in CLIENT_FRAMES else "other").inc()
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in ("subscribe", "unsubscribe"):
            group_id = content.get("group")
            if not isinstance(group_id, int) or isinstance(group_id, bool) or group_id < 1:
                await self.error("'group' must be a group id.")
            elif kind == "subscribe":
                await self._subscribe(group_id)
            else:
                await self._unsubscribe(group_id)
        elif (handler := frames.handler_for(kind)) is not None:
            # Frames other apps handle (core.frames): typing in a conversation, say.
            if await self._may_deliver():
                await handler(self, content)
        else:
            await self.error(f"Unknown frame type {kind[:40]!r}.")

    async def _subscribe(self, group_id: int) -> None:
        if not await self._may_deliver():
            return
        if group_id not in self.subscribed and len(self.subscribed) >= MAX_SUBSCRIPTIONS:
            await self.error(f"Follow at most {MAX_SUBSCRIPTIONS} group pages per socket.")
            return
        if group_id not in await _readable(self.user, [group_id]):
            # Missing and unreadable look alike.
            await self.error("No such group.")
            return
        self.subscribed.add(group_id)
        await self._set_groups(self.groups_joined | {group_id})
        await self.send_json({"type": "subscribed", "group": group_id})

    async def _unsubscribe(self, group_id: int) -> None:
        if group_id in self.subscribed:
            self.subscribed.discard(group_id)
            await self._set_groups(await self._allowed_groups())
        await self.send_json({"type": "unsubscribed", "group": group_id})

    async def _allowed_groups(self) -> set[int]:
        feed = await _feed_group_ids(self.user)
        still = await _readable(self.user, self.subscribed) if self.subscribed else set()
        self.subscribed &= still
        return feed | still

    # --- Messages from the channel layer ------------------------------------------------

    async def membership_changed(self, message):
        if not await self._may_deliver():
            return
        await self._set_groups(await self._allowed_groups())
        await self.send_json({"type": "membership.changed"})

    async def access_changed(self, message):
        if not self.signed_out:
            await self._revalidate()

    async def event_forward(self, message):
        if not await self._may_deliver():
            return
        event = message["event"]
        group_id = event.get("group")
        if group_id is not None and group_id not in self.groups_joined:
            return  # queued before this socket left the group
        await self.send_json(event)
