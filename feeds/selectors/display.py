"""What a feed card shows of each post, read in a constant number of queries whatever the
page's size (decorate_posts and its parts), and the posts loaded whole for their cards."""

from collections import defaultdict

from django.db import connection
from django.db.models import (
    CharField,
    F,
    QuerySet,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from .. import extensions
from ..models import Comment, Post, Reaction, SavedPost
from .visibility import LIVE_COMMENT, get_visible_post, visible_posts

LATEST_COMMENTS = 2


def decorate_posts(posts: list[Post], *, viewer, latest_comments: bool = True) -> list[Post]:
    """Attach what a feed shows of each post, in a constant number of queries whatever the
    number of posts, comments and reactions:

    - `latest_comments` (the last two, oldest first, authors loaded; none read with
      `latest_comments=False`: a post's own page shows its thread instead);
    - `topic_names`, and the post's attachments;
    - `praised_people` of praise posts (a query only when the page has praise);
    - `my_reactions` {kind} and `saved` (decorate_for_everyone leaves these out), and
      `shared_original` of shares, the original only if `viewer` may read it (a query only
      when the page has shares);
    - comment and reaction counts are the post's own counters, the author's profile and
      the group come from for_display (select_related);
    - `card_extras`, what other apps show in a card (feeds.extensions: a poll, an event), a
      fixed number of queries per registered extension.
    """
    decorate_for_everyone(posts, latest_comments=latest_comments)
    attach_my_reactions(posts, viewer=viewer)
    attach_shared_originals(posts, viewer=viewer)
    extensions.decorate(posts, viewer=viewer)
    return posts


def decorate_for_everyone(posts: list[Post], *, latest_comments: bool = True) -> list[Post]:
    """The part of decorate_posts that is the same for every reader of the posts."""
    if not posts:
        return posts
    ids = [p.pk for p in posts]
    latest_by_post: dict[int, list[Comment]] = defaultdict(list)
    for comment in _latest_comments(ids) if latest_comments else ():
        latest_by_post[comment.post_id].append(comment)
    topics: dict[int, list[str]] = defaultdict(list)
    for post_id, name in (
        Post.topics.through.objects.filter(post_id__in=ids)
        .order_by("topic__name")
        .values_list("post_id", "topic__name")
    ):
        topics[post_id].append(name)
    prefetch_related_objects(posts, "attachments")
    praised: dict[int, list] = defaultdict(list)
    praise_ids = [p.pk for p in posts if p.kind == Post.Kind.PRAISE]
    if praise_ids:
        for row in (
            Post.praised.through.objects.filter(post_id__in=praise_ids)
            .select_related("user__profile")
            .order_by("id")
        ):
            praised[row.post_id].append(row.user)
    for post in posts:
        post.latest_comments = sorted(latest_by_post[post.pk], key=lambda c: (c.created_at, c.pk))
        post.topic_names = topics[post.pk]
        post.praised_people = praised[post.pk]
    return posts


_SAVED = "saved"  # not a reaction kind: marks a save in attach_my_reactions' one query


def attach_my_reactions(posts: list[Post], *, viewer) -> list[Post]:
    """`my_reactions` {kind} of `viewer` on each post, and `saved` (whether they saved
    it), in one query."""
    mine: dict[int, set[str]] = defaultdict(set)
    if posts:
        ids = [p.pk for p in posts]
        reactions = Reaction.objects.filter(post_id__in=ids, user_id=viewer.pk).values_list(
            "post_id", "kind"
        )
        saves = (
            SavedPost.objects.filter(post_id__in=ids, user_id=viewer.pk)
            .annotate(mark=Value(_SAVED, output_field=CharField()))
            .values_list("post_id", "mark")
        )
        for post_id, kind in reactions.union(saves, all=True):
            mine[post_id].add(kind)
    for post in posts:
        post.saved = _SAVED in mine[post.pk]
        mine[post.pk].discard(_SAVED)
        post.my_reactions = mine[post.pk]
    return posts


def attach_shared_originals(posts: list, *, viewer) -> list:
    """`shared_original` on each share: the post it shares if `viewer` may read it, else
    None (the card then says only that it shares a post they cannot see). One query, and
    only when some of `posts` are shares; the others get None."""
    shared_ids = {p.shared_post_id for p in posts if p.shared_post_id}
    originals = {}
    if shared_ids:
        originals = for_display(visible_posts(viewer).filter(pk__in=shared_ids)).in_bulk()
    for post in posts:
        post.shared_original = originals.get(post.shared_post_id)
    return posts


def get_shared_original(user, post_id) -> Post:
    """A share `user` may read, with `shared_original` decided for them (404 alike for a
    missing share and one they may not read)."""
    share = get_visible_post(user, post_id)
    if not share.shared_post_id:
        raise Http404("Not a share.")
    return attach_shared_originals([share], viewer=user)[0]


def _latest_comments(post_ids: list[int]) -> QuerySet[Comment]:
    """The last LATEST_COMMENTS live comments of each post, in one query.

    One post (its own page, a card made alone): one index scan of comment_by_post read
    backwards. Several, on PostgreSQL: a UNION ALL of such a scan per post, so a post with
    thousands of comments costs what a post with two does. A window function would rank
    every comment of every post on the page first, after joining each to its author and
    profile (41 ms for the bench's busiest post of 2,029 comments against 0.3 ms); it is
    the portable form, used where compound statements cannot hold a LIMIT (SQLite).
    """
    live = Comment.objects.filter(LIVE_COMMENT)
    if len(post_ids) == 1:
        latest = live.filter(post_id=post_ids[0]).order_by("-created_at", "-id")
        return latest.select_related("author__profile")[:LATEST_COMMENTS]
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [
            live.filter(post_id=pk).order_by("-created_at", "-id").values("id")[:LATEST_COMMENTS]
            for pk in post_ids
        ]
        ids = parts[0].union(*parts[1:], all=True)
        return Comment.objects.filter(id__in=ids).select_related("author__profile")
    return (
        live.filter(post_id__in=post_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("post_id")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=LATEST_COMMENTS)
        .select_related("author__profile")
    )


def card_keys(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Only what identifies a post's card and orders a feed: a page of these is cheap to
    read, and its cards come from the cache (feeds.api.serialize_posts). `shared_post_id`
    is read for the part of a share's card that depends on the reader."""
    return posts.only("id", "created_at", "version", "shared_post_id")


def posts_for_display(post_ids: list[int]) -> list[Post]:
    """Posts already chosen by a visibility selector, loaded whole for their cards, in the
    order of `post_ids`."""
    by_id = for_display(Post.objects.filter(pk__in=post_ids)).in_bulk()
    return [by_id[pk] for pk in post_ids if pk in by_id]


def for_display(posts: QuerySet[Post]) -> QuerySet[Post]:
    """What a feed card reads besides decorate_posts: group, author, author's profile."""
    return posts.select_related("group", "author__profile")
