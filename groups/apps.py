from django.apps import AppConfig


class GroupsConfig(AppConfig):
    """Department and interest groups, membership, moderation."""

    name = "groups"
    label = "groups"
    verbose_name = "Groups"

    def ready(self) -> None:
        from core.bulk import register_kind
        from core.retention import register_rule
        from notifications.group_access import GroupAccess, register_group_access
        from people.roles import is_admin

        from . import (
            department_sync,
            personal_data,
            receivers,  # noqa: F401
            retention,
            selectors,
        )

        register_group_access(
            GroupAccess(
                get_listed=selectors.get_listed_group,
                get=selectors.get_group,
                can_read=selectors.can_read,
                readable_ids=selectors.readable_group_ids,
                member_ids_of=selectors.member_group_ids_of,
                public_ids=selectors.public_group_ids,
            )
        )
        register_kind(
            department_sync.JOB,
            label="Moving people to their department's group",
            targets=department_sync.sync_targets,
            apply=department_sync.sync_chunk,
            chunk_size=department_sync.CHUNK,
            may_view=is_admin,
        )
        register_rule(
            "group-audit",
            retention.old_audit_entries,
            describe="group moderation audit entries older than RETENTION_AUDIT_YEARS",
        )
        personal_data.register()
