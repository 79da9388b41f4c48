from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The social media policy, certification and brand accounts."""

    name = "policies"
    label = "policies"
    verbose_name = "Policies"

    def ready(self) -> None:
        from core.retention import register_rule

        from . import personal_data, receivers, retention  # noqa: F401 - receivers connect on import

        register_rule(
            "policy-audit",
            retention.old_audit_entries,
            describe="policy and brand account audit entries older than RETENTION_AUDIT_YEARS",
        )
        personal_data.register()
