"""Campaign photos know their size, so pages reserve their box before they arrive; the photos
already stored are measured once here (one that cannot be read keeps no size and shows as
before)."""

from django.db import migrations, models


def measure_stored_photos(apps, schema_editor):
    from core.images import stored_size

    Contribution = apps.get_model("campaigns", "Contribution")
    contributions = Contribution.objects.using(schema_editor.connection.alias)
    photos = contributions.exclude(image="").filter(image_width__isnull=True)
    for contribution in photos.only("pk", "image").iterator(chunk_size=200):
        size = stored_size(contribution.image)
        if size is not None:
            contributions.filter(pk=contribution.pk).update(
                image_width=size[0], image_height=size[1]
            )


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
