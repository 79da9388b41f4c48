"""Every read of notifications: a person reads only their own."""

from django.db.models import QuerySet

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor__profile")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
