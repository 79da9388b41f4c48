from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Posts, comments, reactions, mentions, topics, the feed and the live socket."""

    name = "feeds"
    label = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from core.sections import register_section as register_page_section
        from notifications.digests import register_section

        from . import personal_data
        from .digest import busiest_unseen_posts
        from .selectors import profile_praise

        register_section("posts", busiest_unseen_posts)
        personal_data.register()
        register_page_section("profile", "praise", profile_praise)
