"""What messaging holds of a person, for their copy and the deletion policy (core.exports).

Only what they wrote: their messages (with their files) and reactions, and the
conversations they were in (a title only if they gave it). Messages others sent them are
the senders' words and are never in the copy."""

from django.db.models import Max
from django.utils import timezone

from core import exports

from .models import Message, MessageAttachment, MessagePreference, MessageReaction, Participant

CHUNK = 500


def messages(user):
    for chunk in exports.in_chunks(Message.objects.filter(author=user), CHUNK):
        files = exports.grouped(
            MessageAttachment.objects.filter(message__in=chunk).order_by("id"), "message_id"
        )
        for message in chunk:
            yield {
                "id": message.pk,
                "conversation": message.conversation_id,
                "body": message.body,
                "sent_at": message.created_at,
                "edited_at": message.edited_at,
                "deleted_at": message.deleted_at,
                "_files": [(f"{message.pk}-{a.name}", a.file) for a in files.get(message.pk, [])],
            }


def reactions(user):
    rows = MessageReaction.objects.filter(user=user).order_by("id")
    for r in rows.values("message_id", "kind", "created_at").iterator(chunk_size=CHUNK):
        yield {"message": r["message_id"], "kind": r["kind"], "created_at": r["created_at"]}


def conversations(user):
    seats = Participant.objects.filter(user=user).select_related("conversation").order_by("id")
    for seat in seats.iterator(chunk_size=CHUNK):
        conversation = seat.conversation
        mine = conversation.created_by_id == user.pk
        yield {
            "conversation": conversation.pk,
            "kind": conversation.kind,
            "started_by_you": mine,
            "title": conversation.title if mine else None,
            "joined_at": seat.joined_at,
            "left_at": seat.left_at,
        }
    preference = MessagePreference.objects.filter(user=user).first()
    if preference is not None:
        yield {"email_about_unread_after_minutes": preference.email_delay}


def end_seats(user) -> None:
    """They leave every conversation: they read nothing more, and the others see them gone."""
    now = timezone.now()
    seats = list(Participant.objects.filter(user=user, left_at__isnull=True))
    last = dict(
        Message.objects.filter(conversation_id__in=[s.conversation_id for s in seats])
        .values("conversation_id")
        .annotate(m=Max("id"))
        .values_list("conversation_id", "m")
    )
    for seat in seats:
        seat.left_at, seat.last_visible_id = now, last.get(seat.conversation_id, 0)
        seat.unread_since = None
    Participant.objects.bulk_update(seats, ["left_at", "last_visible_id", "unread_since"])
    MessagePreference.objects.filter(user=user).delete()


def register() -> None:
    exports.register_exporter(
        "messages",
        messages,
        describe="the direct messages you sent, with their files (not those others sent)",
    )
    exports.register_exporter(
        "message-reactions", reactions, describe="your reactions to direct messages"
    )
    exports.register_exporter(
        "conversations", conversations, describe="the conversations you were in, and when"
    )
    exports.register_erasure(
        "messages",
        policy=exports.KEEP,
        describe="kept for the others in each conversation (it is their conversation too), "
        "shown as by “Deleted account”; reactions too",
    )
    exports.register_erasure(
        "conversations",
        policy=exports.DELETE,
        describe="their place in every conversation ends (they read nothing more); their "
        "message email setting goes",
        erase=end_seats,
    )
