"""The notifications group events cause: join requests, approvals, invitations.

Each helper runs inside its cause's transaction (notifications.services.notify's contract).
"""

from django.contrib.auth.models import User
from django.urls import reverse

from notifications.models import Notification
from notifications.services import display_name, notify

from . import selectors
from .models import JoinRequest, Membership

Kind = Notification.Kind


def join_requested(*, join_request: JoinRequest) -> None:
    """The group's leaders learn that someone asks to join."""
    group, asker = join_request.group, join_request.user
    for membership in selectors.leaders(group).select_related("user"):
        notify(
            recipient=membership.user,
            kind=Kind.JOIN_REQUEST,
            actor=asker,
            text=f"{display_name(asker)} asked to join {group.name}",
            url=reverse("groups:moderation", args=[group.slug]),
            target_key=f"group:{group.pk}:requests",
            group_id=group.pk,
        )


def request_approved(*, join_request: JoinRequest, actor: User) -> None:
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


def invited(*, membership: Membership, actor: User) -> None:
    """A leader added someone to a group (the only way into a secret one): they learn
    where, since a secret group is otherwise invisible to them."""
    group = membership.group
    notify(
        recipient=membership.user,
        kind=Kind.INVITED,
        actor=actor,
        text=f"{display_name(actor)} added you to {group.name}",
        url=group.get_absolute_url(),
        target_key=f"group:{group.pk}:invited",
        group_id=group.pk,
    )
