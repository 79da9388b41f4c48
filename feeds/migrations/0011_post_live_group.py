"""A live post's group, readable from an index alone (PostgreSQL only).

Whether a comment may be read depends on its post: live, and in a group the reader may
read (feeds.selectors.visible_comments). Counting the comments that match a common word
(search counts every kind) joins each match to its post, and at a million posts the post
table (about 1.1 GB in bench/feed.py's data) is mostly outside the database's buffers: each
of the 1,000 lookups read a heap page. This index holds the live posts' ids with their group
(about 30 MB at a million posts), so the lookup is an index-only scan: bench/feed.py's data,
"invoice" in a fifth of the comments, the count went from 30-55 ms to 12-13 ms.

The model state is unchanged (SQLite counts comments with LIKE and needs no such index);
built CONCURRENTLY, so posting goes on while it builds (6 s at a million posts).
"""

from django.db import migrations

INDEX = "post_live_group"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON feeds_post (id) INCLUDE (group_id) "
        "WHERE deleted_at IS NULL AND removed_at IS NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("feeds", "0010_attachment_image_size"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
