from django.apps import AppConfig


class QuestionroutingConfig(AppConfig):
    """Customer questions routed to the company's experts."""

    name = "routing"
    label = "routing"
    verbose_name = "Question routing"
