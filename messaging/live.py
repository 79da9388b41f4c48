"""What goes over the live socket for conversations.

Events go to each current participant's `user.<id>` audience (services.py), so someone who
left or was removed hears nothing more. A message event carries the message rendered once
for every reader (the same for all of them: the author's own controls are shown by the page
script, which knows who it is). A deletion carries ids only.
"""

import time

from channels.db import database_sync_to_async
from django.template.loader import render_to_string

from core import events

from . import selectors
from .models import Message

TYPING_EVERY_SECONDS = 3.0


def message_event(message_id: int) -> dict | None:
    message = (
        Message.objects.select_related("author__profile")
        .prefetch_related("attachments")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return None
    selectors.decorate([message], None)
    return {
        "conversation": message.conversation_id,
        "message": message.pk,
        "author": message.author_id,
        "html": render_to_string("messaging/_message.html", {"message": message}),
        "body_html": render_to_string("messaging/_message_body.html", {"message": message}),
    }


@database_sync_to_async
def _typing_audience(user, conversation_id: int) -> tuple[str, list[int]] | None:
    if not selectors.is_current_participant(user.pk, conversation_id):
        return None
    seats = selectors.current_seats(conversation_id)
    me = next((s for s in seats if s.user_id == user.pk), None)
    name = getattr(getattr(me.user, "profile", None), "display_name", "") if me else ""
    return name or user.username, [s.user_id for s in seats if s.user_id != user.pk]


async def relay_typing(consumer, content: dict) -> None:
    """{"type": "typing", "conversation": id}: tell the other participants, at most once
    every TYPING_EVERY_SECONDS per conversation per socket (extra frames are dropped
    quietly: a keyboard repeats). Not a participant and no such conversation look alike."""
    conversation_id = content.get("conversation")
    if (
        not isinstance(conversation_id, int)
        or isinstance(conversation_id, bool)
        or conversation_id < 1
    ):
        await consumer.error("'conversation' must be a conversation id.")
        return
    last = getattr(consumer, "typing_sent", None)
    if last is None:
        last = consumer.typing_sent = {}
    now = time.monotonic()
    if now - last.get(conversation_id, -1e9) < TYPING_EVERY_SECONDS:
        return
    audience = await _typing_audience(consumer.user, conversation_id)
    if audience is None:
        await consumer.error("No such conversation.")
        return
    last[conversation_id] = now
    if len(last) > 50:
        last.clear()
    name, others = audience
    message = {
        "type": "event.forward",
        "event": {
            "type": "typing",
            "conversation": conversation_id,
            "user": consumer.user.pk,
            "name": name,
        },
    }
    for user_id in others:
        await consumer.channel_layer.group_send(events.user_audience(user_id), message)
