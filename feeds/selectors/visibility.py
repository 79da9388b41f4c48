"""The rule of who may read a post or a comment, written once: live (neither deleted nor
removed), in a group the reader may read (groups.selectors.readable_group_q). The loaders of
one post or comment answer 404 alike for "missing" and "not yours to see"."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from groups.selectors import readable_group_id_q, readable_group_q

from ..models import Comment, Post


def _live_posts(group_rule: Q) -> QuerySet[Post]:
    """Posts neither deleted nor removed, in the groups `group_rule` lets through: the one
    place the rest of the rule is written (visible_posts, searchable_posts)."""
    return Post.objects.filter(group_rule, deleted_at__isnull=True, removed_at__isnull=True)


def visible_posts(user) -> QuerySet[Post]:
    """Exactly the posts `user` may read: live, in a group they may read."""
    return _live_posts(readable_group_q(user))


def searchable_posts(user) -> QuerySet[Post]:
    """Exactly visible_posts(user), with the group rule as a subquery of readable group ids
    (readable_group_id_q): search reads the newest matches of a word along the date index
    with a LIMIT, and joining the groups there checked every post against every group."""
    return _live_posts(readable_group_id_q(user))


def get_visible_post(user, post_id) -> Post:
    """The post if `user` may read it; 404 alike for "missing" and "not yours to see"."""
    try:
        return visible_posts(user).select_related("group", "author__profile").get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such post.") from exc


# A comment neither deleted nor removed: the comment's own part of the rule (also what a card's
# latest comments are, display._latest_comments).
LIVE_COMMENT = Q(deleted_at__isnull=True, removed_at__isnull=True)


def _live_comments(group_rule: Q) -> QuerySet[Comment]:
    """Live comments of live posts in the groups `group_rule` lets through (visible_comments,
    searchable_comments)."""
    return Comment.objects.filter(
        LIVE_COMMENT,
        group_rule,
        post__deleted_at__isnull=True,
        post__removed_at__isnull=True,
    )


def visible_comments(user) -> QuerySet[Comment]:
    return _live_comments(readable_group_q(user, prefix="post__group"))


def searchable_comments(user) -> QuerySet[Comment]:
    """Exactly visible_comments(user), with the group rule as a subquery of readable group
    ids (see searchable_posts)."""
    return _live_comments(readable_group_id_q(user, field="post__group_id"))


def _of_visible_post(user, post: Post) -> QuerySet[Comment]:
    """`post`'s comments, all of them or none: whether `user` may read the post is asked
    once (an EXISTS on the post that PostgreSQL runs once per query), not joined to every
    comment. Joined, the rule read all the comments of a post (2,029 for the bench's busiest:
    5 ms) to show a page of 50."""
    return Comment.objects.filter(Exists(visible_posts(user).filter(pk=post.pk)), post=post)


def visible_comments_of(user, post: Post) -> QuerySet[Comment]:
    """Exactly visible_comments(user).filter(post=post), for a post's own page: its rows read
    along the post's comment indexes, a page at a time (see _of_visible_post)."""
    return _of_visible_post(user, post).filter(LIVE_COMMENT)


def thread_heads(user, post: Post) -> QuerySet[Comment]:
    """The top-level comments of `post` that start a thread on its page: the live ones, and
    a deleted or removed one while a live reply hangs from it (shown as a placeholder)."""
    live = visible_comments_of(user, post)
    return _of_visible_post(user, post).filter(
        LIVE_COMMENT | Q(Exists(live.filter(parent_id=OuterRef("pk")))), parent__isnull=True
    )


def get_visible_comment(user, comment_id) -> Comment:
    try:
        return visible_comments(user).select_related("post__group").get(pk=comment_id)
    except (Comment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such comment.") from exc
