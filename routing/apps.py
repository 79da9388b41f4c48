from django.apps import AppConfig


class QuestionroutingConfig(AppConfig):
    """Customer questions routed to the company's experts."""

    name = "routing"
    label = "routing"
    verbose_name = "Question routing"

    def ready(self):
        from core.health import register_check
        from core.metrics import register_collector
        from core.retention import register_rule
        from notifications.digests import register_section

        from . import metrics, personal_data, retention
        from .selectors import questions_waiting_for

        register_section("questions", questions_waiting_for)
        register_collector("questions", metrics.question_figures)
        register_check("router", metrics.router_ready)
        register_rule(
            "router-versions",
            retention.old_router_versions,
            describe="router versions beyond the active one and the last "
            "RETENTION_ROUTER_VERSIONS_KEEP",
        )
        personal_data.register()
