from django.apps import AppConfig


class AgendaConfig(AppConfig):
    """Events: a post with a time, a place or link, RSVPs, reminders and calendars."""

    name = "agenda"
    label = "agenda"
    verbose_name = "Events"

    def ready(self) -> None:
        from feeds import extensions

        from .selectors import events_for_cards

        extensions.register(name="event", template="agenda/_event.html", load=events_for_cards)
        extensions.register_compose_link(label="Event", url_name="agenda:new")
