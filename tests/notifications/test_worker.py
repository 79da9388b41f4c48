"""A real Celery worker process on Redis sends a notification email exactly once.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set): the worker is a
separate process that must see the committed rows and the broker.
"""

import os
import signal
import subprocess
import sys
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import tasks
from notifications.models import EmailDelivery, Notification

from ..processes import wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): the embedded run "
        "has no broker for a worker process to read",
    ),
]


def _messages(directory: Path) -> list:
    """Each file of Django's file backend holds messages separated by a line of dashes."""
    found = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(message_from_string(chunk.strip()))
    return found


@pytest.fixture
def worker(tmp_path):
    from config.celery import app

    app.control.purge()  # leftovers of earlier runs on this Redis database
    outbox = tmp_path / "mail"
    outbox.mkdir()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_FILE_PATH": str(outbox),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--hostname", f"notif-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        ready = wait_for(lambda: "ready" in (tmp_path / "worker.log").read_text(), 60)
        assert ready, (tmp_path / "worker.log").read_text()[-3000:]
        yield outbox
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def test_a_worker_sends_the_email_of_a_committed_mention_once(employee, colleague, worker):
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    # A transactional test: the post commits and its on-commit hook enqueues on Redis.
    feeds.create_post(actor=employee, group=group, body="Over to you @ben.okafor")
    notification = Notification.objects.get(recipient=colleague)
    assert wait_for(lambda: len(_messages(worker)) >= 1, 60), "no email came out of the queue"
    # The same task delivered again (a redelivery after a lost ack) sends nothing.
    tasks.email_notifications.delay([notification.pk])
    tasks.email_notifications.delay([notification.pk])
    wait_for(lambda: len(_messages(worker)) > 1, 5)
    messages = _messages(worker)
    assert len(messages) == 1
    assert messages[0]["To"] == colleague.email
    assert "mentioned you" in messages[0]["Subject"]
    assert messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert EmailDelivery.objects.filter(key=f"notification:{notification.pk}").count() == 1
