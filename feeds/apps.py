from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Posts, comments, reactions, mentions, topics, the feed and the live socket."""

    name = "feeds"
    label = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from notifications.digests import register_section

        from . import personal_data
        from .digest import busiest_unseen_posts

        register_section("posts", busiest_unseen_posts)
        personal_data.register()
