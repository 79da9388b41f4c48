"""Word pairs for quoted phrases (PostgreSQL only; SQLite matches a phrase with LIKE).

feeds_word_pairs(tsvector) lists the pairs of adjacent words of a stored search_vector
("invoic review": the stems, as the tsvector holds them), and a GIN index over it on live
posts and comments answers "which rows hold this pair" (feeds.search.WordPair). Without
it, a phrase of two common words ("invoice review": each word in a fifth of the posts, the
phrase in 0.4%) was found either along the date index (320,000 posts read for 1,000
matches) or from the words' GIN entries (74,000 rows holding both, every one read to check
that they are adjacent): about a second at a million posts. The pairs are what the phrase
operator (<->) checks, computed from the same stored positions, so a row holding the phrase
always holds its pairs; the tsquery still decides the match.

An expression index, not a column: no table rewrite, and the function runs once per row
when the index is built (about two minutes per million posts) and on each insert or edit of
the body. The index is built CONCURRENTLY (so the migration is not atomic): posting and
commenting go on while it builds. Its high COST keeps the planner from calling it row by
row as a filter instead of reading the index.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION feeds_word_pairs(vector tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    SELECT coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}')
    FROM (SELECT w.lexeme, p FROM unnest(vector) w, unnest(w.positions) p) a
    JOIN (SELECT w.lexeme, p FROM unnest(vector) w, unnest(w.positions) p) b ON b.p = a.p + 1
$$
"""
INDEXES = [
    ("feeds_post", "post_search_pairs"),
    ("feeds_comment", "comment_search_pairs"),
]
LIVE = "WHERE deleted_at IS NULL AND removed_at IS NULL"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, index in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {table} "
            f"USING gin (feeds_word_pairs(search_vector)) {LIVE}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, index in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")
    schema_editor.execute("DROP FUNCTION IF EXISTS feeds_word_pairs(tsvector)")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("feeds", "0007_shares_praise_saved_drafts"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
