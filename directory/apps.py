from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """People come from the company directory: SCIM 2.0 provisioning (Entra ID, Okta) and
    the CSV import. The rows are people's; this app is how the directory writes them."""

    name = "directory"
    label = "directory"
    verbose_name = "Directory sync"

    def ready(self) -> None:
        from core.retention import register_rule

        from . import retention

        register_rule(
            "directory-audit",
            retention.old_audit_entries,
            describe="directory sync audit entries older than RETENTION_AUDIT_YEARS",
        )
