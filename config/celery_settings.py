"""Celery's settings (config/settings.py lists them; config/celery.py is the app that reads
them): the broker and result backend (Redis with REDIS_URL, else in memory and eager), and
how tasks are published, acknowledged, redelivered and timed out."""

from django.core.exceptions import ImproperlyConfigured

from config.data import REDIS_URL
from config.environment import env

# --- Celery ---------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Nothing reads a task's result. Storing none also means publishing a task never touches the
# result backend: with results on, `.delay()` subscribed to the result and, with Redis down,
# retried that for 19 s before raising into the request.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
# Embedded, the clock is `celery beat` alone (bin/run.py, started by `make run`): eager, it
# runs each due task itself. Its output (console emails) then stays plain stdout.
CELERY_WORKER_REDIRECT_STDOUTS = not CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# acks_late on Redis: a task stays in Redis's "unacked" set until it finishes; a worker killed
# mid-task (kill -9, OOM, a lost host) leaves it there until this many seconds after delivery,
# when any live worker puts it back on the queue (kombu's default is 3,600 s: an email waited an
# hour). It must exceed the longest task, or a task still running is delivered to a second worker:
# the longest are a digest chunk (500 emails; the whole 10,000-user run is meant to take under
# 2 minutes, bench/digest.py) and training the router with embeddings (about a minute on
# CLINC150, bench/router.py). Ten minutes leaves room for a slow SMTP relay; the hard time limit
# below ends any task before its message can be redelivered (README, "Background tasks").
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_TASK_TIME_LIMIT = env.int(
    "CELERY_TASK_TIME_LIMIT", default=max(CELERY_VISIBILITY_TIMEOUT - 60, 1)
)
if CELERY_TASK_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT.")
# Publishing happens in web requests (after commit): with Redis unreachable it must fail in
# about a second, not hang; core.after_commit logs it and the outbox sweep enqueues later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for such tasks: kombu scans every 10 s x 10 (a task came back
    # up to 100 s after its timeout); one small ZRANGE every 10 s per worker instead.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A worker keeps retrying the broker after a lost connection (and at startup) instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# CELERY_BEAT_SCHEDULE: in config/settings.py, from the intervals and hours of the other
# settings modules (config/schedule.py).
