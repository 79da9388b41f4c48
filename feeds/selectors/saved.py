"""A reader's saved posts: those they may still read."""

from django.db.models import QuerySet

from ..models import Post, SavedPost
from .feeds import FEED_ORDER
from .visibility import visible_posts


def saved_entries(user) -> QuerySet[SavedPost]:
    """`user`'s saves of posts they may read now, newest save first: a post that became
    unreadable (membership ended, group made secret, post removed or deleted) is left out
    here, through visible_posts, not deleted."""
    return SavedPost.objects.filter(user_id=user.pk, post__in=visible_posts(user)).order_by(
        *FEED_ORDER
    )


def is_saved(user, post: Post) -> bool:
    return SavedPost.objects.filter(user_id=user.pk, post=post).exists()
