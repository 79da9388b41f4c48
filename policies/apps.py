from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The social media policy, certification and brand accounts."""

    name = "policies"
    label = "policies"
    verbose_name = "Policies"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
