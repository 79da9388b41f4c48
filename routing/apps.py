from django.apps import AppConfig


class QuestionroutingConfig(AppConfig):
    """Customer questions routed to the company's experts."""

    name = "routing"
    label = "routing"
    verbose_name = "Question routing"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.health import register_check
        from core.metrics import register_collector
        from core.retention import register_rule
        from notifications.digests import register_section

        from . import metrics, personal_data, retention
        from .models import SlaTarget
        from .selectors import questions_waiting_for
        from .services.sla import forget_targets

        post_save.connect(forget_targets, sender=SlaTarget, dispatch_uid="routing.sla-save")
        post_delete.connect(forget_targets, sender=SlaTarget, dispatch_uid="routing.sla-delete")
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
