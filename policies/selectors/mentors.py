"""Social media mentors: who they are per department (they get its alerts and insights) and
who, mentor or certified, speaks for the brand."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from ..models import Certification, SocialMediaMentor
from .common import _active

User = get_user_model()


def mentors_of(department) -> QuerySet:
    """The active people named social media mentors of `department` (a Department or its
    id), by name: who gets the department's alerts and insights. One query."""
    department_id = getattr(department, "pk", department)
    return (
        User.objects.filter(is_active=True, mentorships__department_id=department_id)
        .select_related("profile")
        .order_by("profile__display_name", "id")
        .distinct()
    )


def speaks_for_the_brand(user) -> bool:
    """Whether `user` is a social media mentor of a department or a certified brand
    representative: the people outside the social team who must know when the company
    stops speaking (the crisis banner). One query."""
    if not _active(user):
        return False
    mentor = SocialMediaMentor.objects.filter(user_id=OuterRef("pk"))
    certified = Certification.objects.filter(user_id=OuterRef("pk"), revoked_at__isnull=True)
    return User.objects.filter(Exists(mentor) | Exists(certified), pk=user.pk).exists()


def mentorships(viewer) -> QuerySet[SocialMediaMentor]:
    """Every department's mentors (every active employee reads them), active people only."""
    if not _active(viewer):
        return SocialMediaMentor.objects.none()
    return (
        SocialMediaMentor.objects.filter(user__is_active=True)
        .select_related("department", "user__profile")
        .order_by("department__name", "user__profile__display_name", "id")
    )
