from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Employees: departments, profiles, skills, org chart."""

    name = "people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
