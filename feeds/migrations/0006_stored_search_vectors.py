"""Stored tsvector columns for posts and comments (PostgreSQL only; SQLite searches with LIKE).

Each row keeps `search_vector` = to_tsvector('english', COALESCE(body, '')), a generated
column PostgreSQL computes on insert and recomputes when `body` changes, with a GIN index
partial on live rows (like the feed indexes: the visibility selectors only ask for live
rows). Search matches and ranks with the stored column (feeds.search.StoredVector), so no
query recomputes to_tsvector: with the expression indexes of 0003 the match used the index,
but ts_rank recomputed the vector of every candidate row. The expression indexes go.

The column is not a model field: the ORM never writes it (PostgreSQL does) and SQLite has
no such column. Adding a stored column rewrites the table (about a minute per million posts,
holding its lock): run it in a quiet hour.
"""

from django.db import migrations

TABLES = [
    ("feeds_post", "post_search_vector", "post_body_search"),
    ("feeds_comment", "comment_search_vector", "comment_body_search"),
]
VECTOR = "to_tsvector('english'::regconfig, COALESCE(body, ''::text))"
LIVE = "WHERE deleted_at IS NULL AND removed_at IS NULL"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, index, old_index in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector) {LIVE}"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _index, old_index in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {old_index} ON {table} USING gin ({VECTOR}) {LIVE}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0005_attachment_random_names"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
