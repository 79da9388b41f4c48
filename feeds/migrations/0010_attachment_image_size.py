"""Post images know their size, so cards reserve their box before they arrive
(core.images); the images already stored are measured once here, on the database being
migrated (one that cannot be read keeps no size and shows as before)."""

from django.db import migrations, models

CHUNK = 200


def measure_stored_images(apps, schema_editor):
    from core.images import stored_size

    Attachment = apps.get_model("feeds", "Attachment")
    rows = Attachment.objects.using(schema_editor.connection.alias)
    images = rows.filter(content_type__startswith="image/", image_width__isnull=True)
    measured = []
    for item in images.only("pk", "file").iterator(chunk_size=CHUNK):
        size = stored_size(item.file)
        if size is not None:
            item.image_width, item.image_height = size
            measured.append(item)
        if len(measured) >= CHUNK:
            rows.bulk_update(measured, ["image_width", "image_height"])
            measured = []
    rows.bulk_update(measured, ["image_width", "image_height"])


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
