from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notification center, email and digests."""

    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications"
