"""The text of posts and comments: cleaned, rendered (Markdown, @mentions showing each
person's name, #topics, the one sanitizer), previewed, and rendered again when names change."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from core.errors import ApplicationError
from core.markdown import find_mentions, find_topics, render_markdown
from people.models import people_url

from ..models import Comment, Post, Topic

User = get_user_model()


def clean_body(body: str, *, limit: int, field: str = "body") -> str:
    if not isinstance(body, str):
        raise ApplicationError("Write some text.", field=field)
    body = body.replace("\x00", "").strip()
    if not body:
        raise ApplicationError("Write something first.", field=field)
    if len(body) > limit:
        raise ApplicationError(
            f"Keep it under {limit:,} characters (this is {len(body):,}).", field=field
        )
    return body


def _render(body: str, viewer_names: list[str]) -> tuple[str, list]:
    """HTML for `body`, and the users it mentions (existing, active accounts only)."""
    mentioned = list(
        User.objects.filter(username__in=viewer_names, is_active=True).select_related("profile")
    )
    people = {u.username: (f"{people_url()}{u.username}/", _display_name(u)) for u in mentioned}
    html = render_markdown(
        body, mentions=people, topic_url=lambda name: reverse("feeds:topic", args=[name])
    )
    return html, mentioned


def rerender_mentions(*, batch_size: int = 500) -> int:
    """Render again the stored HTML of posts and comments that mention someone, so their
    mentions show each person's current name (posts written before mentions showed names,
    or after someone's name changed). Changes no mention rows and notifies nobody; the
    cards of changed posts are marked changed. Safe to run again. Returns how many rows
    changed. Two queries per batch, plus the writes."""
    changed = 0
    for model in (Post, Comment):
        rows = model.objects.filter(body__contains="@").only("pk", "body", "body_html")
        batch: list = []
        for row in rows.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(row)
            if len(batch) == batch_size:
                changed += _rerender_batch(model, batch)
                batch = []
        if batch:
            changed += _rerender_batch(model, batch)
    return changed


def _rerender_batch(model, rows: list) -> int:
    names = {name for row in rows for name in find_mentions(row.body)}
    users = User.objects.filter(username__in=names, is_active=True).select_related("profile")
    people = {u.username: (f"{people_url()}{u.username}/", _display_name(u)) for u in users}
    dirty = []
    for row in rows:
        html = render_markdown(
            row.body, mentions=people, topic_url=lambda name: reverse("feeds:topic", args=[name])
        )
        if html != row.body_html:
            row.body_html = html
            dirty.append(row)
    if dirty:
        with transaction.atomic():
            model.objects.bulk_update(dirty, ["body_html"])
            post_ids = [r.pk for r in dirty] if model is Post else []
            if model is Comment:
                post_ids = list(
                    Comment.objects.filter(pk__in=[r.pk for r in dirty]).values_list(
                        "post_id", flat=True
                    )
                )
            Post.objects.filter(pk__in=post_ids).update(version=F("version") + 1)
    return len(dirty)


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.username


def render_body(*, body: str) -> str:
    """The HTML a post or comment with `body` would show (the composer's preview): the same
    renderer, mentions and sanitizer as publishing, nothing written."""
    return _render(body or "", find_mentions(body or ""))[0]


def _topics(body: str) -> list[Topic]:
    names = find_topics(body)
    if not names:
        return []
    Topic.objects.bulk_create([Topic(name=n) for n in names], ignore_conflicts=True)
    return list(Topic.objects.filter(name__in=names))
