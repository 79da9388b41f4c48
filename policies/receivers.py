"""Whoever deactivates an account (the offboarding page, the Django admin, single sign-on),
the person's brand-account authorizations and certification end with it. An admin's copy of
someone's data (people.signals) is written to the company audit log."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from people.models import DataExport
from people.signals import data_export_requested

from .models import AuditEntry
from .services import revoke_access_of_departed


@receiver(post_save, sender=get_user_model(), dispatch_uid="policies.revoke_on_deactivation")
def revoke_on_deactivation(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    revoke_access_of_departed(user=instance)


@receiver(data_export_requested, sender=DataExport, dispatch_uid="policies.audit_data_export")
def audit_data_export(sender, actor, person, export, **kwargs):
    """An admin's copy of someone's data, in the company audit log beside the rest."""
    AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.EXPORT_PERSONAL_DATA,
        target_user=person,
        detail=f"Data export #{export.pk}",
    )
