"""Groups' retention rule (core.retention), registered in GroupsConfig.ready."""

from django.conf import settings

from core.retention import years_ago

from .models import AuditEntry


def old_audit_entries(now):
    """Moderation audit entries older than RETENTION_AUDIT_YEARS."""
    cutoff = years_ago(now, settings.RETENTION_AUDIT_YEARS)
    return None if cutoff is None else AuditEntry.objects.filter(created_at__lt=cutoff)
