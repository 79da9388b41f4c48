"""Users as the identity provider sends them: create (POST), replace (PUT), patch (PATCH),
delete (DELETE). The account and profile rows are people's; the manager and department go
through people.services.apply_directory_record. Deactivation is `is_active = False` saved
like the Django admin saves it, so the same receivers run the same offboarding
(policies.receivers: authorizations and certification revoked, accounts handed over to the
manager; people.receivers: open sockets closed) — once, since a repeated deactivation
changes nothing and so saves nothing."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core.saving import save_changed
from people.models import Profile
from people.services import apply_directory_record, create_employee, ensure_department

from ..models import DirectoryAuditEntry, ExternalUser
from ..scim.protocol import (
    ENTERPRISE_SCHEMA,
    ScimError,
    as_bool,
    as_text,
    patch_operations,
    primary_email,
    reference_id,
)
from .common import User, audit

Action = DirectoryAuditEntry.Action

TEXT_LIMITS = {
    "username": 150,
    "first_name": 150,
    "last_name": 150,
    "display_name": 120,
    "title": 120,
    "external_id": 255,
    "department": 100,
}

# PATCH paths (lower case, normalised by protocol._normal_path) -> our field. Anything else a
# provider sends (phoneNumbers, addresses, locale...) is not kept by socialhub and is ignored,
# as RFC 7644 lets a service provider ignore attributes it does not support.
PATCH_PATHS = {
    "active": "active",
    "username": "username",
    "displayname": "display_name",
    "title": "title",
    "externalid": "external_id",
    "name.givenname": "first_name",
    "name.familyname": "last_name",
    'emails[type eq "work"].value': "email",
    "emails": "email",
    "enterprise:department": "department",
    "enterprise:manager": "manager",
}


def _clean(field: str, value, *, name: str):
    if field == "active":
        return as_bool(value, name=name)
    if field == "email":
        return primary_email(value) if isinstance(value, list) else _email(value)
    if field == "manager":
        return reference_id(value, name=name)
    return as_text(value, name=name, limit=TEXT_LIMITS[field], required=field == "username")


def _email(value) -> str:
    email = as_text(value, name="emails.value", limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ScimError(f"{email[:60]} is not an email address.") from exc
    return email


def changes_from_resource(body) -> dict:
    """Every field of a full User resource (POST, PUT). Absent attributes are cleared, as a
    PUT means; the enterprise extension's department and manager are only touched when the
    provider sends the extension at all (it may not manage them)."""
    if not isinstance(body, dict):
        raise ScimError("The body must be a User object.", scim_type="invalidSyntax")
    name = body.get("name") or {}
    if not isinstance(name, dict):
        raise ScimError("name must be an object.")
    changes = {
        "username": _clean("username", body.get("userName"), name="userName"),
        "first_name": _clean("first_name", name.get("givenName"), name="name.givenName"),
        "last_name": _clean("last_name", name.get("familyName"), name="name.familyName"),
        "display_name": _clean(
            "display_name", body.get("displayName") or name.get("formatted"), name="displayName"
        ),
        "email": _clean("email", body.get("emails") or [], name="emails"),
        "title": _clean("title", body.get("title"), name="title"),
        "active": _clean("active", body.get("active", True), name="active"),
        "external_id": _clean("external_id", body.get("externalId"), name="externalId"),
    }
    extension = body.get(ENTERPRISE_SCHEMA)
    if extension is not None:
        if not isinstance(extension, dict):
            raise ScimError(f"{ENTERPRISE_SCHEMA} must be an object.")
        if "department" in extension:
            changes["department"] = _clean("department", extension["department"], name="department")
        if "manager" in extension:
            changes["manager"] = _clean("manager", extension["manager"], name="manager")
    return changes


def changes_from_patch(body) -> dict:
    changes = {}
    for operation in patch_operations(body):
        field = PATCH_PATHS.get(" ".join(operation.path.split()))
        if field is None:
            continue
        if operation.op == "remove":
            if field in ("active", "username"):
                raise ScimError(f"{operation.path} cannot be removed.", scim_type="mutability")
            changes[field] = None if field == "manager" else ""
        else:
            changes[field] = _clean(field, operation.value, name=operation.path)
    return changes


# The account fields SCIM writes in one save (the active flag is saved last, on its own).
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email")


def _apply(*, token, user, changes: dict) -> list[str]:
    """Write `changes` to the account and profile. Expects an open transaction and `user`
    locked. The active flag goes last: an offboarding it starts sees the new manager."""
    renamed = changes.get("username", user.username) != user.username
    if renamed and User.objects.filter(username=changes["username"]).exclude(pk=user.pk).exists():
        raise ScimError("That userName is taken.", scim_type="uniqueness", status=409)
    account = {f: changes[f] for f in ACCOUNT_FIELDS if f in changes}
    changed = list(save_changed(user, account))

    if "external_id" in changes:
        changed += _set_external_id(user, changes["external_id"])

    profile = user.profile
    data = {}
    if "display_name" in changes:
        data["display_name"] = (
            changes["display_name"] or user.get_full_name() or user.get_username()
        )
    if "title" in changes:
        data["title"] = changes["title"]
    if "department" in changes:
        data["department"] = (
            ensure_department(name=changes["department"]) if changes["department"] else None
        )
    if "manager" in changes:
        data["manager"] = _manager(changes["manager"])
    changed += apply_directory_record(profile=profile, data=data)

    if "active" in changes and changes["active"] != user.is_active:
        user.is_active = changes["active"]
        user.save(update_fields=["is_active"])
        changed.append("active")
        audit(
            Action.USER_REACTIVATED if user.is_active else Action.USER_DEACTIVATED,
            token=token,
            target_user=user,
            detail=user.username,
        )
    return changed


def _set_external_id(user, external_id: str) -> list[str]:
    current = ExternalUser.objects.filter(user=user).first()
    if (current.external_id if current else "") == external_id:
        return []
    if not external_id:
        current.delete()
    else:
        ExternalUser.objects.update_or_create(user=user, defaults={"external_id": external_id})
    return ["external_id"]


def _manager(reference: str | None) -> Profile | None:
    if reference is None:
        return None
    manager = (
        Profile.objects.select_related("user").filter(user_id=reference).first()
        if reference.isdigit()
        else None
    )
    if manager is None:
        raise ScimError(f"No user with id {reference[:40]} to be the manager.")
    return manager


def _locked(user_id: int):
    # Only the account row is locked: the profile is the nullable side of the join.
    return User.objects.select_for_update(of=("self",)).select_related("profile").get(pk=user_id)


def create_scim_user(*, token, body) -> User:
    changes = changes_from_resource(body)
    with transaction.atomic():
        if User.objects.filter(username=changes["username"]).exists():
            raise ScimError("That userName is taken.", scim_type="uniqueness", status=409)
        profile = create_employee(
            username=changes["username"],
            email=changes["email"],
            display_name=changes["display_name"] or changes["username"],
        )
        user = _locked(profile.user_id)
        _apply(token=token, user=user, changes=changes)
        audit(Action.USER_CREATED, token=token, target_user=user, detail=user.username)
    return user


def replace_scim_user(*, token, user, body) -> User:
    changes = changes_from_resource(body)
    return _update(token=token, user=user, changes=changes)


def patch_scim_user(*, token, user, body) -> User:
    return _update(token=token, user=user, changes=changes_from_patch(body))


def delete_scim_user(*, token, user) -> None:
    """A provider's DELETE deactivates: the account and what the person wrote stay, as
    when an admin offboards someone."""
    _update(token=token, user=user, changes={"active": False})


def _update(*, token, user, changes: dict) -> User:
    with transaction.atomic():
        user = _locked(user.pk)
        changed = _apply(token=token, user=user, changes=changes)
        others = [c for c in changed if c != "active"]
        if others:
            audit(
                Action.USER_UPDATED,
                token=token,
                target_user=user,
                detail=f"{user.username}: {', '.join(others)}",
            )
    return user
