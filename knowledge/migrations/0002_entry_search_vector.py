"""A stored tsvector for knowledge entries (PostgreSQL only; SQLite searches with LIKE), like
feeds/0006: `search_vector` is the title (weight A) and the answer (weight B), a generated
column PostgreSQL keeps up to date, GIN-indexed on the readable entries only (published
and outdated: a retired entry leaves the index with its state). Search matches and ranks
with it (feeds.search.StoredVector); the ORM never writes it."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, ''::text)), 'B')"
)
READABLE = "WHERE state IN ('published', 'outdated')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE knowledge_entry ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS entry_search_vector ON knowledge_entry "
        f"USING gin (search_vector) {READABLE}"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE knowledge_entry DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_entries"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
