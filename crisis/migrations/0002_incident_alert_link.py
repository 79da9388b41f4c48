"""An incident's alert becomes a foreign key to monitoring.Alert (it was a bare integer: an
incident could name an alert that never existed). Ids that name no alert are dropped."""

import django.db.models.deletion
from django.db import migrations, models


def link_alerts(apps, schema_editor):
    Incident = apps.get_model("crisis", "Incident")
    Alert = apps.get_model("monitoring", "Alert")
    for incident in Incident.objects.exclude(alert_number=None).only("pk", "alert_number"):
        if Alert.objects.filter(pk=incident.alert_number).exists():
            Incident.objects.filter(pk=incident.pk).update(alert_id=incident.alert_number)


def unlink_alerts(apps, schema_editor):
    Incident = apps.get_model("crisis", "Incident")
    for incident in Incident.objects.exclude(alert=None).only("pk", "alert_id"):
        Incident.objects.filter(pk=incident.pk).update(alert_number=incident.alert_id)


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0001_crisis_plan"),
        ("monitoring", "0001_listening"),
    ]

    operations = [
        migrations.RenameField("incident", "alert_id", "alert_number"),
        migrations.AddField(
            model_name="incident",
            name="alert",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="incidents",
                to="monitoring.alert",
            ),
        ),
        migrations.RunPython(link_alerts, unlink_alerts, elidable=True),
        migrations.RemoveField("incident", "alert_number"),
    ]
