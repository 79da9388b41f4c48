"""Indexes on the time of comments and reactions, for community analytics' weekly counts
(analytics.selectors): without them a week of comments or reactions is a scan of the whole
table. They live on feeds' tables but belong to analytics, the only reader by these orders,
so they are created here (plain SQL that PostgreSQL and SQLite both read) and not declared
on feeds' models."""

from django.db import migrations

INDEXES = [
    (
        "analytics_comment_live_time",
        "feeds_comment (created_at) WHERE deleted_at IS NULL AND removed_at IS NULL",
    ),
    ("analytics_reaction_time", "feeds_reaction (created_at)"),
]


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES
    ]
