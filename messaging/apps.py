from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Direct and small-group conversations."""

    name = "messaging"
    label = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        from core.frames import register_frame
        from core.navigation import register_badge
        from core.retention import register_rule

        from . import personal_data, retention
        from .live import relay_typing

        register_frame("typing", relay_typing)
        register_rule(
            "messages",
            retention.old_messages,
            describe="direct messages older than MESSAGE_RETENTION_DAYS",
        )
        register_badge("messages", "messaging:badge")
        personal_data.register()
