"""The group directory, my groups, a group's members and leaders: each read through the
rules of groups.selectors.access."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.expressions import CountOf

from ..models import Group, Membership
from .access import can_read, listed_groups


def directory(user, *, query: str = "", kind: str = "") -> QuerySet[Group]:
    """The group directory: listed groups with member counts and whether I belong."""
    groups = listed_groups(user)
    if kind:
        groups = groups.filter(kind=kind)
    if query:
        groups = groups.filter(Q(name__icontains=query) | Q(description__icontains=query))
    # Each group's members counted by a subquery of its own, which PostgreSQL runs for the
    # page's 25 groups after the sort and limit: joined and grouped, every membership of
    # every listed group was counted first (152 ms for 518 groups and 120,000 memberships,
    # bench/feed.py's data) to show 25 of them.
    members = Membership.objects.filter(group=OuterRef("pk")).values("pk")
    return groups.annotate(
        member_count=CountOf(members),
        is_member=Exists(Membership.objects.filter(group=OuterRef("pk"), user_id=user.pk)),
    ).select_related("department")


def get_directory_group(user, slug: str) -> Group:
    """get_listed_group with the directory's annotations (member_count, is_member)."""
    try:
        return directory(user).get(slug=slug)
    except Group.DoesNotExist as exc:
        raise Http404("No such group.") from exc


def my_groups(user) -> QuerySet[Group]:
    return Group.objects.filter(memberships__user_id=user.pk).order_by("name")


def members(viewer, group: Group) -> QuerySet[Membership]:
    """The member list, if `viewer` may read the group (else nothing)."""
    if not can_read(viewer, group):
        return Membership.objects.none()
    return (
        Membership.objects.filter(group=group, user__is_active=True)
        .select_related("user__profile__department")
        .order_by("user__profile__display_name", "id")
    )


def get_member(viewer, group: Group, username: str) -> Membership:
    """A current member of a group `viewer` may read, by username; 404 otherwise."""
    found = members(viewer, group).filter(user__username=username).first()
    if found is None:
        raise Http404("No such member.")
    return found


def leaders(group: Group) -> QuerySet[Membership]:
    return Membership.objects.filter(
        group=group, role__in=[Membership.Role.LEADER, Membership.Role.OWNER]
    ).select_related("user__profile")


def active_member_ids(group: Group, *, exclude: int | None = None) -> list[int]:
    """The ids of the group's active members (but `exclude`), for notifying them in bulk."""
    return list(
        Membership.objects.filter(group=group, user__is_active=True)
        .exclude(user_id=exclude)
        .values_list("user_id", flat=True)
    )
