"""A post's page: its comments and their replies, its earlier texts, a removed post shown to
its author, and its attachments."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404

from core import bulk
from core.models import BulkJob
from core.pagination import (
    KeysetPage,
    decode_cursor,
    encode_cursor,
    first_pages,
    page_of,
    page_query,
    paginate_keyset,
)
from groups.models import Group

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


def _window(queryset, *, size: int, before=None, after=None, anchor=None) -> Window:
    """The stretch of `queryset` that starts at `anchor`, ends just before `before`, starts
    just after `after` (decoded cursors), or else the latest `size` rows. A stretch with
    nothing in it (its rows deleted since the link was made), or one from an anchor among the
    latest rows, is the latest stretch. Each way reads along the (post, created_at, id) or
    parent index: a thread of thousands costs what a short one costs."""
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
        rows = list(page_query(queryset, ordering=ASC, after=after, size=size))
        if rows:
            page = page_of(rows, ordering=ASC, size=size)
            return Window(
                page.items, earlier=encode_cursor(_key(page.items[0])), later=page.next_cursor
            )
    elif before is not None:
        rows = list(page_query(queryset, ordering=DESC, after=before, size=size))
        if rows:
            page = page_of(rows, ordering=DESC, size=size)
            items = page.items[::-1]
            return Window(items, earlier=page.next_cursor, later=encode_cursor(_key(items[-1])))
    page = page_of(
        list(page_query(queryset, ordering=DESC, after=None, size=size)), ordering=DESC, size=size
    )
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
    live = visible_comments_of(user, post).select_related("author__profile")
    heads = thread_heads(user, post).select_related("author__profile")
    target = head = None
    if comment is not None:
        target = live.filter(pk=comment).first()
        if target is not None:
            head = heads.filter(pk=target.parent_id).first() if target.parent_id else target
    window = _window(heads, size=THREAD_PAGE, before=before, after=after, anchor=head)
    others = [c.pk for c in window.items if head is None or c.pk != head.pk]
    latest = first_pages(
        live.filter(parent_id__in=others), partition="parent_id", ordering=DESC, size=REPLY_PAGE
    )
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
