from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Posts, comments, reactions, mentions, topics, the feed and the live socket."""

    name = "feeds"
    label = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from core.bulk import register_kind
        from core.sections import register_section as register_page_section
        from notifications.digests import register_section
        from notifications.services import BULK_BATCH
        from people.roles import is_admin

        from . import notifications, personal_data
        from .digest import busiest_unseen_posts
        from .selectors import profile_praise

        register_section("posts", busiest_unseen_posts)
        register_kind(
            notifications.COMPANY_ANNOUNCEMENT_JOB,
            label="Telling everyone in the company",
            targets=notifications.company_announcement_targets,
            apply=notifications.notify_company_announcement_chunk,
            chunk_size=BULK_BATCH,
            may_view=is_admin,  # besides its author (selectors.announcement_progress)
        )
        personal_data.register()
        register_page_section("profile", "praise", profile_praise)
