"""The crisis team (everyone holding a CrisisRole), and who may do what: declare, write on
an incident, announce, read and write the playbook."""

from django.db.models import QuerySet

from people.roles import SOCIAL_TEAM, has_role, is_admin

from ..models import CrisisRole, Incident
from .common import User, _active


def crisis_roles_of(user) -> set[str]:
    """The crisis roles `user` holds (one query, cached on the user object)."""
    if not _active(user):
        return set()
    cached = getattr(user, "_crisis_roles", None)
    if cached is None:
        cached = set(CrisisRole.objects.filter(user_id=user.pk).values_list("role", flat=True))
        user._crisis_roles = cached
    return cached


def is_crisis_team(user) -> bool:
    return bool(crisis_roles_of(user))


def is_crisis_lead(user) -> bool:
    return CrisisRole.Role.LEAD in crisis_roles_of(user)


def is_mentor(user) -> bool:
    return _active(user) and user.mentorships.exists()


def crisis_team(viewer) -> QuerySet[CrisisRole]:
    """Who holds which crisis role (every active employee reads it: the org chart)."""
    if not _active(viewer):
        return CrisisRole.objects.none()
    return CrisisRole.objects.filter(user__is_active=True).select_related("user__profile")


def crisis_team_ids() -> list[int]:
    return list(
        User.objects.filter(is_active=True, crisis_roles__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )


def may_declare(user) -> bool:
    return has_role(user, SOCIAL_TEAM) or is_admin(user)


def may_write_incident(user, incident: Incident | None = None) -> bool:
    return may_declare(user) or is_crisis_team(user)


def may_announce(user) -> bool:
    return is_crisis_lead(user) or is_admin(user)


def may_write_playbook(user) -> bool:
    return is_admin(user) or is_crisis_lead(user)


def may_read_playbook(user) -> bool:
    return _active(user) and (
        may_write_incident(user) or is_mentor(user) or has_role(user, SOCIAL_TEAM)
    )
