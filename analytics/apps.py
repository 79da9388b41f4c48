from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Community analytics for group leaders (their groups) and admins (the company)."""

    name = "analytics"
    label = "analytics"
    verbose_name = "Community analytics"

    def ready(self) -> None:
        from core.navigation import register_audience
        from groups.tabs import register_group_tab

        from .selectors import in_company_insights_menu

        register_group_tab("Insights", "group_analytics:group", "insights", leaders_only=True)
        register_audience("analytics", in_company_insights_menu)
