"""The one door to real time: publish an event to a channel-layer audience after commit.

A service writes its rows, then calls publish(); the event leaves only when the transaction
commits, so a rolled-back write sends nothing. Audiences are channel-layer groups a socket
joins only through the visibility selectors: `user.<id>`, `group.<id>`, `company`.
The wire is best effort; clients catch up over HTTP after any gap.
"""

import asyncio
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from . import metrics, request_context

log = logging.getLogger(__name__)

COMPANY = "company"


def user_audience(user_id: int) -> str:
    return f"user.{user_id}"


def group_audience(group_id: int) -> str:
    return f"group.{group_id}"


def publish(*, audience: str, event_type: str, payload: dict | Callable[[], dict | None]) -> None:
    """Send {"type": event_type, **payload} to every socket in `audience`, after commit.

    The payload must hold only what every member of the audience may see. A callable
    payload is built once, after commit (so it reads committed rows, and a rolled-back write
    renders nothing); returning None sends nothing.
    """

    def send() -> None:
        try:
            body = payload() if callable(payload) else payload
        except Exception:
            log.exception("could not build %s for %s", event_type, audience)
            return
        if body is not None:
            _send(audience, {"type": "event.forward", "event": {"type": event_type, **body}})

    transaction.on_commit(send)


def publish_to_users(
    *, user_ids, event_type: str, payload: dict | Callable[[], dict | None]
) -> None:
    """publish() to several people's `user.<id>` audiences, building the payload once after
    commit. `user_ids` is decided by the caller, before commit, from committed rows: the
    people who may read the payload (the participants of a conversation, say)."""
    user_ids = list(user_ids)

    def send() -> None:
        try:
            body = payload() if callable(payload) else payload
        except Exception:
            log.exception("could not build %s", event_type)
            return
        if body is None:
            return
        message = {"type": "event.forward", "event": {"type": event_type, **body}}
        for user_id in user_ids:
            _send(user_audience(user_id), message)

    if user_ids:
        transaction.on_commit(send)


def membership_changed(user_id: int) -> None:
    """Tell `user_id`'s open sockets, after commit, to recompute the groups they listen to.

    Not forwarded to the browser as is: the consumer re-reads memberships and leaves the
    groups its user may no longer read (SECURITY.md, leak class 1)."""
    transaction.on_commit(lambda: _send(user_audience(user_id), {"type": "membership.changed"}))


def access_changed(user_id: int) -> None:
    """Tell `user_id`'s open sockets, in every process, after commit, that their right to read
    may have ended: each re-reads the user and its own session and closes (4401, after a
    `signed.out` frame) when the account is inactive or gone, the session deleted or expired,
    or the password changed since it signed in; else it recomputes the groups it listens to
    (a role lost). Sent by people.receivers for every way a right ends
    (SECURITY.md, leak classes 1 and 7). The wire is best effort: the consumer also
    re-checks on its own every SOCKET_REVALIDATE_SECONDS while events arrive."""
    transaction.on_commit(lambda: _send(user_audience(user_id), {"type": "access.changed"}))


def _send(audience: str, message: dict) -> None:
    kind = message["event"]["type"] if "event" in message else message["type"]
    layer = get_channel_layer()
    if layer is None:
        return
    if _in_event_loop():
        # Sync code run inside an event loop (scripts, browser tests): it cannot block on
        # the layer here. The change is in the database; readers catch up over HTTP.
        log.warning("%s to %s not published from inside an event loop", message["type"], audience)
        metrics.EVENTS_PUBLISHED.labels(kind, "skipped").inc()
        return
    if request_context.current() != "-":
        # The socket process logs what it does with the event under the same id.
        message = {**message, "request_id": request_context.current()}
    try:
        async_to_sync(layer.group_send)(audience, message)
    except Exception:
        # The database already holds the change; a lost event is caught up over HTTP.
        log.exception("could not publish %s to %s", message.get("type"), audience)
        metrics.EVENTS_PUBLISHED.labels(kind, "failed").inc()
    else:
        metrics.EVENTS_PUBLISHED.labels(kind, "sent").inc()


def audience_changed(group_id: int) -> None:
    """After commit, make every socket listening to a group re-check that its user may still
    read it (the group turned private or secret, say)."""
    transaction.on_commit(lambda: _send(group_audience(group_id), {"type": "membership.changed"}))


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def question_assigned(*, user_id: int, question_id: int, url: str) -> None:
    """For the routing app: tell the expert's open tabs, after commit, that a customer question
    is theirs now. Ids and a link only: the question's customer data stays behind its page's
    permission check."""
    publish(
        audience=user_audience(user_id),
        event_type="question.assigned",
        payload={"question": question_id, "url": url},
    )
