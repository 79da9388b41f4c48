"""Finer statistics for the folded search keys of people_profile (PostgreSQL only).

The directory's text search (`people.selectors.profile_page` with a query, not prepared) is
planned with each word, and PostgreSQL estimates how many rows LIKE '%word%' matches from
the column's histogram. At the default statistics target (100 entries, from a sample of
30,000 rows) each ANALYZE drew a different sample, and the estimate for "gar" at 100,000
people (2,059 matches) swung from 70 to 4,977 between runs: the plan flipped from walking
the name index (0.5 ms) to reading every match through the trigram indexes and sorting them
(18 ms). With 1,000 entries ANALYZE samples 300,000 rows, the whole table up to that size,
and the estimate stays put (4,330 for "gar", 17 for a word nobody has)."""

from django.db import migrations

COLUMNS = ("name_key", "title_key", "username_key")


def statistics(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        columns = ", ".join(f"ALTER COLUMN {c} SET STATISTICS {target}" for c in COLUMNS)
        schema_editor.execute(f"ALTER TABLE people_profile {columns}")  # noqa: S608 - constants
        schema_editor.execute("ANALYZE people_profile")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_people50_search_words"),
    ]

    operations = [migrations.RunPython(statistics(1000), statistics(-1))]
