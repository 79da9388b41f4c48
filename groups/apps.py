from django.apps import AppConfig


class GroupsConfig(AppConfig):
    """Department and interest groups, membership, moderation."""

    name = "groups"
    label = "groups"
    verbose_name = "Groups"

    def ready(self) -> None:
        from core.retention import register_rule

        from . import receivers, retention  # noqa: F401 - receivers connect on import

        register_rule(
            "group-audit",
            retention.old_audit_entries,
            describe="group moderation audit entries older than RETENTION_AUDIT_YEARS",
        )
