"""Notifications' retention rules (core.retention), registered in NotificationsConfig.ready."""

from django.conf import settings

from core.retention import days_ago

from .models import EmailDelivery, Notification


def read_notifications(now):
    """Read notifications older than RETENTION_READ_NOTIFICATIONS_DAYS (unread ones stay)."""
    cutoff = days_ago(now, settings.RETENTION_READ_NOTIFICATIONS_DAYS)
    if cutoff is None:
        return None
    return Notification.objects.filter(read_at__isnull=False, read_at__lt=cutoff)


def email_claims(now):
    """Email claims older than RETENTION_EMAIL_DELIVERIES_DAYS: long past any redelivery."""
    cutoff = days_ago(now, settings.RETENTION_EMAIL_DELIVERIES_DAYS)
    if cutoff is None:
        return None
    return EmailDelivery.objects.filter(claimed_at__lt=cutoff)
