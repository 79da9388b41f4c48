"""Every read of conversations and messages, for one viewer.

Only participants read a conversation: every function here starts from the viewer's own
Participant rows. There is no admin path, and no search, digest or export reads messages.
A participant reads the messages inside their window (models.py): a person who left or was
removed keeps what was sent while they were in it and reads nothing after.
"""

import datetime as dt

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import (
    REACTION_EMOJI,
    Conversation,
    Message,
    MessageAttachment,
    MessageReaction,
    Participant,
)

INBOX_ORDER = ("-latest_at", "-id")
INBOX_TYPES = (dt.datetime, int)
THREAD_ORDER = ("-id",)
THREAD_TYPES = (int,)
CATCH_UP_LIMIT = 100


def _people():
    return Participant.objects.select_related("user__profile").order_by("joined_at", "id")


def visible_messages(seat: Participant) -> QuerySet[Message]:
    """The messages `seat`'s person may read in its conversation."""
    messages = Message.objects.filter(
        conversation_id=seat.conversation_id, id__gt=seat.first_visible_id
    )
    if seat.last_visible_id is not None:
        messages = messages.filter(id__lte=seat.last_visible_id)
    return messages


def _unread_for_outer_seat() -> Subquery:
    """How many messages of others the inbox row's person has not read (one subquery)."""
    unread = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"),
            id__gt=OuterRef("last_read_id"),
            id__lte=OuterRef("latest_message_id"),
            deleted_at__isnull=True,
        )
        .exclude(author_id=OuterRef("user_id"))
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


def inbox(user) -> QuerySet[Participant]:
    """`user`'s conversations, newest activity first, each with `unread` and the other
    people loaded (`conversation.seats`); one query for the page plus one for the people
    and one for the last messages (load_last_messages)."""
    if not user.is_authenticated:
        return Participant.objects.none()
    return (
        Participant.objects.filter(user=user)
        .select_related("conversation")
        .annotate(unread=_unread_for_outer_seat())
        .prefetch_related(
            Prefetch("conversation__participants", queryset=_people(), to_attr="seats")
        )
    )


def load_last_messages(seats: list[Participant]) -> list[Participant]:
    """Attach `last_message` (what each row's person may read) to a page of inbox rows."""
    ids = [s.latest_message_id for s in seats if s.latest_message_id]
    by_id = Message.objects.select_related("author__profile").in_bulk(ids) if ids else {}
    for seat in seats:
        seat.last_message = by_id.get(seat.latest_message_id)
        describe(seat)
    return seats


def describe(seat: Participant) -> Participant:
    """Attach what a page shows of a conversation to `seat` (its seats already loaded):
    `others` (the other people in it now) and `display_title` (the group's title, else the
    other people's names). No query."""
    seats = getattr(seat.conversation, "seats", [])
    seat.others = [s for s in seats if s.user_id != seat.user_id and s.left_at is None]
    title = seat.conversation.title
    if not title:
        names = [s.user.profile.display_name for s in seat.others] or ["Only you"]
        title = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    seat.display_title = title
    return seat


def unread_conversation_count(user) -> int:
    """How many of `user`'s conversations hold a message they have not read: the badge."""
    if not user.is_authenticated:
        return 0
    return Participant.objects.filter(user=user, latest_message_id__gt=F("last_read_id")).count()


def get_seat(user, conversation_id) -> Participant:
    """`user`'s place in a conversation, with the conversation and everyone in it loaded;
    404 alike for a conversation that does not exist and one they are not part of."""
    try:
        conversation_id = int(conversation_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not user.is_authenticated:
        raise Http404
    seat = (
        Participant.objects.filter(user=user, conversation_id=conversation_id)
        .select_related("conversation", "user__profile")
        .annotate(unread=_unread_for_outer_seat())
        .prefetch_related(
            Prefetch("conversation__participants", queryset=_people(), to_attr="seats")
        )
        .first()
    )
    if seat is None:
        raise Http404("No such conversation.")
    return describe(seat)


def get_visible_message(user, message_id) -> tuple[Participant, Message]:
    """A message `user` may read, with their seat; 404 alike for missing and unreadable."""
    try:
        message_id = int(message_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message.")
    seat = get_seat(user, message.conversation_id)
    if not visible_messages(seat).filter(pk=message.pk).exists():
        raise Http404("No such message.")
    return seat, message


def thread(seat: Participant) -> QuerySet[Message]:
    """The messages of `seat`'s conversation its person may read, authors and attachments
    loaded (decorate() adds the reactions: one more query for a page)."""
    return visible_messages(seat).select_related("author__profile").prefetch_related("attachments")


def reaction_counts(message_ids: list[int]) -> dict[int, dict[str, int]]:
    """{message id: {kind: n}} for the kinds used, in one query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        MessageReaction.objects.filter(message_id__in=message_ids)
        .values("message_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["message_id"], {})[row["kind"]] = row["n"]
    return counts


def decorate(messages: list[Message], viewer) -> list[Message]:
    """Attach `reaction_buttons` to each message: (kind, emoji, label, count, mine) in the
    fixed order of MessageReaction.Kind. One query for the page, whatever its size."""
    ids = [m.pk for m in messages]
    by_message: dict[int, dict[str, int]] = {}
    mine: set[tuple[int, str]] = set()
    if ids:
        rows = (
            MessageReaction.objects.filter(message_id__in=ids)
            .values("message_id", "kind")
            .annotate(n=Count("id"), me=Count("id", filter=Q(user_id=getattr(viewer, "pk", 0))))
            .order_by()
        )
        for row in rows:
            by_message.setdefault(row["message_id"], {})[row["kind"]] = row["n"]
            if row["me"]:
                mine.add((row["message_id"], row["kind"]))
    for message in messages:
        counts = by_message.get(message.pk, {})
        message.reaction_buttons = [
            (kind, REACTION_EMOJI[kind], label, counts.get(kind, 0), (message.pk, kind) in mine)
            for kind, label in MessageReaction.Kind.choices
        ]
    return messages


def get_message_attachment(user, message_id, attachment_id) -> MessageAttachment:
    """A file of a message `user` may read (inside their window); 404 alike for missing
    and unreadable, and for a deleted message's files."""
    _seat, message = get_visible_message(user, message_id)
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    attachment = MessageAttachment.objects.filter(pk=attachment_id, message=message).first()
    if attachment is None or message.is_deleted:
        raise Http404("No such file.")
    return attachment


def messages_after(seat: Participant, after: int) -> list[Message]:
    """The catch-up after a gap: up to CATCH_UP_LIMIT readable messages newer than `after`,
    oldest first."""
    return list(thread(seat).filter(id__gt=after).order_by("id")[:CATCH_UP_LIMIT])


def current_seats(conversation_id: int) -> list[Participant]:
    """Who is in a conversation now (the audience of its live events)."""
    return list(
        Participant.objects.filter(
            conversation_id=conversation_id, left_at__isnull=True
        ).select_related("user__profile")
    )


def is_current_participant(user_id: int, conversation_id: int) -> bool:
    return Participant.objects.filter(
        user_id=user_id, conversation_id=conversation_id, left_at__isnull=True, user__is_active=True
    ).exists()


def seen_by(seat: Participant, message: Message) -> list[Participant]:
    """The other current people who have read up to `message` (its "Seen by")."""
    return [
        s
        for s in getattr(seat.conversation, "seats", [])
        if s.user_id not in (seat.user_id, message.author_id)
        and s.left_at is None
        and s.last_read_id >= message.pk
    ]


def direct_conversation_between(a_id: int, b_id: int) -> Conversation | None:
    low, high = sorted((a_id, b_id))
    return Conversation.objects.filter(pair_key=f"{low}:{high}").first()


def email_delay_of(user) -> int:
    from .models import DEFAULT_EMAIL_DELAY, MessagePreference

    pref = MessagePreference.objects.filter(user=user).first()
    return pref.email_delay if pref else int(DEFAULT_EMAIL_DELAY)


def seats_due_for_email(*, now, min_delay) -> QuerySet[Participant]:
    """Unread seats whose oldest unread message is older than `min_delay` and that no email
    has covered yet (the email task narrows by each person's own delay)."""
    return (
        Participant.objects.filter(
            unread_since__lte=now - min_delay,
            left_at__isnull=True,
            user__is_active=True,
            latest_message_id__gt=F("last_read_id"),
        )
        .filter(Q(latest_message_id__gt=F("emailed_through_id")))
        .select_related("conversation", "user__profile")
    )


def describe_for_email(seat: Participant) -> Participant:
    """describe() for one seat loaded without its people (the email task): one query."""
    seat.conversation.seats = list(_people().filter(conversation_id=seat.conversation_id))
    return describe(seat)
