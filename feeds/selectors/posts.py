"""A post's page: its comments and their replies, its earlier texts, a removed post shown to
its author, and its attachments."""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404

from core import bulk, compiled
from core.models import BulkJob
from core.pagination import (
    KeysetPage,
    decode_cursor,
    encode_cursor,
    first_pages_of,
    first_pages_query,
    page_of,
    page_query,
    paginate_keyset,
)
from groups.models import Group
from groups.selectors import readable_shape, with_viewer_id
from people.models import Profile
from people.selectors import cache_own_profile

from ..models import Comment, Post
from .visibility import get_visible_post, thread_heads, visible_comments_of

THREAD_PAGE = 50  # the threads (top-level comments) on one page of a post's comments
REPLY_PAGE = 10  # the replies shown under each thread, the latest

ASC = ("created_at", "id")
DESC = ("-created_at", "-id")
ORDER_TYPES = (dt.datetime, int)


@dataclass
class Window:
    """A stretch of comments in time order, oldest first, and the cursors of the stretches
    before and after it (None where nothing is there): `?before=` and `?after=` on the post's
    page, or `?comment=<thread>&replies_before=` and `replies_after=` for one thread's
    replies."""

    items: list
    earlier: str | None = None
    later: str | None = None


def _key(comment) -> list:
    return [comment.created_at, comment.pk]


def _window(queryset, *, size: int, before=None, after=None, anchor=None, read=None) -> Window:
    """The stretch of `queryset` that starts at `anchor`, ends just before `before`, starts
    just after `after` (decoded cursors), or else the latest `size` rows. A stretch with
    nothing in it (its rows deleted since the link was made), or one from an anchor among the
    latest rows, is the latest stretch. Each way reads along the (post, created_at, id) or
    parent index: a thread of thousands costs what a short one costs.

    `read(ordering, after, size)` reads page_query(queryset, ...)'s rows, when the caller has
    a faster way to (thread_of's compiled threads); the anchor's stretch reads `queryset`."""
    if read is None:

        def read(ordering, after, size):
            return list(page_query(queryset, ordering=ordering, after=after, size=size))

    if anchor is not None:
        rows = list(page_query(queryset, ordering=ASC, after=_key(anchor), size=size - 1))
        if len(rows) >= size:
            items = [anchor, *rows[: size - 1]]
            earlier = page_query(queryset, ordering=DESC, after=_key(anchor), size=0)
            return Window(
                items,
                earlier=encode_cursor(_key(anchor)) if earlier.exists() else None,
                later=encode_cursor(_key(items[-1])),
            )
    elif after is not None:
        rows = read(ASC, after, size)
        if rows:
            page = page_of(rows, ordering=ASC, size=size)
            return Window(
                page.items, earlier=encode_cursor(_key(page.items[0])), later=page.next_cursor
            )
    elif before is not None:
        rows = read(DESC, before, size)
        if rows:
            page = page_of(rows, ordering=DESC, size=size)
            items = page.items[::-1]
            return Window(items, earlier=page.next_cursor, later=encode_cursor(_key(items[-1])))
    page = page_of(read(DESC, None, size), ordering=DESC, size=size)
    return Window(page.items[::-1], earlier=page.next_cursor)


def _cursor(raw: str | None):
    return decode_cursor(raw, ordering=ASC, types=ORDER_TYPES) if raw else None


def thread_of(
    user,
    post: Post,
    *,
    before: str | None = None,
    after: str | None = None,
    comment: int | None = None,
    replies_before: str | None = None,
    replies_after: str | None = None,
) -> Window:
    """A page of `post`'s comments for its page: THREAD_PAGE threads, each a top-level
    comment with its latest REPLY_PAGE replies in `reply_window` (a Window).

    Without a cursor, the latest threads. `comment` (a link to a comment: notifications,
    search, moderation) opens the page at its thread and, for a reply, the thread's replies
    at it; `replies_before` / `replies_after` page that thread's replies. A comment the reader
    cannot see, or no longer there, opens the latest page. Raises InvalidCursor for a cursor
    this page did not make. `post` comes from get_visible_post: the caller checked it.

    A thread whose comment was deleted or removed stays while live replies hang from it,
    under a placeholder that carries nothing of the gone comment but its place."""
    before, after = _cursor(before), _cursor(after)
    replies_before, replies_after = _cursor(replies_before), _cursor(replies_after)
    target = head = live = heads = None
    if comment is not None:  # the ORM's querysets: only a stretch from a linked comment
        live = visible_comments_of(user, post).select_related("author__profile")
        heads = thread_heads(user, post).select_related("author__profile")
        target = live.filter(pk=comment).first()
        if target is not None:
            head = heads.filter(pk=target.parent_id).first() if target.parent_id else target
    window = _window(
        heads,
        size=THREAD_PAGE,
        before=before,
        after=after,
        anchor=head,
        read=lambda ordering, after, size: _heads_page(user, post, ordering, after, size),
    )
    others = [c.pk for c in window.items if head is None or c.pk != head.pk]
    latest = _latest_replies(user, post, others)
    for item in window.items:
        if head is not None and item.pk == head.pk:
            item.reply_window = _window(
                live.filter(parent_id=head.pk),
                size=REPLY_PAGE,
                before=replies_before,
                after=replies_after,
                anchor=target if target.parent_id else None,
            )
        else:
            page = latest.get(item.pk)
            item.reply_window = (
                Window(page.items[::-1], earlier=page.next_cursor) if page else Window([])
            )
        item.reply_list = item.reply_window.items
        _placeholder(item)
    return window


# A post's page reads its threads and their latest replies with the comments' authors and
# their profiles, as select_related("author__profile") would: compiled once per process and
# shape (core.compiled), as the home feed's page is. Building and compiling these two
# querysets (the visibility rule's EXISTS, the placeholder's EXISTS, a window function) cost
# the ORM about 16 of the 21 ms of Python that reading the threads of the bench's busiest
# post took (bench/feed.py), against 2 ms for PostgreSQL to plan and run them.
PROFILE_PREFIX = "author__profile__"


@functools.cache
def _comment_columns() -> tuple[str, ...]:
    """The .values() names of a comment, its author and the author's profile."""
    return (
        *compiled.related_fields(Comment, ("author",)),
        *(f"{PROFILE_PREFIX}{field.attname}" for field in Profile._meta.concrete_fields),
    )


@functools.cache
def _profile_keys() -> tuple[tuple[str, str], ...]:
    """(row key, profile field) for the profile's part of _comment_columns()."""
    return tuple(
        (key, key.removeprefix(PROFILE_PREFIX))
        for key in _comment_columns()
        if key.startswith(PROFILE_PREFIX)
    )


def _comment_of(row: dict) -> Comment:
    """A row of _comment_columns() as a comment, its author and the author's profile loaded
    (None when the author has none)."""
    own = {name: row.pop(key) for key, name in _profile_keys()}
    comment = compiled.loaded(Comment, row, related=("author",))
    cache_own_profile(comment.author, compiled.instance(Profile, own) if own["id"] else None)
    return comment


def _reader_values(user, post: Post) -> tuple[str, dict]:
    """The shape of `user`'s visibility rule (groups.selectors.readable_shape) and the values
    of a query of `post`'s comments compiled for it: the post, and the reader's id when the
    rule names it."""
    readable = readable_shape(user)
    values = {"post_id": post.pk}
    if readable == "member":
        values["viewer"] = user.pk
    return readable, values


def _heads_page(user, post: Post, ordering, after, size: int) -> list[Comment]:
    """page_query(thread_heads(user, post), ...)'s rows, as select_related("author__profile")
    loads them (see _comment_columns)."""
    readable, values = _reader_values(user, post)
    if readable == "nothing":
        return []
    if after is not None:
        values |= {"after_time": after[0], "after_id": after[1]}
    shape = ("feeds.thread_heads", readable, ordering, after is not None, size)

    def build(post_id, viewer=None, after_time=None, after_id=None):
        heads = thread_heads(with_viewer_id(user, viewer), Post(pk=post_id))
        cursor = None if after_time is None else [after_time, after_id]
        return page_query(
            heads.values(*_comment_columns()), ordering=ordering, after=cursor, size=size
        )

    return [_comment_of(row) for row in compiled.run(shape, build, values)]


def _latest_replies(user, post: Post, parents: list[int]) -> dict[int, KeysetPage]:
    """The latest REPLY_PAGE replies of each of the threads `parents` (first_pages over
    visible_comments_of(user, post)), authors and profiles loaded: {thread: KeysetPage}."""
    readable, values = _reader_values(user, post)
    if readable == "nothing" or not parents:
        return {}
    # As many ids as a page has threads, the last repeated: one statement, not one for each
    # number of threads (each a prepared statement of every connection).
    padded = parents + parents[-1:] * (THREAD_PAGE - len(parents))
    values |= {f"parent{i}": pk for i, pk in enumerate(padded)}
    shape = ("feeds.latest_replies", readable, len(padded))

    def build(post_id, viewer=None, **threads):
        live = visible_comments_of(with_viewer_id(user, viewer), Post(pk=post_id))
        return first_pages_query(
            live.filter(parent_id__in=list(threads.values())).values(*_comment_columns()),
            partition="parent_id",
            ordering=DESC,
            size=REPLY_PAGE,
        )

    rows = [_comment_of(row) for row in compiled.run(shape, build, values)]
    return first_pages_of(rows, partition="parent_id", ordering=DESC, size=REPLY_PAGE)


def comments_page(user, post: Post, *, cursor: str | None, size: int) -> KeysetPage:
    """A page of `post`'s threads for the API, oldest first, each with its replies in
    `reply_list` (all of them, oldest first), placeholders as on the post's page."""
    page = paginate_keyset(
        thread_heads(user, post).select_related("author__profile"),
        ordering=ASC,
        types=ORDER_TYPES,
        cursor=cursor,
        size=size,
    )
    replies: dict[int, list[Comment]] = defaultdict(list)
    ids = [c.pk for c in page.items]
    if ids:
        live = visible_comments_of(user, post).filter(parent_id__in=ids)
        for reply in live.select_related("author__profile").order_by(*ASC):
            replies[reply.parent_id].append(reply)
    for item in page.items:
        item.reply_list = replies[item.pk]
        _placeholder(item)
    return page


def _placeholder(head: Comment) -> None:
    """A gone thread head (thread_heads) keeps its place and nothing else: no text and no
    date of edit here, no author in the API (CommentSerializer)."""
    if not head.is_live:
        head.body = head.body_html = ""
        head.edited_at = None


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


# An announcement in All company tells everyone through a bulk job (core.bulk), started by
# feeds.notifications.post_created in the post's transaction, about announcement_subject.
COMPANY_ANNOUNCEMENT_JOB = "feeds.company_announcement"


def announcement_subject(post_id: int) -> str:
    return f"post:{post_id}"


def tells_company(post: Post) -> bool:
    """Whether `post` (its group loaded) is an announcement to the whole company."""
    return post.kind == Post.Kind.ANNOUNCEMENT and post.group.kind == Group.Kind.COMPANY


def announcement_progress(viewer, post: Post) -> BulkJob | None:
    """How far telling the company about `post` got, for its author and admins (one query),
    else None (no query)."""
    if not tells_company(post):
        return None
    return bulk.latest_job_for(
        viewer,
        announcement_subject(post.pk),
        kind=COMPANY_ANNOUNCEMENT_JOB,
        started_by_id=post.author_id,
    )
