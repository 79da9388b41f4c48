"""Fewer indexes for each question and delivery stored (the signed webhook, bench/intake.py).

A question's department and expert had an index each beside question_by_dept and
question_by_expert, which lead with them and answer every lookup by them. A delivery id's
unique=True built, on PostgreSQL, a second index for LIKE on it (varchar_pattern_ops) that
no query uses; a unique constraint keeps only the unique index. Each delivery now updates
15 indexes instead of 18."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_name_index_carries_search_keys'),
        ('routing', '0006_router_labels_and_challengers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='customerquestion',
            name='assigned_to',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='customer_questions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='customerquestion',
            name='department',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.department'),
        ),
        migrations.AlterField(
            model_name='webhookdelivery',
            name='delivery_id',
            field=models.CharField(max_length=200),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('delivery_id',), name='one_delivery_per_id'),
        ),
    ]
