"""What notifications asks of groups, offered as a hook: notifications imports no group code.

A notification may belong to a group (`Notification.group_id`, `GroupMute.group`). Whether a
reader may still read that group decides whether its email leaves, whether it shows in a
digest, and whether the group can be muted. The rule is groups' own (groups.selectors);
groups registers it in its AppConfig.ready(), the way digest sections are registered
(notifications.digests.register_section).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class GroupAccess:
    """The group rule, as groups answers it. `user` is an account, `group` a group row."""

    # The group named `slug` if `user` may know it exists; Http404 otherwise.
    get_listed: Callable[[Any, str], Any]
    # The group with this id, or None.
    get: Callable[[int], Any]
    # Whether `user` may read `group`'s content now.
    can_read: Callable[[Any, Any], bool]
    # Which of these group ids `user` may read now.
    readable_ids: Callable[[Any, set[int]], set[int]]
    # {user id: ids of the groups they are a member of}, for many people at once.
    member_ids_of: Callable[[Iterable[int]], dict[int, set[int]]]
    # Which of these group ids are public (readable by every active employee).
    public_ids: Callable[[Iterable[int]], set[int]]


_registered: GroupAccess | None = None


def register_group_access(access: GroupAccess) -> None:
    global _registered
    _registered = access


def group_access() -> GroupAccess:
    if _registered is None:
        raise ImproperlyConfigured(
            "No group access registered: groups registers it in GroupsConfig.ready()."
        )
    return _registered
