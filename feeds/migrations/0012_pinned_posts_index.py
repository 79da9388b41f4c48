"""A partial index of the pinned live posts by group, for the pinned posts atop a group's
page (`feeds.selectors.pinned_posts`): PostgreSQL read every post of the group to find the
pinned ones, 205 ms for All company's 40,000 posts (bench/feed.py's data) on every visit;
it now reads the handful the index holds."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0011_post_live_group"),
        ("groups", "0003_group_cover_and_posting_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(
                    ("deleted_at__isnull", True),
                    ("pinned_at__isnull", False),
                    ("removed_at__isnull", True),
                ),
                fields=["group", "-pinned_at"],
                name="post_pinned_by_group",
            ),
        ),
    ]
