from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Posts, comments, reactions, mentions, topics, the feed and the live socket."""

    name = "feeds"
    label = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from notifications.digests import register_section
        from people.profile_sections import register_profile_section

        from . import personal_data
        from .digest import busiest_unseen_posts
        from .selectors import profile_praise

        register_section("posts", busiest_unseen_posts)
        personal_data.register()
        register_profile_section(
            "praise", template="feeds/_profile_praise.html", build=profile_praise
        )
