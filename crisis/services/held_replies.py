"""Held replies (the second approval during crisis mode): the social team approves (the
reply is sent) or rejects them."""

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from routing.selectors import is_social_team

from ..models import HeldReply, TimelineEntry
from .common import _refuse
from .timeline import add_entry


def approve_held_reply(*, actor, held: HeldReply):
    """A second social team member approves a held reply: it is sent now, through the
    same service as every reply (routing.services.record_public_reply, approved_by)."""
    from routing.services import record_public_reply

    if not is_social_team(actor):
        raise _refuse("Only the social team approves replies.")
    if held.author_id == actor.pk:
        raise _refuse("Someone else of the social team approves your reply.")
    with transaction.atomic():
        locked = HeldReply.objects.select_for_update().get(pk=held.pk)
        if locked.status != HeldReply.Status.PENDING:
            raise ApplicationError("This reply was already decided.", field="status", status=409)
        reply = record_public_reply(
            actor=locked.author, question=locked.question, text=locked.text, approved_by=actor
        )
        locked.status, locked.decided_by, locked.decided_at = (
            HeldReply.Status.SENT,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return reply


def reject_held_reply(*, actor, held: HeldReply) -> HeldReply:
    if not is_social_team(actor):
        raise _refuse("Only the social team decides on held replies.")
    with transaction.atomic():
        locked = HeldReply.objects.select_for_update().get(pk=held.pk)
        if locked.status != HeldReply.Status.PENDING:
            raise ApplicationError("This reply was already decided.", field="status", status=409)
        locked.status, locked.decided_by, locked.decided_at = (
            HeldReply.Status.REJECTED,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        add_entry(
            locked.incident,
            TimelineEntry.Kind.REPLY_REFUSED,
            actor=actor,
            text="Held reply rejected.",
            question=locked.question,
        )
    return locked
