"""The notifications posts, comments and reactions cause, and who gets them.

Each helper runs inside its cause's transaction (notifications.services.notify's contract)
and tells only the people who may read the group the content is in (groups.selectors).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User

from core import bulk, markdown
from groups import selectors as groups
from notifications.models import Notification
from notifications.services import display_name, notify, notify_group_members

from .models import Comment, Post
from .selectors import COMPANY_ANNOUNCEMENT_JOB, announcement_subject, tells_company

Kind = Notification.Kind


def _excerpt(post, limit: int = 60) -> str:
    """A post as a title shows it: readable text (mentions as names), no syntax, whole
    words."""
    return markdown.excerpt(post.body, limit, rendered=post.body_html)


def post_created(*, post: Post, mentioned: Iterable[User]) -> None:
    """Mentions in a new post, and an announcement to every member of its group."""
    group, actor = post.group, post.author
    notified = {actor.pk}
    for user in groups.readers_of(group, mentioned):
        if user.pk in notified:
            continue
        notified.add(user.pk)
        notify(
            recipient=user,
            kind=Kind.MENTION,
            actor=actor,
            text=f"{display_name(actor)} mentioned you in a post in {group.name}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
            group_id=group.pk,
        )
    if tells_company(post):
        # Everyone in the company: a bulk job after commit (core.bulk), not the request; its
        # progress on the post's page (selectors.announcement_progress).
        bulk.start_job(
            kind=COMPANY_ANNOUNCEMENT_JOB,
            subject=announcement_subject(post.pk),
            actor=actor,
            params={
                "group_id": group.pk,
                "actor_id": actor.pk,
                "text": f"Announcement in {group.name}: {_excerpt(post)}",
                "url": post.get_absolute_url(),
                "target_key": f"post:{post.pk}",
            },
        )
    elif post.kind == "announcement":
        notify_group_members(
            group_id=group.pk,
            recipient_ids=groups.active_member_ids(group, exclude=actor.pk),
            kind=Kind.ANNOUNCEMENT,
            actor=actor,
            text=f"Announcement in {group.name}: {_excerpt(post)}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
        )


def company_announcement_targets(job):
    """The active members of All company but the author, by user id."""
    return (
        User.objects.filter(is_active=True, memberships__group_id=job.params["group_id"])
        .exclude(pk=job.params["actor_id"])
        .values_list("pk", flat=True)
    )


def notify_company_announcement_chunk(job, user_ids: list[int]) -> None:
    """One chunk of an All-company announcement's notifications (notify_group_members: one
    INSERT for a chunk of BULK_BATCH, one badge event)."""
    params = job.params
    notify_group_members(
        group_id=params["group_id"],
        recipient_ids=user_ids,
        kind=Kind.ANNOUNCEMENT,
        actor=User(pk=params["actor_id"]),
        text=params["text"],
        url=params["url"],
        target_key=params["target_key"],
    )


def post_edited(*, post: Post, newly_mentioned: Iterable[User]) -> None:
    """People mentioned for the first time by an edit (an edit never re-announces)."""
    for user in groups.readers_of(post.group, newly_mentioned):
        notify(
            recipient=user,
            kind=Kind.MENTION,
            actor=post.author,
            text=f"{display_name(post.author)} mentioned you in a post in {post.group.name}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}",
            group_id=post.group_id,
        )


def comment_created(*, comment: Comment, mentioned: Iterable[User]) -> None:
    """One notification per person, the most specific first: mentioned, then the author of
    the comment replied to, then the post's author."""
    post, actor = comment.post, comment.author
    group = post.group
    mentioned = list(mentioned)
    mentioned_ids = {u.pk for u in mentioned}
    url = comment.get_absolute_url()
    parent_author = comment.parent.author if comment.parent_id else None
    candidates = groups.readers_of(group, [*mentioned, parent_author, post.author])
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
            text=f"{display_name(actor)} mentioned you in a comment in {group.name}",
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
            text=f"{display_name(actor)} replied to your comment in {group.name}",
            url=url,
            target_key=f"comment:{comment.parent_id}:replies",
            group_id=group.pk,
        )
    if post.author_id in readable - notified:
        notify(
            recipient=post.author,
            kind=Kind.COMMENT,
            actor=actor,
            text=f"{display_name(actor)} commented on your post “{_excerpt(post, 40)}”",
            url=url,
            target_key=f"post:{post.pk}:comments",
            group_id=group.pk,
        )


def reaction_added(*, post: Post, actor: User) -> None:
    if post.author_id == actor.pk or not groups.readers_of(post.group, [post.author]):
        return
    notify(
        recipient=post.author,
        kind=Kind.REACTION,
        actor=actor,
        text=f"{display_name(actor)} reacted to your post “{_excerpt(post, 40)}”",
        url=post.get_absolute_url(),
        target_key=f"post:{post.pk}:reactions",
        group_id=post.group_id,
    )


def answer_accepted(*, post: Post, comment: Comment, actor: User) -> None:
    """The author of the comment marked as the answer to a question (if they still read
    the group): the question's excerpt is theirs to read."""
    if not groups.readers_of(post.group, [comment.author]):
        return
    notify(
        recipient=comment.author,
        kind=Kind.ANSWER_ACCEPTED,
        actor=actor,
        text=f"{display_name(actor)} accepted your answer to “{_excerpt(post, 40)}”",
        url=comment.get_absolute_url(),
        target_key=f"comment:{comment.pk}:accepted",
        group_id=post.group_id,
    )


def post_removed(*, post: Post, actor: User, reason: str) -> None:
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


def comment_removed(*, comment: Comment, actor: User, reason: str) -> None:
    """The author learns their comment was taken down, and why. The text carries the
    group's name and the moderator's reason only: nothing of the comment or its post, which
    the author may no longer be allowed to read."""
    group = comment.post.group
    if not groups.readers_of(group, [comment.author]):
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


def post_shared(*, share: Post, original: Post) -> None:
    """The original's author, if they may read the group it was shared into (its name is
    not theirs to learn otherwise)."""
    author = original.author
    if author.pk == share.author_id or not groups.readers_of(share.group, [author]):
        return
    notify(
        recipient=author,
        kind=Kind.SHARE,
        actor=share.author,
        text=f"{display_name(share.author)} shared your post “{_excerpt(original, 40)}” "
        f"in {share.group.name}",
        url=share.get_absolute_url(),
        target_key=f"post:{original.pk}:shares",
        group_id=share.group_id,
    )


def praise_given(*, post: Post, praised: Iterable[User]) -> None:
    """Each person praised (they may read the group: give_praise made sure of it)."""
    actor = post.author
    for user in groups.readers_of(post.group, praised):
        notify(
            recipient=user,
            kind=Kind.PRAISE,
            actor=actor,
            text=f"{display_name(actor)} praised you in {post.group.name}: "
            f"{post.get_badge_display_text()}",
            url=post.get_absolute_url(),
            target_key=f"post:{post.pk}:praise",
            group_id=post.group_id,
        )


def scheduled_post_failed(*, draft) -> None:
    """The author of a scheduled post that the clock could not publish, and why."""
    where = draft.group.name if draft.group_id else "its group"
    notify(
        recipient=draft.author,
        kind=Kind.SCHEDULED_POST,
        text=f"Your scheduled post in {where} was not published: {draft.failure}",
        url=draft.get_absolute_url(),
        target_key=f"draft:{draft.pk}:failed",
        group_id=draft.group_id,
    )
