"""Every write to notifications and email preferences.

Callers run `notify` (and the `notify_*` helpers for each cause) inside their own
transaction, so a notification exists exactly when its cause does; the badge event and the
email task leave after commit. Nobody is notified about content they cannot read: each
helper keeps only the recipients groups.selectors lets read the group.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import events, markdown
from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError
from groups import selectors as groups
from groups.models import Group, Membership
from people.roles import is_admin

from .models import (
    Delivery,
    EmailSettings,
    GroupMute,
    Notification,
    NotificationPreference,
)

User = get_user_model()

Kind = Notification.Kind
BULK_BATCH = 1000
# A notification's text, in characters (it is also the subject of its email).
TEXT_LENGTH = 300


def _one_line(text: str) -> str:
    """Plain text on one line (it becomes an email subject, where a newline is refused),
    shortened between words."""
    return markdown.shorten(text.replace("\x00", ""), TEXT_LENGTH)


def _badge(recipient_id: int) -> None:
    events.publish(
        audience=events.user_audience(recipient_id),
        event_type="notification.badge",
        payload={},
    )


def _email_on_commit(notification_ids: list[int]) -> None:
    """Enqueue the email task for new rows once the cause is committed."""
    if not notification_ids:
        return
    for start in range(0, len(notification_ids), BULK_BATCH):
        enqueue_on_commit(
            "notifications.email",
            notification_ids[start : start + BULK_BATCH],
        )


def notify(
    *,
    recipient,
    kind: str,
    text: str,
    url: str = "",
    actor=None,
    target_key: str = "",
    group_id: int | None = None,
) -> Notification | None:
    """Tell `recipient` about something. Nobody is notified of their own actions.

    With a `target_key`, an unread notification of the same kind and target is updated
    (one more distinct actor, newest text) instead of adding a row; only a new row emails.
    Expects to run inside the cause's transaction (it locks the row it updates).
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    text = _one_line(text)
    if target_key:
        existing = (
            Notification.objects.select_for_update()
            .filter(recipient=recipient, kind=kind, target_key=target_key, read_at__isnull=True)
            .first()
        )
        if existing is not None:
            ids = list(existing.actor_ids or [])
            if actor is not None and actor.pk not in ids:
                ids.append(actor.pk)
            existing.actor_ids = ids
            existing.actor_count = max(len(ids), 1)
            existing.actor = actor
            existing.text = text
            existing.url = url or existing.url
            existing.save(
                update_fields=["actor", "actor_ids", "actor_count", "text", "url", "updated_at"]
            )
            _badge(recipient.pk)
            return existing
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        actor_ids=[actor.pk] if actor is not None else [],
        text=text,
        url=url,
        target_key=target_key,
        group_id=group_id,
    )
    _badge(recipient.pk)
    _email_on_commit([notification.pk])
    return notification


def notify_group_members(
    *, group: Group, kind: str, text: str, url: str = "", actor=None, target_key: str = ""
) -> int:
    """One notification per current member of `group` but the actor, written in bulk
    (a few queries whatever the group's size); one badge event to the group's audience."""
    recipient_ids = list(
        Membership.objects.filter(group=group, user__is_active=True)
        .exclude(user_id=getattr(actor, "pk", None))
        .values_list("user_id", flat=True)
    )
    actor_ids = [actor.pk] if actor is not None else []
    created: list[int] = []
    for start in range(0, len(recipient_ids), BULK_BATCH):
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=rid,
                    kind=kind,
                    actor=actor,
                    actor_ids=actor_ids,
                    text=_one_line(text),
                    url=url,
                    target_key=target_key,
                    group_id=group.pk,
                )
                for rid in recipient_ids[start : start + BULK_BATCH]
            ]
        )
        created.extend(r.pk for r in rows if r.pk is not None)
    if not created and recipient_ids:  # a backend without RETURNING: read the ids back
        created = list(
            Notification.objects.filter(
                kind=kind, target_key=target_key, recipient_id__in=recipient_ids
            ).values_list("pk", flat=True)
        )
    if recipient_ids:
        # The group's id lets a socket that left the group before this arrived drop it.
        events.publish(
            audience=events.group_audience(group.pk),
            event_type="notification.badge",
            payload={"group": group.pk},
        )
    _email_on_commit(created)
    return len(recipient_ids)


# --- The causes --------------------------------------------------------------------------


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.username


def _readers(group: Group, users: Iterable) -> list:
    """The active `users` who may read `group`'s content (groups.selectors' rule, batched:
    one query for a private group whatever the number of users)."""
    users = [u for u in users if u is not None and u.is_active]
    if group.is_public or not users:
        return users
    member_ids = set(
        Membership.objects.filter(group=group, user__in=users).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk in member_ids or is_admin(u)]


def _excerpt(post, limit: int = 60) -> str:
    """A post as a title shows it: readable text (mentions as names), no syntax, whole
    words."""
    if post.body_html:
        return markdown.shorten(markdown.html_text(post.body_html), limit)
    return markdown.excerpt(post.body, limit)


def notify_post_created(*, post, mentioned: Iterable) -> None:
    """Mentions in a new post, and an announcement to every member of its group."""
    group, actor = post.group, post.author
    notified = {actor.pk}
    for user in _readers(group, mentioned):
        if user.pk in notified:
            continue
        notified.add(user.pk)
        notify(
            recipient=user,
            kind=Kind.MENTION,
            actor=actor,
            text=f"{_name(actor)} mentioned you in a post in {group.name}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
            group_id=group.pk,
        )
    if post.kind == "announcement":
        notify_group_members(
            group=group,
            kind=Kind.ANNOUNCEMENT,
            actor=actor,
            text=f"Announcement in {group.name}: {_excerpt(post)}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
        )


def notify_post_edited(*, post, newly_mentioned: Iterable) -> None:
    """People mentioned for the first time by an edit (an edit never re-announces)."""
    for user in _readers(post.group, newly_mentioned):
        notify(
            recipient=user,
            kind=Kind.MENTION,
            actor=post.author,
            text=f"{_name(post.author)} mentioned you in a post in {post.group.name}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
            group_id=post.group_id,
        )


def notify_comment_created(*, comment, mentioned: Iterable) -> None:
    """One notification per person, the most specific first: mentioned, then the author of
    the comment replied to, then the post's author."""
    post, actor = comment.post, comment.author
    group = post.group
    mentioned = list(mentioned)
    mentioned_ids = {u.pk for u in mentioned}
    url = f"{post.get_absolute_url()}#comment-{comment.pk}"
    parent_author = comment.parent.author if comment.parent_id else None
    candidates = _readers(group, [*mentioned, parent_author, post.author])
    readable = {u.pk for u in candidates}
    notified = {actor.pk}
    for user in candidates:
        if user.pk in notified or user.pk not in mentioned_ids:
            continue
        notified.add(user.pk)
        notify(
            recipient=user,
            kind=Kind.MENTION,
            actor=actor,
            text=f"{_name(actor)} mentioned you in a comment in {group.name}",
            url=url,
            target_key=f"comment:{comment.pk}",
            group_id=group.pk,
        )
    if parent_author is not None and parent_author.pk in readable - notified:
        notified.add(parent_author.pk)
        notify(
            recipient=parent_author,
            kind=Kind.REPLY,
            actor=actor,
            text=f"{_name(actor)} replied to your comment in {group.name}",
            url=url,
            target_key=f"comment:{comment.parent_id}:replies",
            group_id=group.pk,
        )
    if post.author_id in readable - notified:
        notify(
            recipient=post.author,
            kind=Kind.COMMENT,
            actor=actor,
            text=f"{_name(actor)} commented on your post “{_excerpt(post, 40)}”",
            url=url,
            target_key=f"post:{post.pk}:comments",
            group_id=group.pk,
        )


def notify_reaction_added(*, post, actor) -> None:
    if post.author_id == actor.pk or not _readers(post.group, [post.author]):
        return
    notify(
        recipient=post.author,
        kind=Kind.REACTION,
        actor=actor,
        text=f"{_name(actor)} reacted to your post “{_excerpt(post, 40)}”",
        url=post.get_absolute_url(),
        target_key=f"post:{post.pk}:reactions",
        group_id=post.group_id,
    )


def notify_join_requested(*, join_request) -> None:
    """The group's leaders learn that someone asks to join."""
    group, asker = join_request.group, join_request.user
    for membership in groups.leaders(group).select_related("user"):
        notify(
            recipient=membership.user,
            kind=Kind.JOIN_REQUEST,
            actor=asker,
            text=f"{_name(asker)} asked to join {group.name}",
            url=reverse("groups:moderation", args=[group.slug]),
            target_key=f"group:{group.pk}:requests",
            group_id=group.pk,
        )


def notify_request_approved(*, join_request, actor) -> None:
    group = join_request.group
    notify(
        recipient=join_request.user,
        kind=Kind.REQUEST_APPROVED,
        actor=actor,
        text=f"You are now a member of {group.name}",
        url=group.get_absolute_url(),
        target_key=f"group:{group.pk}:approved",
        group_id=group.pk,
    )


def notify_post_removed(*, post, actor, reason: str) -> None:
    """The author learns their post was taken down, and why (they may still open it)."""
    notify(
        recipient=post.author,
        kind=Kind.POST_REMOVED,
        actor=actor,
        text=f"A moderator removed your post in {post.group.name}: {reason}",
        url=post.get_absolute_url(),
        target_key=f"post:{post.pk}:removed",
        group_id=post.group_id,
    )


def notify_comment_removed(*, comment, actor, reason: str) -> None:
    """The author learns their comment was taken down, and why. The text carries the
    group's name and the moderator's reason only: nothing of the comment or its post, which
    the author may no longer be allowed to read."""
    group = comment.post.group
    if not _readers(group, [comment.author]):
        return
    notify(
        recipient=comment.author,
        kind=Kind.COMMENT_REMOVED,
        actor=actor,
        text=f"A moderator removed your comment in {group.name}: {reason}",
        url=comment.post.get_absolute_url(),
        target_key=f"comment:{comment.pk}:removed",
        group_id=group.pk,
    )


def notify_invited(*, membership, actor) -> None:
    """A leader added someone to a group (the only way into a secret one): they learn
    where, since a secret group is otherwise invisible to them."""
    group = membership.group
    notify(
        recipient=membership.user,
        kind=Kind.INVITED,
        actor=actor,
        text=f"{_name(actor)} added you to {group.name}",
        url=group.get_absolute_url(),
        target_key=f"group:{group.pk}:invited",
        group_id=group.pk,
    )


def notify_answer_accepted(*, post, comment, actor) -> None:
    """The author of the comment marked as the answer to a question (if they still read
    the group): the question's excerpt is theirs to read."""
    if not _readers(post.group, [comment.author]):
        return
    notify(
        recipient=comment.author,
        kind=Kind.ANSWER_ACCEPTED,
        actor=actor,
        text=f"{_name(actor)} accepted your answer to “{_excerpt(post, 40)}”",
        url=f"{post.get_absolute_url()}#comment-{comment.pk}",
        target_key=f"comment:{comment.pk}:accepted",
        group_id=post.group_id,
    )


# --- Reading ---------------------------------------------------------------------------


def mark_read(*, actor, notification: Notification) -> None:
    if notification.recipient_id != actor.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    _badge(actor.pk)


def mark_all_read(*, actor) -> int:
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _badge(actor.pk)
    return changed


# --- Email preferences -------------------------------------------------------------------


def set_preferences(*, actor, deliveries: dict[str, str], digest: str | None = None) -> None:
    """Save how `actor` wants email per kind (and their digest rhythm) in one transaction."""
    for kind, delivery in deliveries.items():
        if kind not in Kind.values:
            raise ApplicationError("Choose a kind of notification.", field=kind or "kind")
        if delivery not in Delivery.values:
            raise ApplicationError("Choose right away, in the digest, or no email.", field=kind)
    if digest is not None and digest not in EmailSettings.Digest.values:
        raise ApplicationError("Choose daily, weekly or never.", field="digest")
    with transaction.atomic():
        for kind, delivery in deliveries.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"delivery": delivery}
            )
        if digest is not None:
            EmailSettings.objects.update_or_create(user=actor, defaults={"digest": digest})


def mute_group(*, actor, group: Group, muted: bool = True) -> None:
    """No email from `group` (its notifications still reach the notification center)."""
    if not groups.can_read(actor, group):
        raise ApplicationError("No such group.", status=404)
    if not muted:
        GroupMute.objects.filter(user=actor, group=group).delete()
        return
    try:
        with transaction.atomic():
            GroupMute.objects.get_or_create(user=actor, group=group)
    except IntegrityError:  # muted twice at once: it is muted
        pass


def unsubscribe(*, user, scope: str) -> str:
    """Apply a one-click unsubscribe: `scope` is a kind ("kind:mention"), a group
    ("group:12") or the digest ("digest"). Returns what was turned off, for the page."""
    name, _, value = scope.partition(":")
    if name == "kind" and value in Kind.values:
        set_preferences(actor=user, deliveries={value: Delivery.OFF})
        return f"email about {Kind(value).label.lower()}"
    if name == "group" and value.isdigit():
        group = Group.objects.filter(pk=int(value)).first()
        if group is None or not groups.can_read(user, group):
            raise ApplicationError("This link is no longer valid.", field="token")
        mute_group(actor=user, group=group)
        return f"email from {group.name}"
    if name == "digest":
        set_preferences(actor=user, deliveries={}, digest=EmailSettings.Digest.NEVER)
        return "the digest"
    raise ApplicationError("This link is no longer valid.", field="token")
