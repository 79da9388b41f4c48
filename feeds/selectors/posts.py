"""A post's page: its comments and their replies, its earlier texts, a removed post shown to
its author, and its attachments."""

from collections import defaultdict

from django.http import Http404

from ..models import Comment, Post
from .visibility import get_visible_post, visible_comments


def comments_of(user, post: Post) -> list[Comment]:
    """A post's live comments for its page, top level then their replies, oldest first."""
    comments = list(visible_comments(user).filter(post=post).select_related("author__profile"))
    replies: dict[int, list[Comment]] = defaultdict(list)
    top = []
    for comment in comments:
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
        else:
            top.append(comment)
    # Live replies to a comment that was deleted or removed stay, under a placeholder that
    # carries nothing of the gone comment but its place in the thread.
    orphans = set(replies) - {c.pk for c in top}
    if orphans:
        for gone in Comment.objects.filter(post=post, pk__in=orphans):
            gone.body = gone.body_html = ""
            top.append(gone)
        top.sort(key=lambda c: (c.created_at, c.pk))
    for comment in top:
        comment.reply_list = replies[comment.pk]
    return top


def revisions_of(post: Post):
    """A post's earlier texts. `post` comes from get_visible_post: the caller checked it."""
    return post.revisions.select_related("edited_by__profile")


def get_removed_post_for_author(user, post_id) -> Post | None:
    """A post a moderator removed, for its author only (they are told why); else None."""
    if not (user.is_authenticated and user.is_active):
        return None
    return (
        Post.objects.filter(
            pk=post_id, author_id=user.pk, removed_at__isnull=False, deleted_at__isnull=True
        )
        .select_related("group")
        .first()
    )


def get_attachment(user, post_id, attachment_id):
    """An attachment of a post `user` may read; 404 alike for missing and hidden."""
    post = get_visible_post(user, post_id)
    attachment = post.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment
