"""Joining and leaving: join or ask to join, requests decided, invitations, members
removed, roles changed and members muted."""

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events
from core.errors import ApplicationError
from people.roles import is_admin

from .. import notifications, selectors
from ..models import AuditEntry, Group, JoinRequest, Membership
from .common import _audit, _refuse, _require_leader

MAX_MUTE = dt.timedelta(days=365)


def join_group(*, actor: User, group: Group, message: str = "") -> Membership | JoinRequest:
    """Join a public group at once; ask to join a private one. Secret groups are invite
    only (and unknown to outsiders: 404 before this is reached)."""
    existing = selectors.membership_of(actor, group)
    if existing is not None:
        return existing
    if group.is_public:
        membership, _ = Membership.objects.get_or_create(
            group=group, user=actor, defaults={"source": Membership.Source.JOINED}
        )
        events.membership_changed(actor.pk)
        return membership
    if group.is_secret:
        raise _refuse("This group is invite only.")
    pending = selectors.my_pending_request(actor, group)
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                group=group, user=actor, message=message[:500]
            )
            notifications.join_requested(join_request=join_request)
            return join_request
    except IntegrityError:  # asked twice at the same moment
        return selectors.my_pending_request(actor, group)


def cancel_join_request(*, actor: User, group: Group) -> None:
    JoinRequest.objects.filter(group=group, user=actor, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.CANCELLED, decided_at=timezone.now()
    )


def decide_join_request(
    *, actor: User, join_request: JoinRequest, approve: bool, reason: str = ""
) -> JoinRequest:
    """Approve (the asker becomes a member) or deny a pending request."""
    group = join_request.group
    _require_leader(actor, group)
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status != JoinRequest.Status.PENDING:
            raise ApplicationError("This request was already decided.", field="request")
        locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DENIED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            Membership.objects.get_or_create(
                group=group, user=locked.user, defaults={"source": Membership.Source.JOINED}
            )
            events.membership_changed(locked.user_id)
            notifications.request_approved(join_request=locked, actor=actor)
        _audit(
            group,
            actor,
            AuditEntry.Action.APPROVE_REQUEST if approve else AuditEntry.Action.DENY_REQUEST,
            reason=reason,
            target_user=locked.user,
        )
    return locked


def leave_group(*, actor: User, group: Group) -> None:
    """Leave a group one joined or was added to. One's own department's group follows the
    department (a department group joined from elsewhere can be left like any other)."""
    membership = selectors.membership_of(actor, group)
    if membership is None:
        return
    if membership.follows_department:
        raise ApplicationError(
            "You belong to your department's group while you are in the department.",
            status=403,
        )
    if (
        membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(group=group, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError(
            "Make someone else an owner before you leave.", field="role", status=400
        )
    membership.delete()
    events.membership_changed(actor.pk)


def invite_member(*, actor: User, group: Group, user: User) -> Membership:
    """Add `user` to the group (leaders; the only way into a secret group)."""
    _require_leader(actor, group)
    if not user.is_active:
        raise ApplicationError("That person has left the company.", field="user")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            group=group, user=user, defaults={"source": Membership.Source.INVITED}
        )
        JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_by=actor, decided_at=timezone.now())
        if created:
            _audit(group, actor, AuditEntry.Action.INVITE, target_user=user)
            notifications.invited(membership=membership, actor=actor)
            events.membership_changed(user.pk)
    return membership


def remove_member(*, actor: User, group: Group, user: User, reason: str = "") -> None:
    _require_leader(actor, group)
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    if membership.role == Membership.Role.OWNER and not is_admin(actor):
        raise _refuse("Only an admin can remove an owner.")
    if membership.follows_department:
        raise ApplicationError(
            "Department groups follow the department: change the person's department.",
            status=400,
            field="user",
        )
    with transaction.atomic():
        membership.delete()
        _audit(group, actor, AuditEntry.Action.REMOVE_MEMBER, reason=reason, target_user=user)
        events.membership_changed(user.pk)


def change_role(*, actor: User, group: Group, user: User, role: str) -> Membership:
    """Owners and admins name leaders and owners."""
    actor_membership = selectors.membership_of(actor, group)
    if not (is_admin(actor) or (actor_membership and actor_membership.role == "owner")):
        raise _refuse("Only the group's owners can change roles.")
    if role not in Membership.Role.values:
        raise ApplicationError("Choose member, leader or owner.", field="role")
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        _audit(group, actor, AuditEntry.Action.CHANGE_ROLE, reason=role, target_user=user)
        # A leader named or demoted reads differently (a department's queue, the audit
        # log): their open sockets re-check what they may hear.
        events.access_changed(user.pk)
    return membership


def mute_member(
    *, actor: User, group: Group, user: User, until: dt.datetime | None, reason: str = ""
) -> Membership:
    """Mute `user` in the group until `until` (None: unmute). A muted member reads but
    cannot post or comment."""
    _require_leader(actor, group)
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    if until is not None and not (timezone.now() < until <= timezone.now() + MAX_MUTE):
        raise ApplicationError("Choose a time in the coming year.", field="until")
    with transaction.atomic():
        membership.muted_until = until
        membership.save(update_fields=["muted_until"])
        _audit(
            group,
            actor,
            AuditEntry.Action.MUTE if until else AuditEntry.Action.UNMUTE,
            reason=reason,
            target_user=user,
        )
    return membership


def update_member(
    *, actor: User, group: Group, user: User, role: str | None = None, mute: dict | None = None
) -> Membership:
    """A role change and/or a mute ({"until": datetime | None, "reason": str}) together:
    both happen or neither does."""
    with transaction.atomic():
        membership = selectors.membership_of(user, group)
        if role is not None:
            membership = change_role(actor=actor, group=group, user=user, role=role)
        if mute is not None:
            membership = mute_member(
                actor=actor,
                group=group,
                user=user,
                until=mute["until"],
                reason=mute.get("reason", ""),
            )
    return membership
