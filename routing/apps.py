from django.apps import AppConfig


class QuestionroutingConfig(AppConfig):
    """Customer questions routed to the company's experts."""

    name = "routing"
    label = "routing"
    verbose_name = "Question routing"

    def ready(self):
        from notifications.digests import register_section

        from .selectors import questions_waiting_for

        register_section("questions", questions_waiting_for)
