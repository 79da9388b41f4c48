"""An incident's alert becomes a foreign key to monitoring.Alert (it was a bare integer: an
incident could name an alert that never existed). Ids that name no alert are dropped."""

import django.db.models.deletion
from django.db import migrations, models


def link_alerts(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated, not the router's
    incidents = apps.get_model("crisis", "Incident").objects.using(db)
    alerts = apps.get_model("monitoring", "Alert").objects.using(db)
    for incident in incidents.exclude(alert_number=None).only("pk", "alert_number"):
        if alerts.filter(pk=incident.alert_number).exists():
            incidents.filter(pk=incident.pk).update(alert_id=incident.alert_number)


def unlink_alerts(apps, schema_editor):
    incidents = apps.get_model("crisis", "Incident").objects.using(schema_editor.connection.alias)
    for incident in incidents.exclude(alert=None).only("pk", "alert_id"):
        incidents.filter(pk=incident.pk).update(alert_number=incident.alert_id)


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
