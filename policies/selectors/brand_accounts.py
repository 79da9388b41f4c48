"""The brand account registry: the accounts with who may post on each, one account, its
authorization history, and what offboarding someone would change."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import Authorization, BrandAccount, Certification
from .certification import active_certification
from .common import _active, _require_admin


def _active_authorizations() -> Prefetch:
    return Prefetch(
        "authorizations",
        queryset=Authorization.objects.filter(revoked_at__isnull=True)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "id"),
        to_attr="active_authorizations",
    )


def brand_accounts(viewer) -> QuerySet[BrandAccount]:
    """The registry (every active employee reads it), with who may post on each (2 queries)."""
    if not _active(viewer):
        return BrandAccount.objects.none()
    return BrandAccount.objects.select_related(
        "department", "handover_to__profile", "handover_from__profile"
    ).prefetch_related(_active_authorizations())


def get_brand_account(viewer, account_id) -> BrandAccount:
    try:
        return brand_accounts(viewer).get(pk=account_id)
    except (BrandAccount.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such brand account.") from exc


def authorization_history(viewer, account: BrandAccount) -> QuerySet[Authorization]:
    _require_admin(viewer)
    return account.authorizations.select_related("user__profile", "granted_by__profile").order_by(
        "-granted_at", "-id"
    )


# --- Offboarding ----------------------------------------------------------------------


@dataclass(frozen=True)
class OffboardingPreview:
    """What offboarding `leaver` would do, shown to the admin before they confirm."""

    leaver: object
    successor: object
    accounts: list  # brand accounts they may post on: revoked, flagged for handover
    certification: Certification | None  # revoked
    pending_handovers: list  # accounts already being handed over to them

    @property
    def nothing_to_revoke(self) -> bool:
        return not self.accounts and self.certification is None


def offboarding_preview(viewer, *, leaver, successor) -> OffboardingPreview:
    """What services.offboard_employee(user=leaver, handover_to=successor) would change:
    admins only (403). Three queries."""
    _require_admin(viewer)
    accounts = list(
        BrandAccount.objects.filter(
            authorizations__user=leaver, authorizations__revoked_at__isnull=True
        )
        .select_related("department")
        .order_by("platform", "handle")
        .distinct()
    )
    return OffboardingPreview(
        leaver=leaver,
        successor=successor,
        accounts=accounts,
        certification=active_certification(leaver),
        pending_handovers=list(
            BrandAccount.objects.filter(handover_to=leaver).order_by("platform", "handle")
        ),
    )
