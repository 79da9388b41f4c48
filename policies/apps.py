from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The social media policy, certification and brand accounts."""

    name = "policies"
    label = "policies"
    verbose_name = "Policies"

    def ready(self) -> None:
        from core import session_reads
        from core.bulk import register_kind
        from core.retention import register_rule
        from people.roles import is_admin

        from . import personal_data, receivers, retention  # noqa: F401 - receivers connect on import
        from .selectors import PENDING, pending_of
        from .services import versions
        from .services.common import NOTIFY_BATCH

        register_kind(
            versions.PUBLISH_JOB,
            label="Notifying every employee",
            targets=versions.publication_targets,
            apply=versions.notify_publication_chunk,
            chunk_size=NOTIFY_BATCH,
            may_view=is_admin,
        )
        register_rule(
            "policy-audit",
            retention.old_audit_entries,
            describe="policy and brand account audit entries older than RETENTION_AUDIT_YEARS",
        )
        personal_data.register()
        session_reads.register(PENDING, pending_of)
