"""Department and company groups: each department has its group and All company has
everyone; a person is a member of their current department's group."""

from django.contrib.auth.models import User
from django.db import transaction

from core import events
from people.models import Department

from ..models import Group, Membership
from .common import _unique_slug

COMPANY_SLUG = "all-company"


def ensure_company_group() -> Group:
    group, _ = Group.objects.get_or_create(
        kind=Group.Kind.COMPANY,
        defaults={
            "name": "All company",
            "slug": COMPANY_SLUG,
            "privacy": Group.Privacy.PUBLIC,
            "description": "News and conversation for everyone in the company.",
        },
    )
    return group


def ensure_department_group(department: Department) -> Group:
    group = Group.objects.filter(department=department).first()
    if group is None:
        group = Group.objects.create(
            name=department.name,
            slug=_unique_slug(department.slug or department.name),
            description=department.description,
            kind=Group.Kind.DEPARTMENT,
            privacy=Group.Privacy.PUBLIC,
            department=department,
        )
    return group


def sync_department_membership(
    *, user: User, department: Department | None, previous_department_id: int | None = None
) -> None:
    """A person is a member of their department's group, and only of their current one.

    Only the membership the department gave goes with it (leaders and owners of the old
    department's group keep nothing special); a membership of another department's group
    that the person joined or was added to stays. Joining one's new department's group
    earlier turns into the department's membership."""
    with transaction.atomic():
        if previous_department_id and previous_department_id != getattr(department, "pk", None):
            Membership.objects.filter(
                user=user,
                group__kind=Group.Kind.DEPARTMENT,
                group__department_id=previous_department_id,
                source=Membership.Source.DEPARTMENT,
            ).delete()
        if department is not None and user.is_active:
            Membership.objects.update_or_create(
                group=ensure_department_group(department),
                user=user,
                defaults={"source": Membership.Source.DEPARTMENT},
            )
        Membership.objects.get_or_create(
            group=ensure_company_group(), user=user, defaults={"source": Membership.Source.COMPANY}
        )
        events.membership_changed(user.pk)


def sync_all_department_memberships() -> int:
    """Bring every department group up to date now, in this process (after bulk imports
    and seeding, which skip the per-profile receivers), chunk by chunk with a fixed number
    of queries each (groups.department_sync). Returns how many memberships it added."""
    from ..department_sync import sync_everyone_now

    before = Membership.objects.count()
    sync_everyone_now()
    return Membership.objects.count() - before
