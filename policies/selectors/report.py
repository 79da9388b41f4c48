"""What admins read about the policy's reach: the acknowledgement report per department,
its rows for the CSV export, and the audit log. Admins only (403)."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet

from people.models import Department, Profile

from ..models import Acknowledgement, AuditEntry, PolicyVersion
from .common import _require_admin


@dataclass
class DepartmentRow:
    name: str
    slug: str
    employees: int
    acknowledged: int

    @property
    def pending(self) -> int:
        return self.employees - self.acknowledged

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.employees) if self.employees else 0


def acknowledgement_report(viewer, version: PolicyVersion) -> list[DepartmentRow]:
    """Per department: active employees, how many acknowledged `version` (2 queries)."""
    _require_admin(viewer)
    acked = Q(members__user__policy_acknowledgements__version=version)
    active = Q(members__user__is_active=True)
    rows = [
        DepartmentRow(d.name, d.slug, d.employees, d.acked)
        for d in Department.objects.annotate(
            employees=Count("members", filter=active, distinct=True),
            acked=Count("members", filter=active & acked, distinct=True),
        ).order_by("name")
    ]
    loose = Profile.objects.filter(department__isnull=True, user__is_active=True).aggregate(
        employees=Count("pk"),
        acked=Count("pk", filter=Q(user__policy_acknowledgements__version=version)),
    )
    if loose["employees"]:
        rows.append(DepartmentRow("No department", "", loose["employees"], loose["acked"]))
    return rows


def acknowledgement_rows(viewer, version: PolicyVersion, *, department: str = ""):
    """Every active employee with their acknowledgement of `version`, for the CSV export;
    an iterator, so 10,000 people stream in constant memory."""
    _require_admin(viewer)
    ack = Acknowledgement.objects.filter(version=version, user_id=OuterRef("user_id"))
    profiles = Profile.objects.filter(user__is_active=True)
    if department == "none":
        profiles = profiles.filter(department__isnull=True)
    elif department:
        profiles = profiles.filter(department__slug=department)
    return (
        profiles.annotate(acknowledged_at=ack.values("acknowledged_at")[:1])
        .order_by("department__name", "display_name", "id")
        .values_list("department__name", "display_name", "user__username", "acknowledged_at")
        .iterator(chunk_size=2000)
    )


def audit_log(viewer) -> QuerySet[AuditEntry]:
    _require_admin(viewer)
    return AuditEntry.objects.select_related(
        "actor__profile", "target_user__profile", "account", "version"
    )
