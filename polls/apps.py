from django.apps import AppConfig


class PollsConfig(AppConfig):
    """Polls in posts: single or multiple choice, live results, visible or anonymous."""

    name = "polls"
    label = "polls"
    verbose_name = "Polls"

    def ready(self) -> None:
        from feeds import extensions

        from .selectors import polls_for_cards

        extensions.register(name="poll", template="polls/_poll.html", load=polls_for_cards)
        extensions.register_compose_link(label="Poll", url_name="polls:new")
