"""Reactions: one click adds the reaction, the next takes it back."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from groups import selectors as groups

from .. import live, notifications
from ..models import Post, Reaction
from .counters import record_card_change

User = get_user_model()


def toggle_reaction(*, actor: User, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if it is there. Returns whether it is there now."""
    if kind not in Reaction.Kind.values:
        raise ApplicationError("React with like, celebrate, insightful or support.", field="kind")
    if not groups.can_read(actor, post.group):
        raise ApplicationError("No such post.", status=404)
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
        if deleted:
            record_card_change(post, reactions={kind: -deleted})
            live.reactions_changed(post)
            return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=actor, kind=kind)
            record_card_change(post, reactions={kind: 1})
            notifications.reaction_added(post=post, actor=actor)
            live.reactions_changed(post)
    except IntegrityError:  # the same click twice at once: it is there
        pass
    return True
