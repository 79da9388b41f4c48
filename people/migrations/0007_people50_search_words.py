"""SearchWord: each word of a person's folded name and their folded username, one row each,
for the "@" autocomplete (people.selectors.suggest_people), filled for the existing people.
The index is built after the rows are in (one sort, not 300,000 insertions into it)."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000


def fill_words(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    SearchWord = apps.get_model("people", "SearchWord")
    alias = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # The words of name_key (" " + the folded name) and the folded username, as
        # people.models.search_words makes them.
        schema_editor.execute(
            "INSERT INTO people_searchword (profile_id, word, display_name)"
            " SELECT id, word, display_name FROM people_profile,"
            " regexp_split_to_table(btrim(name_key), ' +') AS word WHERE word <> ''"
            " UNION"
            " SELECT id, username_key, display_name FROM people_profile WHERE username_key <> ''"
        )
        return
    rows = Profile.objects.using(alias).order_by("pk")
    rows = rows.values_list("pk", "display_name", "name_key", "username_key")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        words = []
        for pk, name, name_key, username_key in batch:
            found = set(name_key.split()) | ({username_key} if username_key else set())
            words += [SearchWord(profile_id=pk, word=w, display_name=name) for w in sorted(found)]
        SearchWord.objects.using(alias).bulk_create(words, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_people100k_search_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField()),
                ("display_name", models.CharField(max_length=120)),
                (
                    "profile",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_words",
                        to="people.profile",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchword",
            index=models.Index(
                fields=["word", "display_name", "profile"],
                name="searchword_prefix",
                opclasses=["text_pattern_ops", "varchar_ops", "int8_ops"],
            ),
        ),
    ]
