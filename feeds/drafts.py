"""Drafts and scheduled posts, kept on the server: `verb_noun(*, actor, ...)`.

A draft is text (and, when chosen, a group and kind) its author keeps for later; scheduled,
the clock publishes it at `publish_at` (publish_due_posts, every FEEDS_SCHEDULE_CHECK_SECONDS
from the beat schedule). Publishing goes through feeds.services.create_post, so every rule
of posting is checked again at that moment; a refusal leaves the draft `failed` with the
reason, and its author is told. (The composer's unsent text in the browser, static/js/
composer.js, is another thing: it never leaves the device.)
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from groups import selectors as groups
from groups.models import Group

from . import notifications, services
from .models import MAX_POST_LENGTH, Draft, Post

MAX_SCHEDULE_AHEAD = dt.timedelta(days=365)
DRAFT_KINDS = (Post.Kind.UPDATE, Post.Kind.QUESTION, Post.Kind.ANNOUNCEMENT)
_KEEP = object()


def _check_kind(kind: str) -> str:
    if kind not in DRAFT_KINDS:
        raise ApplicationError("Choose an update, a question or an announcement.", field="kind")
    return kind


def _check_group(actor, group: Group | None) -> None:
    if group is not None and not groups.can_read(actor, group):
        raise ApplicationError("Choose a group you belong to.", field="group")


def save_draft(
    *,
    actor,
    body: str,
    group: Group | None = None,
    kind: str = Post.Kind.UPDATE,
    publish_at: dt.datetime | None = None,
) -> Draft:
    """Keep the text as a new draft, scheduled for `publish_at` when given (checked as
    schedule_draft checks it). `group` comes from a selector that lists groups to `actor`;
    it must be one they may read."""
    body = services.clean_body(body, limit=MAX_POST_LENGTH)
    _check_kind(kind)
    _check_group(actor, group)
    draft = Draft(author=actor, group=group, kind=kind, body=body)
    if publish_at is not None:
        _check_schedulable(actor, draft, publish_at)
        draft.state, draft.publish_at = Draft.State.SCHEDULED, publish_at
    draft.save()
    return draft


def _check_own(actor, draft: Draft) -> None:
    if draft.author_id != actor.pk:
        raise ApplicationError("No such draft.", status=404)
    if draft.state == Draft.State.PUBLISHED:
        raise ApplicationError("This draft is published already.", status=409)


def update_draft(*, actor, draft: Draft, body: str, group=_KEEP, kind: str | None = None) -> Draft:
    """Change a draft's text (and group, kind). A scheduled draft keeps its time, and the
    new group is checked as scheduling checks it; a failed one becomes a draft again."""
    _check_own(actor, draft)
    draft.body = services.clean_body(body, limit=MAX_POST_LENGTH)
    if kind is not None:
        draft.kind = _check_kind(kind)
    if group is not _KEEP:
        _check_group(actor, group)
        draft.group = group
    with transaction.atomic():
        if draft.state == Draft.State.SCHEDULED:
            _check_schedulable(actor, draft, draft.publish_at)
        elif draft.state == Draft.State.FAILED:
            draft.state, draft.failure = Draft.State.DRAFT, ""
        draft.save()
    return draft


def _check_schedulable(actor, draft: Draft, publish_at) -> None:
    if draft.group_id is None:
        raise ApplicationError("Choose where to post before scheduling.", field="group")
    if publish_at is None:
        raise ApplicationError("Choose when to publish it.", field="publish_at")
    now = timezone.now()
    if publish_at <= now:
        raise ApplicationError("Choose a time in the future.", field="publish_at")
    if publish_at > now + MAX_SCHEDULE_AHEAD:
        raise ApplicationError("Schedule at most a year ahead.", field="publish_at")
    membership = services.check_can_start_post(actor, draft.group, draft.kind)
    draft.was_member = membership is not None


def schedule_draft(*, actor, draft: Draft, publish_at: dt.datetime) -> Draft:
    """Publish the draft at `publish_at` (checked now, and again when it goes)."""
    _check_own(actor, draft)
    _check_schedulable(actor, draft, publish_at)
    draft.state, draft.publish_at, draft.failure = Draft.State.SCHEDULED, publish_at, ""
    draft.save(update_fields=["state", "publish_at", "failure", "was_member", "updated_at"])
    return draft


def unschedule_draft(*, actor, draft: Draft) -> Draft:
    """Cancel the schedule: the text stays, as a draft."""
    _check_own(actor, draft)
    draft.state, draft.publish_at = Draft.State.DRAFT, None
    draft.save(update_fields=["state", "publish_at", "updated_at"])
    return draft


def delete_draft(*, actor, draft: Draft) -> None:
    _check_own(actor, draft)
    draft.delete()


def publish_draft(*, actor, draft: Draft) -> Post:
    """Publish now (ApplicationError, and nothing written, if it may not go there)."""
    _check_own(actor, draft)
    if draft.group_id is None:
        raise ApplicationError("Choose where to post first.", field="group")
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.state == Draft.State.PUBLISHED:
            raise ApplicationError("This draft is published already.", status=409)
        post = services.create_post(
            actor=actor, group=draft.group, body=draft.body, kind=draft.kind
        )
        Draft.objects.filter(pk=draft.pk).update(
            state=Draft.State.PUBLISHED, post=post, updated_at=timezone.now()
        )
    return post


def publish_due_posts(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled draft whose time has come; returns how many went out.

    Each in its own transaction, its row locked (skip_locked: two clocks never publish one
    twice, and a redelivered task finds it published). A draft its author may no longer
    publish there (account deactivated, left the group, muted, the policy gate...) becomes
    `failed` with the reason, and they are told."""
    now = now or timezone.now()
    due = list(
        Draft.objects.filter(state=Draft.State.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("id", flat=True)[:500]
    )
    published = 0
    for draft_id in due:
        published += _publish_scheduled(draft_id)
    return published


def _publish_scheduled(draft_id: int) -> int:
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("author", "group")
            .filter(pk=draft_id, state=Draft.State.SCHEDULED)
            .first()
        )
        if draft is None:
            return 0
        author, group = draft.author, draft.group
        reason = ""
        if not author.is_active:
            reason = "the account is deactivated."
        elif draft.was_member and groups.membership_of(author, group) is None:
            reason = f"you are no longer a member of {group.name}."
        else:
            try:
                with transaction.atomic():
                    post = services.create_post(
                        actor=author, group=group, body=draft.body, kind=draft.kind
                    )
            except ApplicationError as exc:
                reason = exc.message
        if reason:
            draft.state, draft.failure = Draft.State.FAILED, reason[:300]
            draft.save(update_fields=["state", "failure", "updated_at"])
            if author.is_active:
                notifications.scheduled_post_failed(draft=draft)
            return 0
        draft.state, draft.post = Draft.State.PUBLISHED, post
        draft.save(update_fields=["state", "post", "updated_at"])
        return 1
