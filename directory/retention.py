"""The directory's retention rule (core.retention), registered in DirectoryConfig.ready."""

from django.conf import settings

from core.retention import years_ago

from .models import DirectoryAuditEntry


def old_audit_entries(now):
    """Directory sync audit entries (SCIM, imports, tokens) older than RETENTION_AUDIT_YEARS."""
    cutoff = years_ago(now, settings.RETENTION_AUDIT_YEARS)
    return None if cutoff is None else DirectoryAuditEntry.objects.filter(created_at__lt=cutoff)
