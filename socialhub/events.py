"""The one door to real time: publish an event to a channel-layer audience after commit.

A service writes its rows, then calls publish(); the event leaves only when the transaction
commits, so a rolled-back write sends nothing. Audiences are channel-layer groups a socket
joins only through the visibility selectors: `user.<id>`, `group.<id>`, `company`.
The wire is best effort; clients catch up over HTTP after any gap.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

COMPANY = "company"


def user_audience(user_id: int) -> str:
    return f"user.{user_id}"


def group_audience(group_id: int) -> str:
    return f"group.{group_id}"


def publish(*, audience: str, event_type: str, payload: dict) -> None:
    """Send {"type": event_type, **payload} to every socket in `audience`, after commit.

    The payload must hold only what every member of the audience may see.
    """
    message = {"type": "event.forward", "event": {"type": event_type, **payload}}

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(audience, message)
        except Exception:
            # The database already holds the change; a lost event is caught up over HTTP.
            log.exception("could not publish %s to %s", event_type, audience)

    transaction.on_commit(send)
