"""Social media mentors: admins name them per department (the org chart's "who leads social
in my department")."""

from django.db import IntegrityError, transaction

from core.errors import ApplicationError

from ..models import AuditEntry, SocialMediaMentor
from .common import _audit, _require_admin


def name_mentor(*, actor, department, user) -> SocialMediaMentor:
    """Name `user` a mentor of `department` (naming them twice changes nothing)."""
    _require_admin(actor, "Only admins name social media mentors.")
    if department is None:
        raise ApplicationError("Choose a department.", field="department")
    if user is None or not user.is_active:
        raise ApplicationError("Choose someone who works here.", field="username")
    existing = SocialMediaMentor.objects.filter(department=department, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            mentor = SocialMediaMentor.objects.create(
                department=department, user=user, named_by=actor
            )
            _audit(actor, AuditEntry.Action.NAME_MENTOR, target_user=user, detail=department.name)
    except IntegrityError:  # named by two admins at the same moment
        return SocialMediaMentor.objects.get(department=department, user=user)
    return mentor


def remove_mentor(*, actor, department, user) -> bool:
    _require_admin(actor, "Only admins remove social media mentors.")
    with transaction.atomic():
        deleted, _ = SocialMediaMentor.objects.filter(department=department, user=user).delete()
        if deleted:
            _audit(actor, AuditEntry.Action.REMOVE_MENTOR, target_user=user, detail=department.name)
    return bool(deleted)
