"""WSGI entry point: serve plain HTTP from gunicorn in production (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The apps' tasks modules, imported now rather than by the first request that enqueues a task
# (core.after_commit.task_named): that request (an intake, a publication) paid a second or
# more for the imports.
from config.celery import app as _celery  # noqa: E402

_celery.loader.import_default_modules()

# What is alive now lives as long as the process: out of the garbage collector's walks.
from core import heap  # noqa: E402

heap.settle()
