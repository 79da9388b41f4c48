"""gunicorn's settings for the web process: `gunicorn -c python:config.gunicorn ...`.

With PROMETHEUS_MULTIPROC_DIR set, every worker writes its metrics there and a scrape of
any worker adds them up (core.metrics): the master starts from an empty directory and
forgets a worker's live gauges when it exits.
"""

import os

from prometheus_client import multiprocess


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory and os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.unlink(os.path.join(directory, name))


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
