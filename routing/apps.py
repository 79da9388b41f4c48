from django.apps import AppConfig


class QuestionroutingConfig(AppConfig):
    """Customer questions routed to the company's experts."""

    name = "routing"
    label = "routing"
    verbose_name = "Question routing"

    def ready(self):
        from core.health import register_check
        from core.metrics import register_collector
        from notifications.digests import register_section

        from . import metrics
        from .selectors import questions_waiting_for

        register_section("questions", questions_waiting_for)
        register_collector("questions", metrics.question_figures)
        register_check("router", metrics.router_ready)
