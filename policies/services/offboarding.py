"""Someone leaves: every authorization and their certification revoked, the accounts they ran
flagged for handover, all audited, in one transaction (the offboarding page, the Django
admin, single sign-on)."""

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.wording import counted
from notifications.models import Notification
from notifications.services import notify

from ..models import (
    AuditEntry,
    Authorization,
    BrandAccount,
    Certification,
)
from .brand_accounts import _revoke_authorizations
from .common import User, _audit, _require_admin


def _flag_for_handover(actor, account_ids, *, leaver, successor, now) -> None:
    for account in BrandAccount.objects.select_for_update().filter(pk__in=account_ids):
        account.handover_from = leaver
        account.handover_to = successor
        account.handover_requested_at = now
        account.save(update_fields=["handover_from", "handover_to", "handover_requested_at"])
        to = f" to {successor.username}" if successor else " (nobody named yet)"
        _audit(
            actor,
            AuditEntry.Action.FLAG_HANDOVER,
            account=account,
            target_user=leaver,
            detail=f"From {leaver.username}{to}",
        )
        if successor is not None:
            notify(
                recipient=successor,
                kind=Notification.Kind.POLICY,
                actor=actor,
                text=f"You take over the brand account {account} from {leaver.username}.",
                url=account.get_absolute_url(),
                target_key=f"handover:{account.pk}",
            )


def _revoke_everything(actor, user, *, successor, now, detail: str) -> int:
    """Revoke `user`'s authorizations and certification, flag their accounts. Expects an
    open transaction."""
    authorizations = list(
        Authorization.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    )
    _revoke_authorizations(actor, authorizations, now, detail=detail)
    _flag_for_handover(
        actor,
        {a.account_id for a in authorizations},
        leaver=user,
        successor=successor,
        now=now,
    )
    certification = (
        Certification.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    )
    if certification is not None:
        certification.revoked_at, certification.revoked_by = now, actor
        certification.revoke_reason = detail[:300]
        certification.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _audit(actor, AuditEntry.Action.REVOKE_CERTIFICATION, target_user=user, detail=detail)
    return len(authorizations)


def check_offboarding(*, actor, user, handover_to) -> None:
    """Whether offboard_employee would accept these people, without changing anything:
    the confirmation page asks it before showing what will happen. The same refusals."""
    _require_admin(actor, "Only admins offboard employees.")
    if user.pk == actor.pk:
        raise ApplicationError("You cannot offboard yourself.", field="username")
    if not user.is_active:
        raise ApplicationError("This person has already left.", field="username")
    if handover_to is None or not handover_to.is_active:
        raise ApplicationError("Name an active colleague to take over.", field="handover_to")
    if handover_to.pk == user.pk:
        raise ApplicationError(
            "Hand over to someone who is staying, not to the person leaving.",
            field="handover_to",
        )


def offboard_employee(*, actor, user, handover_to) -> int:
    """Deactivate `user`: every brand-account authorization and their certification are
    revoked, the accounts they ran are flagged for handover to `handover_to`, and each
    change is audited. All in one transaction: a failure midway changes nothing.
    Returns how many authorizations were revoked."""
    check_offboarding(actor=actor, user=user, handover_to=handover_to)
    now = timezone.now()
    with transaction.atomic():
        revoked = _revoke_everything(
            actor, user, successor=handover_to, now=now, detail="Offboarded"
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        _audit(
            actor,
            AuditEntry.Action.OFFBOARD,
            target_user=user,
            detail=f"{counted(revoked, 'authorization')} revoked; "
            f"handover to {handover_to.username}",
        )
    return revoked


def revoke_access_of_departed(*, user) -> int:
    """For a user deactivated elsewhere (the Django admin, single sign-on): the same
    revocations as offboarding, handing over to their manager when they have an active
    one. No-op when nothing is left to revoke."""
    if user.is_active:
        return 0
    has_any = (
        Authorization.objects.filter(user=user, revoked_at__isnull=True).exists()
        or Certification.objects.filter(user=user, revoked_at__isnull=True).exists()
    )
    if not has_any:
        return 0
    successor = (
        User.objects.filter(profile__reports__user=user, is_active=True).exclude(pk=user.pk).first()
    )
    with transaction.atomic():
        revoked = _revoke_everything(
            None,
            user,
            successor=successor,
            now=timezone.now(),
            detail="Account deactivated",
        )
        _audit(
            None,
            AuditEntry.Action.OFFBOARD,
            target_user=user,
            detail="Deactivated outside the offboarding page; "
            f"{counted(revoked, 'authorization')} revoked",
        )
    return revoked
