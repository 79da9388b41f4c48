"""Full-text search indexes for posts and comments (PostgreSQL only; SQLite searches with LIKE).

GIN indexes over exactly the expression feeds/search.py queries with,
SearchVector("body", config="english"), which Django writes as
to_tsvector('english'::regconfig, COALESCE(body, '')): a different expression (another
config, no COALESCE) would not be used by the planner. Partial on live rows, like the feed
indexes: the visibility selectors only ever ask for live posts and comments.
"""

from django.db import migrations

INDEXES = [
    ("feeds_post", "post_body_search"),
    ("feeds_comment", "comment_body_search"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin "
            "(to_tsvector('english'::regconfig, COALESCE(body, ''::text))) "
            "WHERE deleted_at IS NULL AND removed_at IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0002_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
