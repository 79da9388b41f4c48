from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Answered customer questions as the company's searchable knowledge."""

    name = "knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from core.sections import register_section
        from feeds.search import register_search_type
        from routing.signals import register_question_panel

        from .panels import insights_section, profile_section, question_panel, topic_section
        from .search import KNOWLEDGE

        register_search_type(KNOWLEDGE)
        register_question_panel("knowledge", question_panel)
        register_section("profile", "knowledge", profile_section)
        register_section("topic", "knowledge", topic_section)
        register_section("question-insights", "knowledge", insights_section)
