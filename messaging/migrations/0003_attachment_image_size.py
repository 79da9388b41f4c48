"""Images sent in messages know their size, so threads reserve their box before they arrive
(core.images); the images already stored are measured once here, on the database being
migrated (one that cannot be read keeps no size and shows as before)."""

from django.db import migrations, models


def measure_stored_images(apps, schema_editor):
    from core.images import measure_stored

    MessageAttachment = apps.get_model("messaging", "MessageAttachment")
    rows = MessageAttachment.objects.using(schema_editor.connection.alias)
    images = rows.filter(content_type__startswith="image/", image_width__isnull=True)
    measure_stored(images, file_field="file")


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_attachments_and_reactions"),
    ]

    operations = [
        migrations.AddField(
            model_name="messageattachment",
            name="image_height",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="messageattachment",
            name="image_width",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(measure_stored_images, migrations.RunPython.noop),
    ]
