"""The feeds: home (my groups and All company, and the people and topics I follow; its page
one query compiled once per process), a group's, a topic's and a person's, a group's pinned
posts, and whether a reader follows a topic or a person."""

import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from core import compiled
from core.pagination import page_query
from groups.models import Group
from groups.selectors import in_feed_groups, readable_shape, with_viewer_id
from people.authentication import TokenRead

from ..models import PersonFollow, Post, Reaction, SavedPost, Topic, TopicFollow
from .display import decorate_posts
from .visibility import searchable_posts, visible_posts

FEED_ORDER = ("-created_at", "-id")
FEED_TYPES = (datetime.datetime, int)  # the Python types of FEED_ORDER's values, for cursors
REACTION_KINDS = tuple(Reaction.Kind.values)  # read once: an enum's values are rebuilt per call


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
        in_feed_groups(user)
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


def home_feed_page(
    user, *, after: list | None, size: int, read: list[tuple] | None = None
) -> list[FeedRow]:
    """home_feed(user) after the FEED_ORDER values `after`: size + 1 rows (core.pagination's
    page_query and page_of), each with the user's own reactions and save, in one query.

    Compiling this query costs the ORM several times what PostgreSQL spends running it, so it
    is compiled once per process and shape (core.compiled): the form of the visibility rule
    (groups.selectors.readable_shape), whether there is a cursor, and the size; the user's
    id and the cursor's values are its parameters. The rule itself is home_feed's.

    `read`: the rows home_feed_page_read's query gave with the API token's account, used
    when that account is of the shape the read was built for (an admin's is read again)."""
    readable = readable_shape(user)
    if readable == "nothing":  # the SQL of "no group" is no query at all
        return []
    if read is not None and readable == _READ_SHAPE:
        # The statement gave them in no promised order: FEED_ORDER, newest first.
        rows = sorted(read, key=lambda row: (row[1], row[0]), reverse=True)
    else:
        values = {"viewer": user.pk}
        if after is not None:
            values |= {"after_time": after[0], "after_id": after[1]}
        shape = ("feeds.home_feed_page", readable, after is not None, size)
        rows = compiled.run_tuples(shape, _page_build(user, size), values, columns=_PAGE_COLUMNS)
    # Most posts of a page carry none of the reader's reactions.
    return [
        FeedRow(id_, created_at, version, shared_id, _mine(mine) if any(mine) else set(), saved)
        for id_, created_at, version, shared_id, *mine, saved in rows
    ]


# The shape of the reader home_feed_page_read's query is built for: an account with no role
# (an admin reads every group, with a query of another form).
_READ_SHAPE = "member"


def home_feed_page_read(*, after: list | None, size: int) -> TokenRead:
    """home_feed_page's query as a read made with the API token's own
    (people.authentication.TokenRead): the reader's id comes from the token's row, in the
    same statement. Built for an account with no role; home_feed_page(read=...) uses its rows
    only for such an account."""
    values = {"viewer": 0}
    if after is not None:
        values |= {"after_time": after[0], "after_id": after[1]}
    shape = ("feeds.home_feed_page", _READ_SHAPE, after is not None, size)
    return TokenRead(shape, _page_build(_roleless_reader(), size), values, "viewer", _PAGE_COLUMNS)


@functools.cache
def _roleless_reader():
    """An active account with no role, whose id the query's marker stands for."""
    reader = get_user_model()(is_active=True)
    reader._role_names = frozenset()
    return reader


def _page_build(user, size: int):
    """home_feed_page's query for `user`'s shape, with markers for the reader's id and the
    cursor's values (core.compiled)."""

    def build(viewer, after_time=None, after_id=None):
        marked = with_viewer_id(user, viewer)
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

    return build


# home_feed_page's columns, in the order .values() gives them.
_PAGE_COLUMNS = (
    "id",
    "created_at",
    "version",
    "shared_post_id",
    *(f"mine_{kind}" for kind in REACTION_KINDS),
    "mine_saved",
)


def _mine(flags) -> set[str]:
    return {kind for kind, on in zip(REACTION_KINDS, flags, strict=True) if on}


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


def follows_topic(user, topic: Topic) -> bool:
    return TopicFollow.objects.filter(user_id=user.pk, topic=topic).exists()


def follows_person(user, other) -> bool:
    return PersonFollow.objects.filter(follower_id=user.pk, followee=other).exists()
