"""A real Celery worker (prefork, two children) on Redis: the request id arrives with the
task, its logs are JSON without personal data, and its /metrics endpoint (multiprocess
mode) counts the failure and refuses a caller without the token.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set).
"""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core import request_context

from ..processes import free_port, wait_for
from .worker_tasks import explode

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "worker-scrape-token"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): the embedded run "
        "has no broker for a worker process to read",
    ),
]


@pytest.fixture
def worker(tmp_path):
    from config.celery import app

    app.control.purge()
    port = free_port()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"")  # a previous container's leftovers
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "WORKER_METRICS_PORT": str(port),
        "METRICS_TOKEN": TOKEN,
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "tests.ops.worker_tasks",
         "--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--hostname", f"ops-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: "ready" in log_path.read_text(), 60), log_path.read_text()[-3000:]
        yield log_path, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def _get(port: int, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_worker_carries_the_request_id_logs_json_and_counts_the_failure(worker):
    log_path, port = worker
    token = request_context.bind("req-from-web-77")
    try:
        explode.delay(4242)
    finally:
        request_context.unbind(token)

    def failure_line():
        for line in log_path.read_text().splitlines():
            if line.startswith("{") and "could not handle question 4242" in line:
                return json.loads(line)
        return None

    assert wait_for(lambda: failure_line() is not None, 30), log_path.read_text()[-3000:]
    record = failure_line()
    assert record["request_id"] == "req-from-web-77"
    assert record["level"] == "ERROR"
    # Celery's task lines are JSON too: it logs through settings.LOGGING (its start-up banner
    # and Python's warnings are plain text on stdout and stderr, not log records).
    lines = [line for line in log_path.read_text().splitlines() if "Task tests.ops.explode" in line]
    assert lines and all(line.startswith("{") for line in lines), log_path.read_text()[-2000:]

    assert _get(port, "/healthz")[0] == 200
    assert _get(port, "/metrics")[0] == 401
    assert _get(port, "/metrics", "wrong")[0] == 403
    status, body = _get(port, "/metrics", TOKEN)
    assert status == 200
    assert 'socialhub_celery_task_failures_total{task="tests.ops.explode"} 1.0' in body
    count = 'socialhub_celery_task_duration_seconds_count{state="failure",task="tests.ops.explode"}'
    assert count in body
