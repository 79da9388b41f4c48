"""What a post's feed card counts (comments, reactions by kind) and its version: changed by
each write in the writer's transaction, recounted for content loaded in bulk."""

from django.db.models import F, QuerySet

from ..models import Comment, Post, Reaction


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
