"""What the tests that start real processes (workers, daphne, bin/run.py) share: a free
port, waiting for something to become true with a deadline, a Celery worker."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    """True as soon as `predicate()` is; False if it still is not after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@contextlib.contextmanager
def celery_worker(
    log_path: Path,
    *,
    hostname: str,
    concurrency: int = 2,
    env: dict | None = None,
    ready_timeout: float = 60,
):
    """A real Celery worker (prefork) on the test database and Redis (settings.REDIS_URL),
    logging to `log_path`; stopped (its process group) on exit. Needs PostgreSQL + Redis."""
    from django.conf import settings

    from config.celery import app

    app.control.purge()
    db = settings.DATABASES["default"]
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    if db.get("PASSWORD"):
        environ["PGPASSWORD"] = db["PASSWORD"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
             "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--hostname", f"{hostname}@%h"],
            cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            ready = wait_for(lambda: "ready" in log_path.read_text(), ready_timeout)
            assert ready, log_path.read_text()[-3000:]
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
