"""A real Celery worker process on Redis builds a copy of someone's data once, and the
download link of its notification serves the zip it wrote (the worker and the web share
nothing but PostgreSQL, Redis and the media storage).

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set)."""

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications.models import Notification
from people import personal_data, tasks
from people.models import DataExport

from ..conftest import client_for
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


@pytest.fixture
def worker(tmp_path, settings):
    from config.celery import app

    app.control.purge()
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(media),
        "EMAIL_FILE_PATH": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--hostname", f"mydata-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        ready = wait_for(lambda: "ready" in (tmp_path / "worker.log").read_text(), 60)
        assert ready, (tmp_path / "worker.log").read_text()[-3000:]
        yield tmp_path / "worker.log"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def test_a_worker_builds_the_copy_once_and_the_link_serves_it(employee, colleague, worker):
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    feeds.create_post(actor=employee, group=group, body="Written by Ana")
    feeds.create_post(actor=colleague, group=group, body="Written by Ben")
    # A transactional test: the request commits and its on-commit hook enqueues on Redis.
    export = personal_data.request_data_export(actor=employee, person=employee)

    def ready() -> bool:
        export.refresh_from_db()
        return export.status != DataExport.Status.PENDING

    assert wait_for(ready, 90), worker.read_text()[-3000:]
    assert export.status == DataExport.Status.READY, worker.read_text()[-3000:]
    first_file = export.file.name
    # The same task delivered again (a lost ack) builds nothing more and tells nobody twice.
    tasks.build_data_export.delay(export.pk)
    tasks.build_data_export.delay(export.pk)
    done = "people.tasks.build_data_export"

    def built_three_times() -> bool:
        lines = worker.read_text().splitlines()
        return sum(1 for line in lines if done in line and "succeeded" in line) >= 3

    assert wait_for(built_three_times, 60), worker.read_text()[-3000:]
    export.refresh_from_db()
    assert export.file.name == first_file
    notes = Notification.objects.filter(recipient=employee, kind=Notification.Kind.DATA_EXPORT)
    assert notes.count() == 1
    response = client_for(employee).get(notes.get().url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    bodies = [p["body"] for p in json.loads(archive.read("posts.json"))]
    assert bodies == ["Written by Ana"]
    assert client_for(colleague).get(notes.get().url).status_code == 404
