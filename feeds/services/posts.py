"""Posts: starting one (the check, the text, the files), publishing it (topics, mentions,
praise, the audit entry of an announcement, notifications and the live event), editing and
deleting it, and the company announcement another app has decided on."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.files import CheckedUpload, check_uploads
from core.markdown import find_mentions
from groups import services as group_services
from groups.models import AuditEntry, Group, Membership
from policies.selectors import may_post

from .. import live, notifications
from ..models import MAX_POST_LENGTH, Attachment, Post, PostRevision
from .access import _check_can_write, check_can_start_post
from .counters import record_card_change
from .text import _render, _topics, clean_body

User = get_user_model()

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def create_post(
    *,
    actor: User,
    group: Group,
    body: str,
    kind: str = Post.Kind.UPDATE,
    attachments: list[UploadedFile] = (),
) -> Post:
    if kind == Post.Kind.PRAISE:
        raise ApplicationError("Give praise from the Praise page: it names whom.", field="kind")
    membership = check_can_start_post(actor, group, kind)
    body = clean_body(body, limit=MAX_POST_LENGTH)
    checked = check_uploads(attachments, max_count=MAX_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
    return publish_post(
        actor=actor,
        group=group,
        membership=membership,
        kind=kind,
        body=body,
        attachments=checked,
    )


def publish_post(
    *,
    actor: User,
    group: Group,
    membership: Membership | None,
    kind: str,
    body: str,
    attachments: list[CheckedUpload] = (),
    shared_post: Post | None = None,
    badge: str = "",
    praised: list = (),
) -> Post:
    """Write a post whose permission, text and files the caller has checked
    (check_can_start_post, clean_body, core.files.check_uploads), in one transaction:
    topics, mentions, files, the audit entry of an announcement, notifications and the live
    event on commit."""
    html, mentioned = _render(body, find_mentions(body)) if body else ("", [])
    with transaction.atomic():
        if membership is None:  # writing in a public group joins it
            group_services.join_group(actor=actor, group=group)
        post = Post.objects.create(
            group=group,
            author=actor,
            kind=kind,
            body=body,
            body_html=html,
            shared_post=shared_post,
            badge=badge,
        )
        post.topics.set(_topics(body))
        post.mentions.set(mentioned)
        if praised:  # rows in the order written: cards name people in that order
            Post.praised.through.objects.bulk_create(
                [Post.praised.through(post=post, user=person) for person in praised]
            )
        for upload, width, height in attachments:
            Attachment.objects.create(
                post=post,
                file=upload,
                name=upload.name[:200],
                content_type=upload.content_type,
                size=upload.size,
                image_width=width,
                image_height=height,
            )
        if kind == Post.Kind.ANNOUNCEMENT:
            group_services.record_audit(
                group=group, actor=actor, action=AuditEntry.Action.ANNOUNCE, post=post
            )
        notifications.post_created(post=post, mentioned=mentioned)
        if shared_post is not None:
            notifications.post_shared(share=post, original=shared_post)
        if praised:
            notifications.praise_given(post=post, praised=praised)
        live.post_created(post)
    return post


def edit_post(*, actor: User, post: Post, body: str) -> Post:
    """The author changes the text; the old text is kept as a revision."""
    if post.author_id != actor.pk:
        raise ApplicationError("Only the author can edit a post.", status=403)
    _check_can_write(actor, post.group)
    body = clean_body(body, limit=MAX_POST_LENGTH)
    if body == post.body:
        return post
    html, mentioned = _render(body, find_mentions(body))
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
        before = set(post.mentions.values_list("id", flat=True))
        post.body, post.body_html, post.edited_at = body, html, timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        post.topics.set(_topics(body))
        post.mentions.set(mentioned)
        record_card_change(post)
        notifications.post_edited(
            post=post, newly_mentioned=[u for u in mentioned if u.pk not in before]
        )
        live.post_edited(post)
    return post


def delete_post(*, actor: User, post: Post) -> None:
    """The author deletes their post (kept, hidden everywhere)."""
    if post.author_id != actor.pk:
        raise ApplicationError("Only the author can delete a post; leaders remove.", status=403)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    live.post_removed(post)


def post_company_announcement(*, actor, body: str) -> Post:
    """A pinned announcement in All company, written by `actor` in one step.

    For an app that has already decided `actor` may speak to the whole company without
    leading All company (the crisis lead during an incident: crisis.services); the
    acknowledgement gate still holds them back. Notifies like any post, goes out live."""
    if not may_post(actor):
        raise ApplicationError(
            "Read and acknowledge the social media policy (Policy, in the menu) to post.",
            status=403,
        )
    body = clean_body(body, limit=MAX_POST_LENGTH)
    html, mentioned = _render(body, find_mentions(body))
    with transaction.atomic():
        group = group_services.ensure_company_group()
        post = Post.objects.create(
            group=group,
            author=actor,
            kind=Post.Kind.ANNOUNCEMENT,
            body=body,
            body_html=html,
            pinned_at=timezone.now(),
        )
        post.topics.set(_topics(body))
        post.mentions.set(mentioned)
        group_services.record_audit(
            group=group, actor=actor, action=AuditEntry.Action.ANNOUNCE, post=post
        )
        notifications.post_created(post=post, mentioned=mentioned)
        live.post_created(post)
    return post
