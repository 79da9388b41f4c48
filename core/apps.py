from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: events, errors, and running the service (health, metrics, request
    ids in logs, backups, retention)."""

    name = "core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Their Celery signal handlers (task timing, the request id in task headers) must be
        # connected in every process that publishes or runs tasks.
        from . import health, metrics, request_context  # noqa: F401
