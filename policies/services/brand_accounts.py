"""The registry of brand accounts and who is authorized to speak on each."""

import re

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError

from ..models import (
    AuditEntry,
    Authorization,
    BrandAccount,
)
from .common import _audit, _require_admin


def _clean_account(platform, handle, url, department, description):
    if platform not in BrandAccount.Platform.values:
        raise ApplicationError("Choose a platform from the list.", field="platform")
    handle = (handle or "").strip()
    if not handle or len(handle) > 100 or any(c.isspace() for c in handle):
        raise ApplicationError("Give the handle, without spaces (under 100).", field="handle")
    url = (url or "").strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url) or len(url) > 300:
        raise ApplicationError("Give the account's web address (https://…).", field="url")
    if department is None:
        raise ApplicationError("Choose the department that owns the account.", field="department")
    description = " ".join((description or "").split())
    if len(description) > 300:
        raise ApplicationError("Keep the description under 300 characters.", field="description")
    return platform, handle, url, department, description


def create_brand_account(
    *, actor, platform: str, handle: str, url: str, department, description: str = ""
) -> BrandAccount:
    _require_admin(actor, "Only admins manage brand accounts.")
    platform, handle, url, department, description = _clean_account(
        platform, handle, url, department, description
    )
    if BrandAccount.objects.filter(platform=platform, handle__iexact=handle).exists():
        raise ApplicationError("This account is registered already.", field="handle")
    with transaction.atomic():
        account = BrandAccount.objects.create(
            platform=platform,
            handle=handle,
            url=url,
            department=department,
            description=description,
        )
        _audit(actor, AuditEntry.Action.CREATE_ACCOUNT, account=account, detail=str(account))
    return account


def edit_brand_account(
    *, actor, account: BrandAccount, platform, handle, url, department, description=""
) -> BrandAccount:
    _require_admin(actor, "Only admins manage brand accounts.")
    platform, handle, url, department, description = _clean_account(
        platform, handle, url, department, description
    )
    duplicate = BrandAccount.objects.filter(platform=platform, handle__iexact=handle).exclude(
        pk=account.pk
    )
    if duplicate.exists():
        raise ApplicationError("Another entry has this handle.", field="handle")
    with transaction.atomic():
        account.platform, account.handle, account.url = platform, handle, url
        account.department, account.description = department, description
        account.save(update_fields=["platform", "handle", "url", "department", "description"])
        _audit(actor, AuditEntry.Action.EDIT_ACCOUNT, account=account, detail=str(account))
    return account


def authorize_person(*, actor, account: BrandAccount, user) -> Authorization:
    _require_admin(actor, "Only admins authorize people on brand accounts.")
    if not user.is_active:
        raise ApplicationError("That person has left the company.", field="username")
    with transaction.atomic():
        existing = Authorization.objects.filter(
            account=account, user=user, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        authorization = Authorization.objects.create(account=account, user=user, granted_by=actor)
        _audit(actor, AuditEntry.Action.AUTHORIZE, account=account, target_user=user)
    return authorization


def _revoke_authorizations(actor, authorizations, now, *, detail: str = "") -> None:
    for authorization in authorizations:
        authorization.revoked_at, authorization.revoked_by = now, actor
        authorization.save(update_fields=["revoked_at", "revoked_by"])
        _audit(
            actor,
            AuditEntry.Action.REVOKE_AUTHORIZATION,
            account_id=authorization.account_id,
            target_user_id=authorization.user_id,
            detail=detail,
        )


def revoke_authorization(*, actor, account: BrandAccount, user) -> None:
    _require_admin(actor, "Only admins revoke authorizations.")
    with transaction.atomic():
        active = list(
            Authorization.objects.select_for_update().filter(
                account=account, user=user, revoked_at__isnull=True
            )
        )
        if not active:
            raise ApplicationError(
                "That person is not authorized on this account.", field="username", status=404
            )
        _revoke_authorizations(actor, active, timezone.now())


def complete_handover(*, actor, account: BrandAccount) -> BrandAccount:
    """The named colleague takes the account over: authorized, and the flag cleared."""
    _require_admin(actor, "Only admins complete handovers.")
    with transaction.atomic():
        locked = BrandAccount.objects.select_for_update().get(pk=account.pk)
        if locked.handover_requested_at is None:
            raise ApplicationError("This account has no handover pending.", field="account")
        successor = locked.handover_to
        if successor is None or not successor.is_active:
            raise ApplicationError(
                "Authorize an active colleague on the account first, then clear the flag.",
                field="handover_to",
            )
        Authorization.objects.get_or_create(
            account=locked, user=successor, revoked_at__isnull=True, defaults={"granted_by": actor}
        )
        locked.handover_requested_at = None
        locked.save(update_fields=["handover_requested_at"])
        _audit(
            actor,
            AuditEntry.Action.COMPLETE_HANDOVER,
            account=locked,
            target_user=successor,
        )
    return locked
