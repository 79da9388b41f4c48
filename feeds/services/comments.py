"""Comments: writing one (one reply level), editing, deleting (taking a comment down, which
moderation shares), and accepting a comment as the answer to a question."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.markdown import find_mentions
from groups import selectors as groups

from .. import live, notifications
from ..models import MAX_COMMENT_LENGTH, Comment, Post
from .access import _check_can_write
from .counters import record_card_change
from .text import _render, clean_body

User = get_user_model()


def create_comment(*, actor: User, post: Post, body: str, parent: Comment | None = None) -> Comment:
    if not groups.can_read(actor, post.group):
        raise ApplicationError("No such post.", status=404)
    if post.comments_closed:
        raise ApplicationError("Comments are closed on this post.", status=403)
    _check_can_write(actor, post.group)
    body = clean_body(body, limit=MAX_COMMENT_LENGTH)
    if parent is not None:
        if parent.post_id != post.pk or not parent.is_live:
            raise ApplicationError("Reply to a comment on this post.", field="parent")
        if parent.parent_id:  # one reply level: a reply to a reply joins the thread
            parent = parent.parent
    html, mentioned = _render(body, find_mentions(body))
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, author=actor, parent=parent, body=body, body_html=html
        )
        comment.mentions.set(mentioned)
        record_card_change(post, comments=1)
        notifications.comment_created(comment=comment, mentioned=mentioned)
        live.comment_created(comment)
    return comment


def edit_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    if comment.author_id != actor.pk:
        raise ApplicationError("Only the author can edit a comment.", status=403)
    _check_can_write(actor, comment.post.group)
    body = clean_body(body, limit=MAX_COMMENT_LENGTH)
    html, mentioned = _render(body, find_mentions(body))
    with transaction.atomic():
        comment.body, comment.body_html, comment.edited_at = body, html, timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        comment.mentions.set(mentioned)
        record_card_change(comment.post)
    return comment


def delete_comment(*, actor: User, comment: Comment) -> None:
    if comment.author_id != actor.pk:
        raise ApplicationError("Only the author can delete a comment.", status=403)
    with transaction.atomic():
        hidden = take_comment_down(comment, deleted_at=timezone.now())
        record_card_change(comment.post, comments=-hidden)
        live.comment_removed(comment)


def take_comment_down(comment: Comment, **fields) -> int:
    """Set the deletion or removal `fields` on the comment; 1 if that hid a live comment
    (which then no longer counts on its post), 0 if it was hidden already."""
    for name, value in fields.items():
        setattr(comment, name, value)
    was_live = Comment.objects.filter(
        pk=comment.pk, deleted_at__isnull=True, removed_at__isnull=True
    ).update(**fields)
    if not was_live:
        Comment.objects.filter(pk=comment.pk).update(**fields)
    return was_live


def accept_answer(*, actor: User, post: Post, comment: Comment | None) -> Post:
    """The asker or a leader marks the answer to a question (None clears it)."""
    if post.kind != Post.Kind.QUESTION:
        raise ApplicationError("Only questions have accepted answers.", field="comment")
    if actor.pk != post.author_id and not groups.can_moderate(actor, post.group):
        raise ApplicationError("Only the asker or a leader can accept an answer.", status=403)
    if comment is not None and (comment.post_id != post.pk or not comment.is_live):
        raise ApplicationError("Choose a comment on this question.", field="comment")
    with transaction.atomic():
        changed = comment is not None and post.accepted_answer_id != comment.pk
        post.accepted_answer = comment
        post.save(update_fields=["accepted_answer"])
        record_card_change(post)
        if changed:
            notifications.answer_accepted(post=post, comment=comment, actor=actor)
    return post
