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
        from .selectors import may_manage_rules, question_panel
        from .services.intake import on_question_received

        question_received.connect(on_question_received, dispatch_uid="monitoring.listen")
        register_question_panel("monitoring", question_panel)
        # The Alerts entry: the social team and admins (leaders reach their department's
        # alerts from the notification and the queue; one cached role lookup per page).
        register_audience("listening", may_manage_rules)
        watchers.register_department_watchers(
            "leaders", users_of=watchers.leaders_of, departments_of=watchers.departments_led_by
        )
