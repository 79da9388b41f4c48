"""Saving posts for later and sharing them into another group: `verb_noun(*, actor, ...)`.

The caller found the post through feeds.selectors.get_visible_post (404 alike for missing
and unreadable); these write in one transaction.
"""

from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from groups.models import Group

from . import services
from .models import MAX_POST_LENGTH, Post, SavedPost


def save_post(*, actor, post: Post, saved: bool = True) -> bool:
    """Keep `post` in `actor`'s Saved list, or take it out; returns whether it is saved.
    The same click twice at once keeps one row (a unique constraint)."""
    if not saved:
        SavedPost.objects.filter(user=actor, post=post).delete()
        return False
    try:
        with transaction.atomic():
            SavedPost.objects.get_or_create(user=actor, post=post)
    except IntegrityError:  # saved by a concurrent request: it is there
        pass
    return True


def share_post(*, actor, post: Post, group: Group, body: str = "") -> Post:
    """A new post in `group` that shares `post`, with `actor`'s comment (may be empty).

    `actor` may read `post` (the caller's selector) and must be allowed to start a post in
    `group`. Readers of `group` see the original only if they may read it themselves
    (feeds.selectors.attach_shared_originals); the share copies nothing of it."""
    membership = services.check_can_start_post(actor, group, Post.Kind.UPDATE)
    if not isinstance(body, str):
        raise ApplicationError("Write some text.", field="body")
    body = body.replace("\x00", "").strip()
    if body:
        body = services.clean_body(body, limit=MAX_POST_LENGTH)
    original = post.shared_post if post.shared_post_id and not post.body else post
    return services.publish_post(
        actor=actor,
        group=group,
        membership=membership,
        kind=Post.Kind.UPDATE,
        body=body,
        shared_post=original,
    )
