from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notification center, email and digests."""

    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from core import session_reads
        from core.retention import register_rule

        from . import personal_data, retention, selectors

        register_rule(
            "read-notifications",
            retention.read_notifications,
            describe="read notifications older than RETENTION_READ_NOTIFICATIONS_DAYS",
        )
        register_rule(
            "email-claims",
            retention.email_claims,
            describe="email delivery claims older than RETENTION_EMAIL_DELIVERIES_DAYS",
        )
        personal_data.register()
        session_reads.register(selectors.UNREAD, selectors.unread_of)
