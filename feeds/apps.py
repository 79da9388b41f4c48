from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Posts, comments, reactions, mentions, topics, the feed and the live socket."""

    name = "feeds"
    label = "feeds"
    verbose_name = "Feeds"
