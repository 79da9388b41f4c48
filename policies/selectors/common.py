"""What the policy reads share: who counts as an active viewer, the admin check."""

from django.core.exceptions import PermissionDenied

from people.roles import is_admin


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only admins can see this.")
