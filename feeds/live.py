"""What the live socket says about posts, comments and reactions, built once per event.

Services call these inside their transaction; core.events sends after commit, to the
post's group audience (`group.<id>`), which only sockets whose user may read the group join.

Why rendered HTML and not "id, then every client fetches the card": a post in All company
reaches every open tab at once, and a thousand tabs fetching the same card is a thousand
renders and a thousand queries chains in the same second. So the card is rendered ONCE,
after commit, for no viewer in particular: no post menu (edit/remove/report depend on who
looks), every reaction button unpressed (nobody has reacted to a new post), and no CSRF token
(static/js/live.js adds the page's own to the forms it inserts). The viewer-specific parts
come with the next HTTP render of the card, as they always did. Edits carry the new
sanitized body only; reactions carry counts only; removals carry ids only (a removed post's
text must not travel, SECURITY.md leak class 1).
"""

import warnings

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from core import events

from .models import REACTION_EMOJI, Comment, Post, Reaction


def _shared_card(post_id: int) -> dict | None:
    from . import selectors

    post = selectors.for_display(
        Post.objects.filter(pk=post_id, deleted_at__isnull=True, removed_at__isnull=True)
    ).first()
    if post is None:  # gone again before its event left
        return None
    selectors.decorate_posts([post], viewer=AnonymousUser())
    post.reaction_buttons = [
        {
            "kind": kind,
            "emoji": emoji,
            "label": Reaction.Kind(kind).label,
            "count": post.reaction_counts.get(kind, 0),
            "mine": False,
        }
        for kind, emoji in REACTION_EMOJI.items()
    ]
    with warnings.catch_warnings():
        # No CSRF token on purpose (each page adds its own); DEBUG would warn about it.
        warnings.simplefilter("ignore")
        html = render_to_string(
            "feeds/_post_card.html", {"post": post, "show_group": True, "live": True}
        )
    return {
        "post": post.pk,
        "group": post.group_id,
        "author": post.author.username,
        "html": html,
    }


def post_created(post: Post) -> None:
    events.publish(
        audience=events.group_audience(post.group_id),
        event_type="post.created",
        payload=lambda: _shared_card(post.pk),
    )


def post_edited(post: Post) -> None:
    def payload():
        row = (
            Post.objects.filter(pk=post.pk, deleted_at__isnull=True, removed_at__isnull=True)
            .values("body_html", "edited_at")
            .first()
        )
        if row is None:
            return None
        return {"post": post.pk, "group": post.group_id, "body_html": row["body_html"]}

    events.publish(
        audience=events.group_audience(post.group_id), event_type="post.edited", payload=payload
    )


def post_removed(post: Post) -> None:
    """Deleted by its author or removed by a moderator: ids only, gone for everyone."""
    events.publish(
        audience=events.group_audience(post.group_id),
        event_type="post.removed",
        payload={"post": post.pk, "group": post.group_id},
    )


def comment_created(comment: Comment) -> None:
    post = comment.post

    def payload():
        found = (
            Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True, removed_at__isnull=True)
            .select_related("author__profile", "post")
            .first()
        )
        if found is None:
            return None
        # _comment.html without `thread`: no per-viewer tools (delete, report, remove).
        html = render_to_string("feeds/_comment.html", {"c": found, "post": found.post})
        return {
            "post": post.pk,
            "group": post.group_id,
            "comment": found.pk,
            "parent": found.parent_id,
            "comment_count": found.post.comment_count,  # the post's counter, read after commit
            "html": html,
        }

    events.publish(
        audience=events.group_audience(post.group_id),
        event_type="comment.created",
        payload=payload,
    )


def comment_removed(comment: Comment) -> None:
    post = comment.post
    events.publish(
        audience=events.group_audience(post.group_id),
        event_type="comment.removed",
        payload={"post": post.pk, "group": post.group_id, "comment": comment.pk},
    )


def reactions_changed(post: Post) -> None:
    """Counts only: who reacted, and whether it was me, is not the audience's to know."""

    def payload():
        # The post's own counters (feeds.services.record_card_change), read after commit.
        fresh = Post.objects.filter(pk=post.pk).first()
        counts = fresh.reaction_counts if fresh is not None else {}
        return {
            "post": post.pk,
            "group": post.group_id,
            "counts": {kind: counts.get(kind, 0) for kind in REACTION_EMOJI},
        }

    events.publish(
        audience=events.group_audience(post.group_id),
        event_type="reactions.changed",
        payload=payload,
    )
