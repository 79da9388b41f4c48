"""Every read of posts, comments and reactions goes through visible_posts(user).

The home feed, group, topic and person feeds, post pages, search, the API and (later) live
delivery and digests are all built on it, so a rule about who may read a post is written
once: a live post in a group the user may read (groups.selectors.readable_group_q).
"""

import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from core import compiled
from core.pagination import page_query
from groups.models import Group
from groups.selectors import (
    feed_group_ids,
    readable_group_id_q,
    readable_group_q,
    readable_shape,
)

from . import extensions
from .models import (
    Comment,
    Draft,
    PersonFollow,
    Post,
    Reaction,
    SavedPost,
    Topic,
    TopicFollow,
)

FEED_ORDER = ("-created_at", "-id")
FEED_TYPES = (datetime.datetime, int)  # the Python types of FEED_ORDER's values, for cursors
REACTION_KINDS = tuple(Reaction.Kind.values)  # read once: an enum's values are rebuilt per call
LATEST_COMMENTS = 2


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


def _live_comments(group_rule: Q) -> QuerySet[Comment]:
    """Live comments of live posts in the groups `group_rule` lets through (visible_comments,
    searchable_comments)."""
    return Comment.objects.filter(
        group_rule,
        post__deleted_at__isnull=True,
        post__removed_at__isnull=True,
        deleted_at__isnull=True,
        removed_at__isnull=True,
    )


def visible_comments(user) -> QuerySet[Comment]:
    return _live_comments(readable_group_q(user, prefix="post__group"))


def searchable_comments(user) -> QuerySet[Comment]:
    """Exactly visible_comments(user), with the group rule as a subquery of readable group
    ids (see searchable_posts)."""
    return _live_comments(readable_group_id_q(user, field="post__group_id"))


def get_visible_comment(user, comment_id) -> Comment:
    try:
        return visible_comments(user).select_related("post__group").get(pk=comment_id)
    except (Comment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such comment.") from exc


def home_feed(user) -> QuerySet[Post]:
    """Posts from my groups and All company, and from people and topics I follow.

    Built on searchable_posts (the visibility rule with the readable groups as a subquery of
    ids), for search's reason: a page walks the date index and stops at its LIMIT, and the
    groups table joined to every row it read made the page query about 0.06 ms slower at a
    million posts (bench/feed.py's data: median 0.71 -> 0.65 ms a run, prepared)."""
    followed_people = PersonFollow.objects.filter(follower_id=user.pk).values("followee_id")
    followed_topics = TopicFollow.objects.filter(user_id=user.pk).values("topic_id")
    # Conditions on feeds_post.group_id filter inside the index scan; one on the joined
    # group (group__kind) is checked only after the join, row by row (10x slower at 1M).
    return searchable_posts(user).filter(
        Q(group_id__in=feed_group_ids(user))
        | Q(author_id__in=followed_people)
        | Q(
            id__in=Post.topics.through.objects.filter(topic_id__in=followed_topics).values(
                "post_id"
            )
        )
    )


@dataclass(slots=True)
class FeedRow:
    """A post of a page of the home feed: what orders it and names its card, and what of it
    is the reader's own: reactions, save (feeds.cards.card_texts)."""

    id: int
    created_at: datetime.datetime
    version: int
    shared_post_id: int | None
    my_reactions: set[str]
    saved: bool
    shared_original: Post | None = None  # attach_shared_originals

    @property
    def pk(self) -> int:
        return self.id


def home_feed_page(user, *, after: list | None, size: int) -> list[FeedRow]:
    """home_feed(user) after the FEED_ORDER values `after`: size + 1 rows (core.pagination's
    page_query and page_of), each with the user's own reactions and save, in one query.

    Compiling this query costs the ORM several times what PostgreSQL spends running it, so it
    is compiled once per process and shape (core.compiled): the form of the visibility rule
    (groups.selectors.readable_shape), whether there is a cursor, and the size; the user's
    id and the cursor's values are its parameters. The rule itself is home_feed's."""
    readable = readable_shape(user)
    if readable == "nothing":  # the SQL of "no group" is no query at all
        return []
    shape = ("feeds.home_feed_page", readable, after is not None, size)
    values = {"viewer": user.pk}
    if after is not None:
        values |= {"after_time": after[0], "after_id": after[1]}

    def build(viewer, after_time=None, after_id=None):
        marked = copy.copy(user)  # its roles were cached by readable_shape
        marked.pk = viewer
        mine = {
            f"mine_{kind}": Exists(
                Reaction.objects.filter(post_id=OuterRef("pk"), user_id=viewer, kind=kind)
            )
            for kind in REACTION_KINDS
        }
        saved = Exists(SavedPost.objects.filter(post_id=OuterRef("pk"), user_id=viewer))
        posts = home_feed(marked).values(
            "id", "created_at", "version", "shared_post_id", **mine, mine_saved=saved
        )
        return page_query(
            posts,
            ordering=FEED_ORDER,
            after=None if after_time is None else [after_time, after_id],
            size=size,
        )

    return [
        FeedRow(
            id=row["id"],
            created_at=row["created_at"],
            version=row["version"],
            shared_post_id=row["shared_post_id"],
            my_reactions={kind for kind in REACTION_KINDS if row[f"mine_{kind}"]},
            saved=row["mine_saved"],
        )
        for row in compiled.run(shape, build, values)
    ]


def group_feed(user, group: Group) -> QuerySet[Post]:
    return visible_posts(user).filter(group=group)


def topic_feed(user, topic: Topic) -> QuerySet[Post]:
    return visible_posts(user).filter(
        id__in=Post.topics.through.objects.filter(topic=topic).values("post_id")
    )


def person_feed(user, author) -> QuerySet[Post]:
    return visible_posts(user).filter(author=author)


def pinned_posts(user, group: Group) -> list[Post]:
    return decorate_posts(
        list(group_feed(user, group).filter(pinned_at__isnull=False).order_by("-pinned_at")[:3]),
        viewer=user,
    )


def get_topic(name: str) -> Topic:
    try:
        return Topic.objects.get(name=name.lower())
    except Topic.DoesNotExist as exc:
        raise Http404("No such topic.") from exc


def follows_topic(user, topic: Topic) -> bool:
    return TopicFollow.objects.filter(user_id=user.pk, topic=topic).exists()


def follows_person(user, other) -> bool:
    return PersonFollow.objects.filter(follower_id=user.pk, followee=other).exists()


def popular_topics(user, limit: int = 12) -> list[Topic]:
    """Topics of posts the user may read, by number of such posts."""
    return list(
        Topic.objects.filter(posts__in=visible_posts(user))
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")[:limit]
    )


def suggest_topics(*, viewer, prefix: str, limit: int = 8) -> list[Topic]:
    """Existing topics starting with `prefix`, for the composer's "#" autocomplete: only
    topics with a post `viewer` may read (a secret group's topic names stay secret, as on
    get_readable_topic), most used first. One query."""
    prefix = prefix.strip().lstrip("#").lower()
    if not prefix:
        return []
    return list(
        Topic.objects.filter(name__startswith=prefix, posts__in=visible_posts(viewer))
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")[:limit]
    )


def decorate_posts(posts: list[Post], *, viewer) -> list[Post]:
    """Attach what a feed shows of each post, in a constant number of queries whatever the
    number of posts, comments and reactions:

    - `latest_comments` (the last two, oldest first, authors loaded);
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
    decorate_for_everyone(posts)
    attach_my_reactions(posts, viewer=viewer)
    attach_shared_originals(posts, viewer=viewer)
    extensions.decorate(posts, viewer=viewer)
    return posts


def decorate_for_everyone(posts: list[Post]) -> list[Post]:
    """The part of decorate_posts that is the same for every reader of the posts."""
    if not posts:
        return posts
    ids = [p.pk for p in posts]
    latest_by_post: dict[int, list[Comment]] = defaultdict(list)
    for comment in _latest_comments(ids):
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

    On PostgreSQL: a UNION ALL of one small index scan per post (comment_by_post, read
    backwards), so a post with thousands of comments costs what a post with two does. A
    window function would rank every comment of every post on the page first; it is the
    portable form, used where compound statements cannot hold a LIMIT (SQLite).
    """
    live = Comment.objects.filter(deleted_at__isnull=True, removed_at__isnull=True)
    if connection.features.supports_slicing_ordering_in_compound and len(post_ids) > 1:
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


def get_readable_topic(user, name: str) -> Topic:
    """A topic with at least one post `user` may read. Unknown topics and topics written
    only where `user` cannot read answer alike (404), so a secret group's #topic names
    stay secret."""
    topic = get_topic(name)
    if not topic_feed(user, topic).exists():
        raise Http404("No such topic.")
    return topic


# --- Saved posts, drafts, praise --------------------------------------------------------


def saved_entries(user) -> QuerySet[SavedPost]:
    """`user`'s saves of posts they may read now, newest save first: a post that became
    unreadable (membership ended, group made secret, post removed or deleted) is left out
    here, through visible_posts, not deleted."""
    return SavedPost.objects.filter(user_id=user.pk, post__in=visible_posts(user)).order_by(
        *FEED_ORDER
    )


def is_saved(user, post: Post) -> bool:
    return SavedPost.objects.filter(user_id=user.pk, post=post).exists()


OPEN_DRAFT_STATES = (Draft.State.DRAFT, Draft.State.SCHEDULED, Draft.State.FAILED)


def drafts_of(user) -> QuerySet[Draft]:
    """`user`'s unpublished drafts (kept, scheduled, or not published and why), most
    recently changed first; each with its group."""
    return (
        Draft.objects.filter(author_id=user.pk, state__in=OPEN_DRAFT_STATES)
        .select_related("group")
        .order_by("-updated_at", "-id")
    )


def get_own_draft(user, draft_id) -> Draft:
    """A draft of `user`'s not published yet; 404 alike for missing and someone else's."""
    try:
        return drafts_of(user).get(pk=draft_id)
    except (Draft.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such draft.") from exc


def praise_received(viewer, person) -> QuerySet[Post]:
    """Praise of `person` that `viewer` may read, newest first."""
    return visible_posts(viewer).filter(
        kind=Post.Kind.PRAISE,
        id__in=Post.praised.through.objects.filter(user_id=person.pk).values("post_id"),
    )


def praise_summary(viewer, person, *, latest: int = 5) -> dict:
    """What a profile shows of the praise `person` received, as `viewer` may read it: the
    count per badge and the latest few, with author and group. Two queries."""
    found = praise_received(viewer, person)
    counts = dict(
        found.order_by().values_list("badge").annotate(n=Count("id")).values_list("badge", "n")
    )
    recent = list(for_display(found).order_by(*FEED_ORDER)[:latest])
    return {"counts": counts, "total": sum(counts.values()), "recent": recent}


def profile_praise(viewer, profile) -> dict:
    """The "Praise received" section of a profile (core.sections, page "profile")."""
    from .models import BADGE_EMOJI, Badge

    summary = praise_summary(viewer, profile.user)
    summary["badges"] = [
        {"label": Badge(value).label, "emoji": BADGE_EMOJI[value], "count": n}
        for value, n in summary["counts"].items()
        if value in Badge.values
    ]
    summary["person"] = profile
    summary["template"] = "feeds/_profile_praise.html"
    return summary
