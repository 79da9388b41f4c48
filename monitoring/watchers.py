"""Who watches a department's listening besides the social team and admins.

Built in: the department's group leaders and owners. The apps above monitoring add theirs
(crisis registers the department's social media mentors) with
`register_department_watchers`, the way digest sections register with notifications:
monitoring never imports them. A watcher reads the department's alerts and the watch rules,
and is notified (in the app, live and by email) when one of its alerts opens.
"""

from collections.abc import Callable, Iterable

# users_of(department ids) -> iterable of (department id, user id), active users only.
UsersOf = Callable[[list[int]], Iterable[tuple[int, int]]]
# departments_of(user) -> the ids of the departments the user watches.
DepartmentsOf = Callable[[object], Iterable[int]]

_watchers: dict[str, tuple[UsersOf, DepartmentsOf]] = {}


def register_department_watchers(
    name: str, *, users_of: UsersOf, departments_of: DepartmentsOf
) -> None:
    _watchers[name] = (users_of, departments_of)


def watched_departments(user) -> set[int]:
    """The departments `user` watches (one query per registered kind of watcher)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    ids: set[int] = set()
    for _, departments_of in _watchers.values():
        ids.update(departments_of(user))
    return ids


def watchers_of(department_ids: list[int]) -> dict[int, set[int]]:
    """{department id: user ids watching it} (one query per registered kind of watcher)."""
    result: dict[int, set[int]] = {d: set() for d in department_ids}
    if not department_ids:
        return result
    for users_of, _ in _watchers.values():
        for department_id, user_id in users_of(department_ids):
            result.setdefault(department_id, set()).add(user_id)
    return result


# --- Built in: the department's leaders ---------------------------------------------------


def _leader_memberships():
    from groups.models import Group, Membership

    return Membership.objects.filter(
        user__is_active=True,
        group__kind=Group.Kind.DEPARTMENT,
        role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    )


def leaders_of(department_ids: list[int]):
    return (
        _leader_memberships()
        .filter(group__department_id__in=department_ids)
        .values_list("group__department_id", "user_id")
    )


def departments_led_by(user):
    return (
        _leader_memberships()
        .filter(user=user)
        .exclude(group__department_id=None)
        .values_list("group__department_id", flat=True)
    )
