"""The digest's posts section (registered with notifications.digests in FeedsConfig.ready):
the most active posts in the groups a reader is a member of that they have not seen, where
"seen" means they wrote the post, commented on it or reacted to it (we do not record page
views), and activity is comments plus reactions since the reader's last digest.

Only what the reader may read: posts come from the groups they are a member of now, without
the ones they muted (the chunk's `groups`). Batched over the chunk: a fixed number of
queries whatever the number of readers.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from core import markdown

from .models import Comment, Post, Reaction

POSTS_PER_DIGEST = 5
CANDIDATES_PER_GROUP = 10
# A post's summary in the digest, in characters (HTML and text parts alike).
EXCERPT_LENGTH = 220


@dataclass
class DigestPost:
    """What a digest shows of a post (read as plain values, in bulk)."""

    pk: int
    group_id: int
    author_id: int
    created_at: dt.datetime
    body: str  # the author's Markdown
    body_html: str  # as rendered (mentions as names)
    group_name: str
    author_name: str
    url: str
    activity: int
    comment_count: int
    reaction_count: int

    @property
    def excerpt(self) -> str:
        """Plain text (core.markdown.excerpt), mentions as names: the templates escape it
        once."""
        return markdown.excerpt(self.body, EXCERPT_LENGTH, rendered=self.body_html)


def busiest_unseen_posts(readers) -> dict[int, list[DigestPost]]:
    """{user id: their busiest unseen posts} for a notifications.digests.Readers chunk.

    Ranks posts by activity from two aggregate queries, keeps the busiest few per group,
    and loads only those (not every post with activity in the period)."""
    member_of = readers.groups
    group_ids = set().union(*member_of.values()) if member_of else set()
    if not group_ids:
        return {}
    earliest = readers.earliest
    live_post = Q(post__deleted_at__isnull=True, post__removed_at__isnull=True)
    in_period = Q(post__group_id__in=group_ids, post__created_at__gte=earliest)
    comment_counts, reaction_counts, group_of = {}, {}, {}
    for post_id, group_id, n in (
        Comment.objects.filter(in_period, live_post, created_at__gte=earliest)
        .filter(deleted_at__isnull=True, removed_at__isnull=True)
        .values_list("post_id", "post__group_id")
        .annotate(n=Count("id"))
    ):
        comment_counts[post_id], group_of[post_id] = n, group_id
    for post_id, group_id, n in (
        Reaction.objects.filter(in_period, live_post, created_at__gte=earliest)
        .values_list("post_id", "post__group_id")
        .annotate(n=Count("id"))
    ):
        reaction_counts[post_id], group_of[post_id] = n, group_id
    if not group_of:
        return {}

    def activity(post_id: int) -> int:
        return comment_counts.get(post_id, 0) + reaction_counts.get(post_id, 0)

    ranked = defaultdict(list)
    for post_id, group_id in group_of.items():
        ranked[group_id].append(post_id)
    keep = []
    for post_ids in ranked.values():
        post_ids.sort(key=lambda pid: (-activity(pid), -pid))
        keep += post_ids[:CANDIDATES_PER_GROUP]
    # Plain rows, not model instances: a chunk reads thousands of candidates.
    url = reverse("feeds:post", args=[987654321]).replace("987654321", "{}")
    candidates = {
        row["id"]: DigestPost(
            pk=row["id"],
            group_id=row["group_id"],
            author_id=row["author_id"],
            created_at=row["created_at"],
            body=row["body"],
            body_html=row["body_html"],
            group_name=row["group__name"],
            author_name=row["author__profile__display_name"] or row["author__username"],
            url=url.format(row["id"]),
            activity=activity(row["id"]),
            comment_count=comment_counts.get(row["id"], 0),
            reaction_count=reaction_counts.get(row["id"], 0),
        )
        for row in Post.objects.filter(
            pk__in=keep, deleted_at__isnull=True, removed_at__isnull=True
        ).values(
            "id", "group_id", "author_id", "created_at", "body", "body_html", "group__name",
            "author__username", "author__profile__display_name",
        )
    }  # fmt: skip
    if not candidates:
        return {}
    by_group = defaultdict(list)
    for post in candidates.values():
        by_group[post.group_id].append(post)
    for group_posts in by_group.values():
        group_posts.sort(key=lambda p: (-p.activity, -p.pk))
    user_ids = list(readers)
    seen = defaultdict(set)
    for uid, pid in Comment.objects.filter(
        author_id__in=user_ids, post_id__in=list(candidates)
    ).values_list("author_id", "post_id"):
        seen[uid].add(pid)
    for uid, pid in Reaction.objects.filter(
        user_id__in=user_ids, post_id__in=list(candidates)
    ).values_list("user_id", "post_id"):
        seen[uid].add(pid)
    found = {}
    for uid in user_ids:
        since = readers.since[uid]
        mine = [
            p
            for gid in member_of.get(uid, ())
            for p in by_group.get(gid, ())
            if p.created_at >= since and p.author_id != uid and p.pk not in seen[uid]
        ]
        mine.sort(key=lambda p: (-p.activity, -p.pk))
        found[uid] = mine[:POSTS_PER_DIGEST]
    return found
