"""Roles are Django groups. Group leaders are not a role: they come with groups."""

EMPLOYEE = "employee"
SOCIAL_TEAM = "social team"
ADMIN = "admin"
ROLES = (EMPLOYEE, SOCIAL_TEAM, ADMIN)


def has_role(user, role: str) -> bool:
    """Whether `user` holds `role`; superusers hold every role. Cached per user object."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return role in cache


def is_admin(user) -> bool:
    return has_role(user, ADMIN)


def roles_loaded(user) -> bool:
    """Whether `user`'s roles were read already (asking has_role costs no query now)."""
    return hasattr(user, "_role_names")
