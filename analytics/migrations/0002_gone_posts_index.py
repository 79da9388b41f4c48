"""The ids of deleted and removed posts, a small index: the weekly counts leave out the
comments and reactions of those posts with a NOT IN over it, instead of joining every
comment of the period to its post (a hash of the whole posts table at a million posts)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_activity_time_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS analytics_post_gone ON feeds_post (id)"
            " WHERE deleted_at IS NOT NULL OR removed_at IS NOT NULL",
            reverse_sql="DROP INDEX IF EXISTS analytics_post_gone",
        )
    ]
