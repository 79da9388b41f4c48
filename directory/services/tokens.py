"""SCIM bearer tokens: an admin creates one per identity provider and sees its key once."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError

from ..models import DirectoryAuditEntry, ScimToken
from .common import audit, require_admin

KEY_PREFIX = "shscim_"
# last_used_at is for the admin's list, not an access log: one write a minute at most.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ScimToken
    key: str  # shown once, never stored


def create_scim_token(*, actor, name: str) -> NewToken:
    require_admin(actor, "Only admins create SCIM tokens.")
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError("Name the token after the provider that uses it.", field="name")
    if len(name) > 100:
        raise ApplicationError("At most 100 characters.", field="name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ScimToken.objects.create(
            name=name, key_hash=hash_key(key), prefix=key[: len(KEY_PREFIX) + 4], created_by=actor
        )
        audit(DirectoryAuditEntry.Action.TOKEN_CREATED, actor=actor, token=token, detail=name)
    return NewToken(token=token, key=key)


def revoke_scim_token(*, actor, token: ScimToken) -> ScimToken:
    require_admin(actor, "Only admins revoke SCIM tokens.")
    with transaction.atomic():
        token = ScimToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit(DirectoryAuditEntry.Action.TOKEN_REVOKED, actor=actor, token=token, detail=token.name)
    return token


def authenticate_scim_key(key: str) -> ScimToken | None:
    """The active token whose key this is, or None. Compares hashes: the lookup is by the
    hash of the presented key, so timing reveals nothing about stored keys."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = ScimToken.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    stale = token.last_used_at is None or (
        (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    )
    if stale:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
