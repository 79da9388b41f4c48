"""Every write to conversations: plain functions `verb_noun(*, actor, ...)`, one transaction
each, live events after commit (core.events) to the people in the conversation at that
moment, so someone who left or was removed hears nothing more.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from core import events
from core.after_commit import call_on_commit
from core.errors import ApplicationError
from core.files import check_uploads

from . import selectors
from .models import (
    MAX_BODY,
    MAX_PARTICIPANTS,
    Conversation,
    EmailDelay,
    Message,
    MessageAttachment,
    MessagePreference,
    MessageReaction,
    Participant,
)

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

User = get_user_model()


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.username


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ApplicationError("Write a message.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError(f"Keep a message under {MAX_BODY} characters.", field="body")
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if len(title) > 120:
        raise ApplicationError("Keep the title under 120 characters.", field="title")
    return title


def _messageable(actor, people: Iterable, *, field: str = "participants") -> list:
    """The distinct people to add, refusing a deactivated account by name."""
    found, seen = [], {actor.pk}
    for person in people:
        if person is None:
            raise ApplicationError("Choose people who work here.", field=field)
        if not person.is_active:
            raise ApplicationError(
                f"{_name(person)}'s account is deactivated: they cannot be messaged.", field=field
            )
        if person.pk not in seen:
            seen.add(person.pk)
            found.append(person)
    return found


def _require_current(seat: Participant) -> None:
    if seat.left_at is not None:
        raise ApplicationError(
            "You are no longer in this conversation.", field="conversation", status=403
        )


@transaction.atomic
def start_conversation(*, actor, people: list, title: str = "") -> Conversation:
    """A conversation of `actor` with `people` (User rows, or None for a name that matched
    nobody). One other person: their one-to-one conversation, reused if it exists (and the
    actor's seat reopened if they had left it). More: a new group conversation."""
    others = _messageable(actor, people)
    if not others:
        raise ApplicationError("Choose at least one person to message.", field="participants")
    if len(others) + 1 > MAX_PARTICIPANTS:
        raise ApplicationError(
            f"A conversation has at most {MAX_PARTICIPANTS} people.", field="participants"
        )
    title = _clean_title(title)
    if len(others) == 1 and not title:
        return _direct_with(actor, others[0])
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.GROUP, title=title, created_by=actor
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=u) for u in [actor, *others]]
    )
    return conversation


def _direct_with(actor, other) -> Conversation:
    existing = selectors.direct_conversation_between(actor.pk, other.pk)
    if existing is None:
        low, high = sorted((actor.pk, other.pk))
        try:
            with transaction.atomic():
                existing = Conversation.objects.create(
                    kind=Conversation.Kind.DIRECT, pair_key=f"{low}:{high}", created_by=actor
                )
                Participant.objects.bulk_create(
                    [Participant(conversation=existing, user=u) for u in (actor, other)]
                )
        except IntegrityError:  # the other person started it at the same moment
            existing = selectors.direct_conversation_between(actor.pk, other.pk)
    # One-to-one conversations cannot be left for good: writing again reopens them.
    Participant.objects.filter(conversation=existing, left_at__isnull=False).update(
        left_at=None, last_visible_id=None, removed_by=None
    )
    return existing


def _last_id(conversation_id: int) -> int:
    return Message.objects.filter(conversation_id=conversation_id).aggregate(m=Max("id"))["m"] or 0


@transaction.atomic
def send_message(*, actor, seat: Participant, body: str, attachments=()) -> Message:
    """Post `body` (and files, checked by core.files) in `seat`'s conversation; every
    current participant hears it live. A message may be files alone."""
    _require_current(seat)
    attachments = list(attachments or ())
    checked = check_uploads(attachments, max_count=MAX_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
    body = _clean_body(body) if (body or "").strip() or not attachments else ""
    conversation = seat.conversation
    seats = selectors.current_seats(conversation.pk)
    if conversation.kind == Conversation.Kind.DIRECT:
        other = next((s.user for s in seats if s.user_id != actor.pk), None)
        if other is not None and not other.is_active:
            raise ApplicationError(
                f"{_name(other)}'s account is deactivated: they cannot be messaged.",
                field="conversation",
            )
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, author=actor, body=body, created_at=now
    )
    for upload, width, height in checked:
        MessageAttachment.objects.create(
            message=message,
            file=upload,
            name=(upload.name or "file")[:200],
            content_type=upload.content_type,
            size=upload.size,
            image_width=width,
            image_height=height,
        )
    current = Participant.objects.filter(conversation=conversation, left_at__isnull=True)
    current.update(latest_message_id=message.pk, latest_at=now)
    current.exclude(user=actor).filter(unread_since__isnull=True).update(unread_since=now)
    current.filter(user=actor).update(last_read_id=message.pk, unread_since=None)
    _announce(message, seats, "message.created")
    return message


def _announce(message: Message, seats: list[Participant], event_type: str) -> None:
    from .live import message_event

    events.publish_to_users(
        user_ids=[s.user_id for s in seats],
        event_type=event_type,
        payload=lambda: message_event(message.pk),
    )


def _own_message(actor, message: Message, seat: Participant) -> None:
    _require_current(seat)
    if message.author_id != actor.pk:
        raise ApplicationError("Only its author may change a message.", status=403)
    if message.is_deleted:
        raise ApplicationError("This message was deleted.", field="message", status=409)


@transaction.atomic
def edit_message(*, actor, seat: Participant, message: Message, body: str) -> Message:
    _own_message(actor, message, seat)
    message.body = _clean_body(body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    _announce(message, selectors.current_seats(message.conversation_id), "message.edited")
    return message


@transaction.atomic
def delete_message(*, actor, seat: Participant, message: Message) -> None:
    """The text goes; the row stays as "Message deleted". The live event carries ids only."""
    _own_message(actor, message, seat)
    message.body = ""
    message.deleted_at = timezone.now()
    message.save(update_fields=["body", "deleted_at"])
    _forget_files(message)
    MessageReaction.objects.filter(message=message).delete()
    events.publish_to_users(
        user_ids=[s.user_id for s in selectors.current_seats(message.conversation_id)],
        event_type="message.deleted",
        payload={"conversation": message.conversation_id, "message": message.pk},
    )


def _forget_files(message: Message) -> None:
    """A deleted message's files go: the rows now, the files on disk after commit."""
    for attachment in list(MessageAttachment.objects.filter(message=message)):
        storage, name = attachment.file.storage, attachment.file.name
        call_on_commit(lambda s=storage, n=name: s.delete(n), what=f"delete {name}")
        attachment.delete()


@transaction.atomic
def react_to_message(
    *, actor, seat: Participant, message: Message, kind: str, on: bool | None = None
) -> bool:
    """Put `actor`'s reaction of `kind` on a message they may read (`on=True`), take it back
    (`False`), or toggle it (None); True if it is on afterwards. The current participants
    see the counts change live (ids and counts only)."""
    _require_current(seat)
    if kind not in MessageReaction.Kind.values:
        raise ApplicationError("Choose one of the offered reactions.", field="kind")
    if message.is_deleted:
        raise ApplicationError("This message was deleted.", field="message", status=409)
    mine = MessageReaction.objects.filter(message=message, user=actor, kind=kind)
    had = mine.exists()
    if on is None:
        on = not had
    if had == on:
        return on
    if not on:
        mine.delete()
    else:
        try:
            with transaction.atomic():
                MessageReaction.objects.create(message=message, user=actor, kind=kind)
        except IntegrityError:  # the same click twice at once
            pass
    counts = selectors.reaction_counts([message.pk]).get(message.pk, {})
    events.publish_to_users(
        user_ids=[s.user_id for s in selectors.current_seats(message.conversation_id)],
        event_type="message.reactions",
        payload={
            "conversation": message.conversation_id,
            "message": message.pk,
            "user": actor.pk,
            "kind": kind,
            "on": on,
            "counts": counts,
        },
    )
    return on


@transaction.atomic
def mark_read(*, actor, seat: Participant, through: int | None = None) -> int:
    """Mark `seat`'s conversation read up to message `through` (default: the newest it may
    read). Never moves backwards. The others see "Seen by" move."""
    newest = seat.latest_message_id
    target = newest if through is None else min(int(through), newest)
    if target <= seat.last_read_id:
        return seat.last_read_id
    changed = Participant.objects.filter(pk=seat.pk, last_read_id__lt=target).update(
        last_read_id=target,
        unread_since=None if target >= newest else F("unread_since"),
    )
    seat.last_read_id = target
    if changed:
        events.publish_to_users(
            user_ids=[s.user_id for s in selectors.current_seats(seat.conversation_id)],
            event_type="conversation.read",
            payload={
                "conversation": seat.conversation_id,
                "user": actor.pk,
                "name": _name(actor),
                "last_read": target,
            },
        )
        if actor.pk == seat.user_id:
            events.publish(
                audience=events.user_audience(actor.pk),
                event_type="messages.badge",
                payload={},
            )
    return target


def _require_group(seat: Participant) -> None:
    if seat.conversation.kind != Conversation.Kind.GROUP:
        raise ApplicationError(
            "A one-to-one conversation has exactly two people: start a group instead.",
            field="conversation",
        )


@transaction.atomic
def add_participants(*, actor, seat: Participant, people: list) -> list[Participant]:
    """Any current participant may add people to a group conversation; they read what is
    sent from now on (not the history before they joined)."""
    _require_current(seat)
    _require_group(seat)
    newcomers = _messageable(actor, people)
    conversation = seat.conversation
    existing = {
        p.user_id: p
        for p in Participant.objects.select_for_update().filter(conversation=conversation)
    }
    newcomers = [u for u in newcomers if u.pk not in existing or existing[u.pk].left_at]
    current = sum(1 for p in existing.values() if p.left_at is None)
    if current + len(newcomers) > MAX_PARTICIPANTS:
        raise ApplicationError(
            f"A conversation has at most {MAX_PARTICIPANTS} people.", field="participants"
        )
    last = _last_id(conversation.pk)
    now = timezone.now()
    added = []
    for user in newcomers:
        row = existing.get(user.pk) or Participant(conversation=conversation, user=user)
        row.joined_at, row.left_at, row.removed_by = now, None, None
        row.first_visible_id, row.last_visible_id = last, None
        row.latest_message_id, row.last_read_id, row.latest_at = last, last, now
        row.unread_since, row.emailed_through_id = None, last
        row.save()
        added.append(row)
    return added


def _end_seat(target: Participant, *, by) -> None:
    target.left_at = timezone.now()
    target.last_visible_id = _last_id(target.conversation_id)
    target.removed_by = None if by.pk == target.user_id else by
    target.unread_since = None
    target.save(update_fields=["left_at", "last_visible_id", "removed_by", "unread_since"])
    events.publish(
        audience=events.user_audience(target.user_id),
        event_type="conversation.left",
        payload={"conversation": target.conversation_id},
    )


@transaction.atomic
def remove_participant(*, actor, seat: Participant, user) -> None:
    """The person who started a group conversation may remove others from it. The removed
    person keeps what was sent while they were in it and reads nothing after."""
    _require_current(seat)
    _require_group(seat)
    if user.pk == actor.pk:
        return leave_conversation(actor=actor, seat=seat)
    if seat.conversation.created_by_id != actor.pk:
        raise ApplicationError(
            "Only the person who started this conversation may remove people.", status=403
        )
    target = (
        Participant.objects.select_for_update()
        .filter(conversation_id=seat.conversation_id, user=user, left_at__isnull=True)
        .first()
    )
    if target is None:
        raise ApplicationError("This person is not in the conversation.", field="username")
    _end_seat(target, by=actor)


@transaction.atomic
def leave_conversation(*, actor, seat: Participant) -> None:
    _require_current(seat)
    _require_group(seat)
    _end_seat(seat, by=actor)


def set_email_delay(*, actor, minutes: int) -> None:
    if minutes not in EmailDelay.values:
        raise ApplicationError("Choose one of the offered delays.", field="email_delay")
    MessagePreference.objects.update_or_create(user=actor, defaults={"email_delay": minutes})


def find_people(names: Iterable[str]) -> list:
    """User rows for usernames (or "Name (@username)" as the picker offers them); None for a
    name that matches nobody, so the service can say so. Deactivated accounts are found, so
    the answer can name them."""
    wanted = []
    for raw in names:
        name = (raw or "").strip()
        if "(@" in name and name.endswith(")"):
            name = name.rsplit("(@", 1)[1][:-1]
        name = name.lstrip("@")
        if name:
            wanted.append(name)
    found = {
        u.username: u for u in User.objects.select_related("profile").filter(Q(username__in=wanted))
    }
    return [found.get(name) for name in wanted]
