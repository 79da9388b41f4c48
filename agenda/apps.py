from django.apps import AppConfig


class AgendaConfig(AppConfig):
    """Events: a post with a time, a place or link, RSVPs, reminders and calendars."""

    name = "agenda"
    label = "agenda"
    verbose_name = "Events"
