"""Email claims get states (sending, sent, uncertain) and a stable Message-ID; notifications
get `email_due_at`, the outbox the sweep reads. Rows written before this migration were
handled already: their claims are "sent" and no old notification becomes due."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def claimed_when_sent(apps, schema_editor):
    EmailDelivery = apps.get_model("notifications", "EmailDelivery")
    EmailDelivery.objects.using(schema_editor.connection.alias).update(claimed_at=F("sent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_preferences_and_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="emaildelivery",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="emaildelivery",
            name="claimed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="emaildelivery",
            name="message_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        # Existing claims were written in the transaction that sent them: "sent".
        migrations.AddField(
            model_name="emaildelivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("uncertain", "Uncertain (an attempt died while sending)"),
                ],
                default="sent",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="emaildelivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("uncertain", "Uncertain (an attempt died while sending)"),
                ],
                default="sending",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="emaildelivery",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(claimed_when_sent, migrations.RunPython.noop),
        # Existing notifications are not due: added as NULL, then new rows default to now.
        migrations.AddField(
            model_name="notification",
            name="email_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="notification",
            name="email_due_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_due_at__isnull", False)),
                fields=["email_due_at"],
                name="notif_email_due",
            ),
        ),
    ]
