"""Every write to posts, comments, reactions and follows: `verb_noun(*, actor, ...)`.

Permission is checked before anything is written (ApplicationError, status 403 or 400 with
the field); each write is one transaction.
"""

import posixpath
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.files import CheckedUpload, check_uploads
from core.markdown import find_mentions, find_topics, render_markdown
from groups import selectors as groups
from groups import services as group_services
from groups.models import AuditEntry, Group, Membership
from people.models import people_url
from policies.selectors import may_post

from . import live, notifications
from .models import (
    MAX_COMMENT_LENGTH,
    MAX_POST_LENGTH,
    Attachment,
    Comment,
    PersonFollow,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicFollow,
)

User = get_user_model()

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def record_card_change(post: Post, *, comments: int = 0, reactions: dict | None = None) -> None:
    """Count what a post's feed card shows and mark the card changed, in the caller's
    transaction: `comments` and `reactions` ({kind: delta}) adjust the post's counters.

    Increments (not recounts) so that concurrent comments and reactions all count:
    PostgreSQL re-applies `n + 1` to the row version the other transaction committed.
    """
    changes = {"version": F("version") + 1}
    if comments:
        changes["comment_count"] = F("comment_count") + comments
    for kind, delta in (reactions or {}).items():
        if delta:
            changes[f"{kind}_count"] = F(f"{kind}_count") + delta
    Post.objects.filter(pk=post.pk).update(**changes)
    post.refresh_from_db(fields=list(changes))


def recount_posts(posts: QuerySet[Post]) -> int:
    """Recount the comment and reaction counters of `posts` (a queryset) from their rows:
    for content loaded in bulk (seeds, imports) that bypassed the services."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def count(queryset):
        per_post = queryset.filter(post=OuterRef("pk")).order_by().values("post")
        return Coalesce(Subquery(per_post.annotate(n=Count("pk")).values("n")), 0)

    changes = {
        "comment_count": count(
            Comment.objects.filter(deleted_at__isnull=True, removed_at__isnull=True)
        ),
        "version": F("version") + 1,
    }
    for kind in Reaction.Kind.values:
        changes[f"{kind}_count"] = count(Reaction.objects.filter(kind=kind))
    return posts.update(**changes)


def clean_body(body: str, *, limit: int, field: str = "body") -> str:
    if not isinstance(body, str):
        raise ApplicationError("Write some text.", field=field)
    body = body.replace("\x00", "").strip()
    if not body:
        raise ApplicationError("Write something first.", field=field)
    if len(body) > limit:
        raise ApplicationError(
            f"Keep it under {limit:,} characters (this is {len(body):,}).", field=field
        )
    return body


def _render(body: str, viewer_names: list[str]) -> tuple[str, list]:
    """HTML for `body`, and the users it mentions (existing, active accounts only)."""
    mentioned = list(
        User.objects.filter(username__in=viewer_names, is_active=True).select_related("profile")
    )
    people = {u.username: (f"{people_url()}{u.username}/", _display_name(u)) for u in mentioned}
    html = render_markdown(
        body, mentions=people, topic_url=lambda name: reverse("feeds:topic", args=[name])
    )
    return html, mentioned


def rerender_mentions(*, batch_size: int = 500) -> int:
    """Render again the stored HTML of posts and comments that mention someone, so their
    mentions show each person's current name (posts written before mentions showed names,
    or after someone's name changed). Changes no mention rows and notifies nobody; the
    cards of changed posts are marked changed. Safe to run again. Returns how many rows
    changed. Two queries per batch, plus the writes."""
    changed = 0
    for model in (Post, Comment):
        rows = model.objects.filter(body__contains="@").only("pk", "body", "body_html")
        batch: list = []
        for row in rows.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(row)
            if len(batch) == batch_size:
                changed += _rerender_batch(model, batch)
                batch = []
        if batch:
            changed += _rerender_batch(model, batch)
    return changed


def _rerender_batch(model, rows: list) -> int:
    names = {name for row in rows for name in find_mentions(row.body)}
    users = User.objects.filter(username__in=names, is_active=True).select_related("profile")
    people = {u.username: (f"{people_url()}{u.username}/", _display_name(u)) for u in users}
    dirty = []
    for row in rows:
        html = render_markdown(
            row.body, mentions=people, topic_url=lambda name: reverse("feeds:topic", args=[name])
        )
        if html != row.body_html:
            row.body_html = html
            dirty.append(row)
    if dirty:
        with transaction.atomic():
            model.objects.bulk_update(dirty, ["body_html"])
            post_ids = [r.pk for r in dirty] if model is Post else []
            if model is Comment:
                post_ids = list(
                    Comment.objects.filter(pk__in=[r.pk for r in dirty]).values_list(
                        "post_id", flat=True
                    )
                )
            Post.objects.filter(pk__in=post_ids).update(version=F("version") + 1)
    return len(dirty)


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.username


def render_body(*, body: str) -> str:
    """The HTML a post or comment with `body` would show (the composer's preview): the same
    renderer, mentions and sanitizer as publishing, nothing written."""
    return _render(body or "", find_mentions(body or ""))[0]


def _topics(body: str) -> list[Topic]:
    names = find_topics(body)
    if not names:
        return []
    Topic.objects.bulk_create([Topic(name=n) for n in names], ignore_conflicts=True)
    return list(Topic.objects.filter(name__in=names))


def _check_can_write(actor, group: Group) -> Membership | None:
    """Members write in their groups; anyone may write in a public group they join by
    writing; nobody muted writes; nobody the policy gate holds back."""
    if not may_post(actor):
        raise ApplicationError(
            "Read and acknowledge the social media policy (Policy, in the menu) to post.",
            status=403,
        )
    membership = groups.membership_of(actor, group)
    if membership is None and not group.is_public:
        raise ApplicationError("Join the group to post in it.", status=403)
    if membership is not None and membership.is_muted():
        raise ApplicationError(
            "A group leader has muted you here for now: you can read but not write.",
            status=403,
        )
    return membership


def check_can_start_post(actor, group: Group, kind: str = Post.Kind.UPDATE) -> Membership | None:
    """Whether `actor` may start a post of `kind` in `group` now (ApplicationError if not);
    their membership (None: a public group they would join by writing)."""
    if not groups.can_read(actor, group):
        raise ApplicationError("Join the group to post in it.", status=403)
    membership = _check_can_write(actor, group)
    if kind not in Post.Kind.values:
        raise ApplicationError("Choose an update, a question or an announcement.", field="kind")
    if kind == Post.Kind.ANNOUNCEMENT and not groups.can_moderate(actor, group, membership):
        raise ApplicationError("Only the group's leaders post announcements.", status=403)
    if not groups.can_post(actor, group, membership):
        raise ApplicationError("Only the group's leaders start posts here.", status=403)
    return membership


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


def follow_topic(*, actor: User, topic: Topic, follow: bool = True) -> None:
    if follow:
        TopicFollow.objects.get_or_create(user=actor, topic=topic)
    else:
        TopicFollow.objects.filter(user=actor, topic=topic).delete()


def follow_person(*, actor: User, person: User, follow: bool = True) -> None:
    if person.pk == actor.pk:
        raise ApplicationError("You see your own posts already.", field="person")
    if follow:
        PersonFollow.objects.get_or_create(follower=actor, followee=person)
    else:
        PersonFollow.objects.filter(follower=actor, followee=person).delete()


def rename_legacy_attachment_file(*, attachment: Attachment) -> bool:
    """Move a file stored under its uploader's name (before stored names were random) to a
    random name in the same folder; the row keeps the uploader's name in `name`.

    True when moved; False when its name is random already, the file is missing, or the row
    changed meanwhile. Safe to run again and while the site runs: the new copy is written
    first, the row then points at it, the old file goes last. A download that read the row
    just before may get a 404 for the old name: run it in a quiet hour.
    """
    old = attachment.file.name
    folder, base = posixpath.split(old)
    if re.fullmatch(r"[0-9a-f]{32}(\.[a-z0-9]{1,10})?", base) or not folder.startswith(
        "attachments/"
    ):
        return False
    storage = attachment.file.storage
    if not storage.exists(old):
        return False
    upload_to = Attachment._meta.get_field("file").upload_to
    with storage.open(old, "rb") as source:
        new = storage.save(posixpath.join(folder, upload_to.name_for(attachment.name)), source)
    if not Attachment.objects.filter(pk=attachment.pk, file=old).update(file=new):
        storage.delete(new)
        return False
    storage.delete(old)
    attachment.file.name = new
    return True


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
