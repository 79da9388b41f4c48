"""Reads of the directory: what the SCIM endpoints list and the token page shows."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from core import bulk
from people.models import Department, Profile

from .models import DirectoryAuditEntry, ScimToken
from .scim.protocol import ScimError

User = get_user_model()

# SCIM filter attribute (lower case) -> lookup, for what Entra and Okta search by.
USER_FILTERS = {
    "username": "username",
    "externalid": "directory_identity__external_id",
    "emails.value": "email__iexact",
    'emails[type eq "work"].value': "email__iexact",
    "id": "pk",
}
GROUP_FILTERS = {
    "displayname": "name__iexact",
    "externalid": "directory_group__external_id",
    "id": "pk",
}


def scim_users() -> QuerySet:
    """Every account, departed ones too (a provider reactivates them), in id order, with
    what a User resource shows loaded: a page is one query."""
    return User.objects.select_related(
        "profile__department", "profile__manager", "directory_identity"
    ).order_by("pk")


def scim_groups(*, with_members: bool = True) -> QuerySet:
    departments = Department.objects.select_related("directory_group").order_by("pk")
    if with_members:
        departments = departments.prefetch_related(
            Prefetch(
                "members",
                queryset=Profile.objects.filter(user__is_active=True).order_by("user_id"),
                to_attr="active_members",
            )
        )
    return departments


def filtered(queryset: QuerySet, lookup: str, value: str) -> QuerySet:
    if lookup == "pk" and not value.isdigit():
        return queryset.none()
    return queryset.filter(**{lookup: value})


def get_scim_user(user_id: str):
    found = scim_users().filter(pk=user_id).first() if str(user_id).isdigit() else None
    if found is None:
        raise ScimError("No such user.", scim_type="noTarget", status=404)
    return found


def get_scim_group(group_id: str, *, with_members: bool = True) -> Department:
    found = (
        scim_groups(with_members=with_members).filter(pk=group_id).first()
        if str(group_id).isdigit()
        else None
    )
    if found is None:
        raise ScimError("No such group.", scim_type="noTarget", status=404)
    return found


def scim_tokens() -> QuerySet[ScimToken]:
    return ScimToken.objects.select_related("created_by", "revoked_by")


def recent_directory_audit(limit: int = 50) -> list[DirectoryAuditEntry]:
    return list(DirectoryAuditEntry.objects.select_related("actor", "token", "target_user")[:limit])


def running_import_sync():
    """The bulk job still moving the last imported file's people to their department
    groups, for the import page's progress bar (one query; None when none is running)."""
    job = bulk.latest_job("directory-import")
    return job if job is not None and not job.finished else None
