"""The Celery app. Broker and result backend come from settings (REDIS_URL); with no Redis
configured, tasks run eagerly in the calling process, and `make run`'s clock (`celery beat`,
started by bin/run.py) runs each scheduled task in its own process."""

import logging.config
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("socialhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect(weak=False)
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through settings.LOGGING (LOG_FORMAT, the request id) instead
    of configuring logging Celery's way."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.worker_init.connect(weak=False)
def start_worker_metrics(**kwargs) -> None:
    """In the worker's main process, before it forks: a fresh multiprocess directory, and
    /metrics on WORKER_METRICS_PORT when set (core.metrics)."""
    from django.conf import settings

    from core import metrics

    metrics.clear_multiprocess_dir()
    if settings.WORKER_METRICS_PORT:
        metrics.serve_worker_metrics(settings.WORKER_METRICS_PORT)
