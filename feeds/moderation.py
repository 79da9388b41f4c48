"""What a group's leaders do to its posts and comments: pin, close comments, remove, and
what readers report to them. `verb_noun(*, actor, ...)`.

The rows are feeds'; who may do it, the reports and the audit log are groups' (its public
services). Each function checks permission first (ApplicationError 403, nothing changed),
writes in one transaction, logs the action in the group's audit log, and tells the author
and the live feeds after commit.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from groups import services as groups
from groups.models import AuditEntry, Report

from . import live
from . import notifications as notify
from .models import Comment, Post
from .services import record_card_change, take_comment_down


def pin_post(*, actor: User, post: Post, pinned: bool = True) -> Post:
    groups.require_leader(actor=actor, group=post.group)
    with transaction.atomic():
        post.pinned_at = timezone.now() if pinned else None
        post.save(update_fields=["pinned_at"])
        record_card_change(post)
        groups.record_audit(
            group=post.group,
            actor=actor,
            action=AuditEntry.Action.PIN if pinned else AuditEntry.Action.UNPIN,
            post=post,
        )
    return post


def close_comments(*, actor: User, post: Post, closed: bool = True) -> Post:
    groups.require_leader(actor=actor, group=post.group)
    with transaction.atomic():
        post.comments_closed = closed
        post.save(update_fields=["comments_closed"])
        record_card_change(post)
        groups.record_audit(
            group=post.group,
            actor=actor,
            action=AuditEntry.Action.CLOSE_COMMENTS if closed else AuditEntry.Action.OPEN_COMMENTS,
            post=post,
        )
    return post


def remove_post(*, actor: User, post: Post, reason: str) -> Post:
    """Take a post down for everyone; its author sees why on the post's page."""
    groups.require_leader(actor=actor, group=post.group)
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Tell the author why the post is removed.", field="reason")
    with transaction.atomic():
        post.removed_at, post.removed_by, post.removed_reason = timezone.now(), actor, reason[:500]
        post.pinned_at = None
        post.save(update_fields=["removed_at", "removed_by", "removed_reason", "pinned_at"])
        groups.resolve_reports(actor=actor, post_id=post.pk)
        groups.record_audit(
            group=post.group,
            actor=actor,
            action=AuditEntry.Action.REMOVE_POST,
            reason=reason,
            post=post,
            target_user=post.author,
        )
        notify.post_removed(post=post, actor=actor, reason=reason[:200])
        live.post_removed(post)
    return post


def remove_comment(*, actor: User, comment: Comment, reason: str) -> Comment:
    group = comment.post.group
    groups.require_leader(actor=actor, group=group)
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Tell the author why the comment is removed.", field="reason")
    with transaction.atomic():
        hidden = take_comment_down(
            comment, removed_at=timezone.now(), removed_by=actor, removed_reason=reason[:500]
        )
        record_card_change(comment.post, comments=-hidden)
        groups.resolve_reports(actor=actor, comment_id=comment.pk)
        groups.record_audit(
            group=group,
            actor=actor,
            action=AuditEntry.Action.REMOVE_COMMENT,
            reason=reason,
            comment=comment,
            post=comment.post,
            target_user=comment.author,
        )
        notify.comment_removed(comment=comment, actor=actor, reason=reason[:200])
        live.comment_removed(comment)
    return comment


def report_content(
    *, actor: User, reason: str, post: Post | None = None, comment: Comment | None = None
) -> Report:
    """A reader reports a post or comment they can see, with a reason, for the leaders."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Say what is wrong with it.", field="reason")
    if (post is None) == (comment is None):
        raise ApplicationError("Report one post or one comment.", field="post")
    target_post = post or comment.post
    return groups.file_report(
        actor=actor,
        group=target_post.group,
        reason=reason,
        post_id=post.pk if post else None,
        comment_id=comment.pk if comment else None,
    )
