from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Employees: departments, profiles, skills, org chart."""

    name = "people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from core.retention import register_rule

        from . import personal_data, receivers  # noqa: F401

        personal_data.register()
        register_rule(
            "data-exports",
            personal_data.expired_exports,
            describe="copies of someone's data older than DATA_EXPORT_DAYS (files too)",
        )
