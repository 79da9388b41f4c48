"""The Celery app. Broker and result backend come from settings (REDIS_URL); with no Redis
configured, tasks run eagerly in the calling process, and `make run`'s clock (`celery beat`,
started by bin/run.py) runs each scheduled task in its own process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("socialhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
