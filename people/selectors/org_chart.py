"""The org chart: a profile's managers up to the top, its direct reports, and where the
chart starts."""

from django.db.models import Count, Q

from ..models import Profile
from .profiles import visible_profiles

MAX_CHAIN = 25


def manager_chain(profile: Profile) -> list[Profile]:
    """The profile's managers, nearest first, up to the top (one query per level)."""
    chain: list[Profile] = []
    seen = {profile.pk}
    current = profile
    while current.manager_id and current.manager_id not in seen and len(chain) < MAX_CHAIN:
        current = (
            Profile.objects.select_related("user", "department")
            .filter(pk=current.manager_id, user__is_active=True)
            .first()
        )
        if current is None:
            break
        chain.append(current)
        seen.add(current.pk)
    return chain


def direct_reports(profile: Profile) -> list[Profile]:
    return list(
        Profile.objects.filter(manager=profile, user__is_active=True)
        .select_related("user", "department")
        .annotate(report_count=Count("reports", filter=Q(reports__user__is_active=True)))
        .order_by("display_name", "id")
    )


def top_of_org(viewer) -> list[Profile]:
    """People with no manager: where the org chart starts."""
    return list(
        visible_profiles(viewer)
        .filter(manager__isnull=True)
        .annotate(report_count=Count("reports", filter=Q(reports__user__is_active=True)))
        .filter(report_count__gt=0)
        .order_by("-report_count", "display_name")
    )
