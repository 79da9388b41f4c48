from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Listening: watch rules, surges, detractors and alerts."""

    name = "monitoring"
    label = "monitoring"
    verbose_name = "Listening"

    def ready(self):
        from core.navigation import register_audience
        from routing.signals import question_received, register_question_panel

        # The tasks the services enqueue by name, registered in every process (web too).
        from . import tasks, watchers  # noqa: F401
        from .selectors import in_listening_menu, question_panel
        from .services.intake import on_question_received

        question_received.connect(on_question_received, dispatch_uid="monitoring.listen")
        register_question_panel("monitoring", question_panel)
        # The Alerts entry: the social team and admins (leaders reach their department's
        # alerts from their notifications).
        register_audience("listening", in_listening_menu)
        watchers.register_department_watchers(
            "leaders", users_of=watchers.leaders_of, departments_of=watchers.departments_led_by
        )
