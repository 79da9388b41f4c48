"""Who does what in social (the org chart) and the brand activity feed: every active
employee reads them."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from people.roles import SOCIAL_TEAM
from policies import selectors as policies
from policies.models import PolicySettings

from ..models import BrandActivity, CrisisRole
from .common import User, _active
from .team import crisis_team


@dataclass
class OrgChart:
    engagement_model: str
    engagement_label: str
    designated_departments: list
    social_team: list
    departments: list  # (department, mentors, representatives)
    accounts: list
    crisis_roles: list  # (label, [users])


def org_chart(viewer) -> OrgChart:
    """Who does what in social (every active employee). A fixed number of queries."""
    if not _active(viewer):
        raise Http404
    from people.models import Department

    settings_row = policies.policy_settings()
    designated = (
        [] if settings_row._state.adding else list(settings_row.designated_departments.all())
    )
    social = list(
        User.objects.filter(is_active=True, groups__name=SOCIAL_TEAM)
        .select_related("profile")
        .order_by("profile__display_name")
        .distinct()
    )
    mentors: dict[int, list] = {}
    for row in policies.mentorships(viewer):
        mentors.setdefault(row.department_id, []).append(row.user)
    reps: dict[int | None, list] = {}
    for cert in policies.representatives(viewer):
        reps.setdefault(cert.user.profile.department_id, []).append(cert.user)
    departments = [
        (d, mentors.get(d.pk, []), reps.get(d.pk, []))
        for d in Department.objects.order_by("name")
        if mentors.get(d.pk) or reps.get(d.pk)
    ]
    roles: dict[str, list] = {label: [] for _, label in CrisisRole.Role.choices}
    for role in crisis_team(viewer).order_by("user__profile__display_name"):
        roles[role.get_role_display()].append(role.user)
    return OrgChart(
        engagement_model=settings_row.engagement_model,
        engagement_label=PolicySettings.Engagement(settings_row.engagement_model).label,
        designated_departments=designated,
        social_team=social,
        departments=departments,
        accounts=list(policies.brand_accounts(viewer)),
        crisis_roles=list(roles.items()),
    )


def brand_activity(viewer) -> QuerySet[BrandActivity]:
    """The brand activity feed, newest first (every active employee). Its text is stored
    redacted: nothing here needs the personal-data rule again."""
    if not _active(viewer):
        return BrandActivity.objects.none()
    return BrandActivity.objects.select_related("account", "department", "actor__profile")
