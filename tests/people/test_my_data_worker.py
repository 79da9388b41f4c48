"""A real Celery worker process on Redis builds a copy of someone's data once, and the
download link of its notification serves the zip it wrote (the worker and the web share
nothing but PostgreSQL, Redis and the media storage).

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set)."""

import io
import json
import os
import zipfile

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
from ..processes import celery_worker, wait_for

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
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    log = tmp_path / "worker.log"
    env = {"MEDIA_ROOT": str(media), "EMAIL_FILE_PATH": str(tmp_path)}
    with celery_worker(log, hostname=f"mydata-test-{os.getpid()}", concurrency=1, env=env):
        yield log


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
