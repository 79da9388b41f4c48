"""Groups as the identity provider sends them. A SCIM Group is a department: its members are
the people whose profile names it. A person is in one department, so adding them to a group
moves them from the one they were in (their department group follows: a few people in the
request's transaction, many in a bulk job, groups.department_sync)."""

import contextlib

from django.db import IntegrityError, transaction

from groups.department_sync import defer_department_syncs, sync_departments
from people.models import Department, Profile
from people.services import apply_directory_record, ensure_department

from ..models import DirectoryAuditEntry, ExternalGroup
from ..scim.protocol import ScimError, as_text, member_ids, patch_operations
from .common import audit

Action = DirectoryAuditEntry.Action


@contextlib.contextmanager
def _members_moving():
    """A transaction whose moved people have their department groups synced together at
    its end: inline when few, else in a bulk job (groups.department_sync)."""
    with transaction.atomic():
        with defer_department_syncs() as moved:
            yield
        sync_departments(user_ids=moved, subject="scim-groups")


def _name(value) -> str:
    return " ".join(as_text(value, name="displayName", limit=100, required=True).split())


def _profiles(ids: list[str]) -> list[Profile]:
    numeric = {int(i) for i in ids if i.isdigit()}
    found = list(Profile.objects.select_related("user").filter(user_id__in=numeric))
    if len(found) != len(set(ids)):
        missing = sorted(set(ids) - {str(p.user_id) for p in found})
        raise ScimError(f"No user with id {missing[0][:40]}.")
    return found


def _add(department: Department, profiles: list[Profile]) -> int:
    moved = 0
    for profile in profiles:
        moved += bool(apply_directory_record(profile=profile, data={"department": department}))
    return moved


def _remove(department: Department, profiles: list[Profile]) -> int:
    removed = 0
    for profile in profiles:
        if profile.department_id == department.pk:
            removed += bool(apply_directory_record(profile=profile, data={"department": None}))
    return removed


def _set_members(department: Department, ids: list[str]) -> tuple[int, int]:
    wanted = _profiles(ids)
    wanted_ids = {p.pk for p in wanted}
    leaving = list(department.members.select_related("user").exclude(pk__in=wanted_ids))
    return _add(department, wanted), _remove(department, leaving)


def _rename(department: Department, name: str) -> bool:
    if name == department.name:
        return False
    if Department.objects.filter(name__iexact=name).exclude(pk=department.pk).exists():
        raise ScimError("A department of that name exists.", scim_type="uniqueness", status=409)
    department.name = name
    department.save(update_fields=["name"])
    return True


def _set_external_id(department: Department, external_id: str) -> None:
    if external_id:
        ExternalGroup.objects.update_or_create(
            department=department, defaults={"external_id": external_id}
        )
    else:
        ExternalGroup.objects.filter(department=department).delete()


def create_scim_group(*, token, body) -> Department:
    if not isinstance(body, dict):
        raise ScimError("The body must be a Group object.", scim_type="invalidSyntax")
    name = _name(body.get("displayName"))
    external_id = as_text(body.get("externalId"), name="externalId", limit=255)
    ids = member_ids(body.get("members"))
    with _members_moving():
        if Department.objects.filter(name__iexact=name).exists():
            raise ScimError("A department of that name exists.", scim_type="uniqueness", status=409)
        try:
            department = ensure_department(name=name)
        except IntegrityError as exc:
            raise ScimError(
                "A department of that name exists.", scim_type="uniqueness", status=409
            ) from exc
        _set_external_id(department, external_id)
        _add(department, _profiles(ids))
        audit(Action.GROUP_CREATED, token=token, detail=name)
    return department


def replace_scim_group(*, token, department, body) -> Department:
    if not isinstance(body, dict):
        raise ScimError("The body must be a Group object.", scim_type="invalidSyntax")
    name = _name(body.get("displayName"))
    external_id = as_text(body.get("externalId"), name="externalId", limit=255)
    ids = member_ids(body.get("members"))
    with _members_moving():
        department = Department.objects.select_for_update().get(pk=department.pk)
        _rename(department, name)
        _set_external_id(department, external_id)
        added, removed = _set_members(department, ids)
        audit(
            Action.GROUP_UPDATED,
            token=token,
            detail=f"{department.name}: replaced; {added} in, {removed} out",
        )
    return department


def patch_scim_group(*, token, department, body) -> Department:
    operations = patch_operations(body)
    with _members_moving():
        department = Department.objects.select_for_update().get(pk=department.pk)
        added = removed = 0
        for operation in operations:
            path = operation.path
            if path == "displayname":
                if operation.op == "remove":
                    raise ScimError("displayName cannot be removed.", scim_type="mutability")
                _rename(department, _name(operation.value))
            elif path == "externalid":
                value = "" if operation.op == "remove" else operation.value
                _set_external_id(department, as_text(value, name="externalId", limit=255))
            elif path == "members":
                ids = member_ids(operation.value)
                if operation.op == "add":
                    added += _add(department, _profiles(ids))
                elif operation.op == "replace":
                    more, fewer = _set_members(department, ids)
                    added, removed = added + more, removed + fewer
                elif ids:
                    removed += _remove(department, _profiles(ids))
                else:  # remove with no value: every member (RFC 7644 §3.5.2.2)
                    removed += _remove(department, list(department.members.all()))
            elif path.startswith("members:") and operation.op == "remove":
                removed += _remove(department, _profiles([path.removeprefix("members:")]))
            elif path == "id":
                continue  # Okta repeats the id in a replace's value
            else:
                raise ScimError(f"{path} cannot be changed on a group.", scim_type="invalidPath")
        audit(
            Action.GROUP_UPDATED,
            token=token,
            detail=f"{department.name}: {added} in, {removed} out",
        )
    return department


def delete_scim_group(*, token, department) -> None:
    """The department goes; its people stay, without a department."""
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        _remove(department, list(department.members.select_related("user")))
        name = department.name
        department.delete()
        audit(Action.GROUP_DELETED, token=token, detail=name)
