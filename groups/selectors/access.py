"""Who may see which group, and who may do what in it. Every surface asks here.

| object                                   | who may read it                                  |
|------------------------------------------|--------------------------------------------------|
| a public group and everything in it      | every active employee                            |
| a private group's name and description   | every active employee                            |
| a private group's posts, members...      | its current members, and admins                  |
| anything of a secret group, its name too | its current members, and admins                  |
| a group's audit log and reports          | its leaders, and admins                          |
"""

import copy
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from people.roles import is_admin

from ..models import Group, Membership


def member_group_ids(user) -> QuerySet:
    """The ids of the groups `user` is a current member of, as a subquery."""
    return Membership.objects.filter(user_id=user.pk).values("group_id")


def in_feed_groups(user, field: str = "group_id") -> Q:
    """`field` (a group's id) is one of the groups whose posts reach `user`'s home feed:
    theirs and All company. As a condition on a post's group it is two subqueries, the
    memberships and All company (its unique index), each hashed once: written as one
    subquery of the groups, PostgreSQL read every group to build the set, 0.1-0.2 ms of the
    home feed's 0.5-0.7 ms page at a million posts (bench/feed.py)."""
    company = Group.objects.filter(kind=Group.Kind.COMPANY).values("id")
    return Q(**{f"{field}__in": member_group_ids(user)}) | Q(**{f"{field}__in": company})


def feed_group_ids(user) -> QuerySet:
    """in_feed_groups' groups, as a subquery of their ids (the live socket's audiences)."""
    return Group.objects.filter(in_feed_groups(user, "id")).values("id")


def listed_groups(user) -> QuerySet[Group]:
    """Groups whose existence `user` may know of: public, private, and their secret ones."""
    if not (user.is_authenticated and user.is_active):
        return Group.objects.none()
    if is_admin(user):
        return Group.objects.all()
    return Group.objects.filter(~Q(privacy=Group.Privacy.SECRET) | Q(id__in=member_group_ids(user)))


def readable_groups(user) -> QuerySet[Group]:
    """Groups whose content (posts, comments, reactions, members) `user` may read."""
    if not (user.is_authenticated and user.is_active):
        return Group.objects.none()
    if is_admin(user):
        return Group.objects.all()
    return Group.objects.filter(Q(privacy=Group.Privacy.PUBLIC) | Q(id__in=member_group_ids(user)))


def readable_group_q(user, prefix: str = "group") -> Q:
    """The same rule as readable_groups, as a filter on a related `group` field. Its form
    depends on the user only as readable_shape says (a query compiled once per shape,
    core.compiled, relies on it)."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if is_admin(user):
        return Q()
    return Q(**{f"{prefix}__privacy": Group.Privacy.PUBLIC}) | Q(
        **{f"{prefix}_id__in": member_group_ids(user)}
    )


def readable_group_id_q(user, field: str = "group_id") -> Q:
    """The same rule as readable_groups, as `field IN (the ids of the groups user may
    read)`: a hashed subquery checked per row without joining the groups. For a scan in
    another index's order cut by a LIMIT (search's newest matches), where the planner
    would otherwise join the groups table to every row it reads."""
    return Q(**{f"{field}__in": readable_groups(user).values("id")})


def readable_shape(user) -> str:
    """Which form readable_group_q(user) takes: "nothing", "everything" or "member" (public
    groups and the user's own, by the user's id). Two users of the same shape get the same
    SQL with a different id; after this call the user's roles are cached on it (has_role)."""
    if not (user.is_authenticated and user.is_active):
        return "nothing"
    return "everything" if is_admin(user) else "member"


def with_viewer_id(user, viewer):
    """`user` with `viewer` (a core.compiled marker) as its id, to build a query compiled
    per readable_shape: the roles that readable_shape cached on `user` come along. `user`
    itself when `viewer` is None (the shape names no viewer: an admin reads everything)."""
    if viewer is None:
        return user
    marked = copy.copy(user)
    marked.pk = viewer
    return marked


def get_listed_group(user, slug: str) -> Group:
    """The group if `user` may know it exists; 404 otherwise (secret and missing look alike)."""
    try:
        return listed_groups(user).get(slug=slug)
    except Group.DoesNotExist as exc:
        raise Http404("No such group.") from exc


def get_group(group_id: int) -> Group | None:
    """The group with this id, whoever may see it (for checks that follow, like can_read)."""
    return Group.objects.filter(pk=group_id).first()


def membership_of(user, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user_id=user.pk).first()


def can_read(user, group: Group, membership: Membership | None = None) -> bool:
    if group.is_public or is_admin(user):
        return user.is_authenticated and user.is_active
    membership = membership if membership is not None else membership_of(user, group)
    return membership is not None


def can_write(user, group: Group, membership: Membership | None = None) -> bool:
    """Whether `user` may post and comment in `group`: members who are not muted, and
    anyone in a public group (writing there joins it). Admins read everywhere but write,
    like everyone, where they belong."""
    if not (user.is_authenticated and user.is_active):
        return False
    membership = membership if membership is not None else membership_of(user, group)
    if membership is None:
        return group.is_public
    return not membership.is_muted()


def can_post(user, group: Group, membership: Membership | None = None) -> bool:
    """Whether `user` may start a post in `group`: can_write, and under the posting rule
    "leaders only" also a leader (comments still follow can_write)."""
    membership = membership if membership is not None else membership_of(user, group)
    if not can_write(user, group, membership):
        return False
    if group.posting == Group.Posting.LEADERS:
        return can_moderate(user, group, membership)
    return True


def can_moderate(user, group: Group, membership: Membership | None = None) -> bool:
    """Leaders and owners of the group, and admins."""
    if is_admin(user):
        return True
    membership = membership if membership is not None else membership_of(user, group)
    return membership is not None and membership.is_leader


def readers_of(group: Group, users: Iterable) -> list:
    """The active `users` who may read `group`'s content (can_read's rule, batched: one
    query for a private group whatever the number of users, none for a public one)."""
    users = [u for u in users if u is not None and u.is_active]
    if group.is_public or not users:
        return users
    member_ids = set(
        Membership.objects.filter(group=group, user__in=users).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk in member_ids or is_admin(u)]


def readable_group_ids(user, group_ids: set[int]) -> set[int]:
    """Which of `group_ids` `user` may read now (can_read's rule, one query per kind)."""
    if not group_ids:
        return set()
    if is_admin(user):
        return set(group_ids)
    return set(
        Group.objects.filter(pk__in=group_ids)
        .filter(privacy=Group.Privacy.PUBLIC)
        .values_list("pk", flat=True)
    ) | set(user.memberships.filter(group_id__in=group_ids).values_list("group_id", flat=True))


def member_group_ids_of(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """{user id: ids of the groups they are a member of} for many people (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    for uid, gid in Membership.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "group_id"
    ):
        found[uid].add(gid)
    return found


def feed_group_ids_of(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """feed_group_ids for many people: {user id: ids of their groups and All company}, in
    two queries whatever their number (live sockets re-checking together)."""
    user_ids = list(user_ids)
    company = set(Group.objects.filter(kind=Group.Kind.COMPANY).values_list("id", flat=True))
    members = member_group_ids_of(user_ids)
    return {uid: members.get(uid, set()) | company for uid in user_ids}


def public_group_ids(group_ids: Iterable[int]) -> set[int]:
    """Which of `group_ids` are public (one query)."""
    return set(
        Group.objects.filter(pk__in=list(group_ids), privacy=Group.Privacy.PUBLIC).values_list(
            "pk", flat=True
        )
    )
