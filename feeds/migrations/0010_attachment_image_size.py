"""Post images know their size, so cards reserve their box before they arrive
(core.images); the images already stored are measured once here, on the database being
migrated (one that cannot be read keeps no size and shows as before)."""

from django.db import migrations, models


def measure_stored_images(apps, schema_editor):
    from core.images import measure_stored

    Attachment = apps.get_model("feeds", "Attachment")
    rows = Attachment.objects.using(schema_editor.connection.alias)
    images = rows.filter(content_type__startswith="image/", image_width__isnull=True)
    measure_stored(images, file_field="file")


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0009_reaction_by_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="image_height",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attachment",
            name="image_width",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(measure_stored_images, migrations.RunPython.noop),
    ]
