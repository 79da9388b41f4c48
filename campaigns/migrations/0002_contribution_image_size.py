"""Campaign photos know their size, so pages reserve their box before they arrive; the photos
already stored are measured once here (one that cannot be read keeps no size and shows as
before)."""

from django.db import migrations, models


def measure_stored_photos(apps, schema_editor):
    from core.images import measure_stored

    Contribution = apps.get_model("campaigns", "Contribution")
    contributions = Contribution.objects.using(schema_editor.connection.alias)
    photos = contributions.exclude(image="").filter(image_width__isnull=True)
    measure_stored(photos, file_field="image")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="image_height",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contribution",
            name="image_width",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(measure_stored_photos, migrations.RunPython.noop),
    ]
