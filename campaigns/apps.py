from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Advocacy campaigns: employees' stories, picked by the social team, shared by
    certified representatives who record where."""

    name = "campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()
