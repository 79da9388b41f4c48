"""Folded search keys on profiles (filled for the existing rows) and, on PostgreSQL only,
pg_trgm GIN indexes so that the directory search, the "@" autocomplete and the expert finder
read the matching rows instead of every profile. On SQLite the index steps do nothing."""

import unicodedata

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 5000

# name, expression: what the selectors match (people/selectors.py). The key columns are
# matched with LIKE on folded text; ask_me_about and bio with Django's icontains (UPPER).
TRIGRAM_INDEXES = [
    ("profile_name_key_trgm", "name_key"),
    ("profile_title_key_trgm", "title_key"),
    ("profile_username_key_trgm", "username_key"),
    ("profile_ask_me_about_trgm", "UPPER(ask_me_about)"),
    ("profile_bio_trgm", "UPPER(bio)"),
]


# Letters with a stroke or ligatures, which NFKD does not decompose.
_WHOLE_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text):
    # A copy of people.models.fold as it was when this migration was written.
    text = unicodedata.normalize("NFKD", (text or "").replace("\x00", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().translate(_WHOLE_LETTERS).split())


def fill_keys(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    alias = schema_editor.connection.alias
    rows = Profile.objects.using(alias).order_by("pk")
    rows = rows.values_list("pk", "display_name", "title", "user__username")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        keys = [(pk, " " + fold(name), fold(title), fold(user)) for pk, name, title, user in batch]
        if schema_editor.connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s, %s, %s)"] * len(keys))
            schema_editor.execute(
                f"UPDATE {Profile._meta.db_table} AS p SET name_key = v.n, title_key = v.t,"  # noqa: S608 - our table, values are parameters
                f" username_key = v.u FROM (VALUES {values}) AS v(id, n, t, u) WHERE p.id = v.id",
                [x for row in keys for x in row],
            )
        else:
            Profile.objects.using(alias).bulk_update(
                [Profile(pk=pk, name_key=n, title_key=t, username_key=u) for pk, n, t, u in keys],
                ["name_key", "title_key", "username_key"],
            )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_profile"
            f" USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_data_exports"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="name_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="title_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="username_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
