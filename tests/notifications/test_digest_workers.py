"""Two real Celery worker processes take a digest run's chunks in parallel: every reader
gets exactly one digest, and the same run started again sends nothing.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set)."""

import pytest
from django.conf import settings
from django.db import connection

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import tasks
from notifications.models import EmailDelivery
from tests.factories import make_person

from ..processes import celery_worker, wait_for
from .test_worker import _messages

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): the embedded run "
        "has no broker for worker processes to read",
    ),
]


def test_two_workers_send_each_reader_one_digest(tmp_path, employee):
    guild = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    readers = [make_person(f"reader{i}").user for i in range(10)]
    for person in readers:
        groups.join_group(actor=person, group=guild)
    feeds.create_post(actor=employee, group=guild, body="Roadmap")
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {"EMAIL_FILE_PATH": str(outbox), "DIGEST_CHUNK_SIZE": "2"}
    digests = EmailDelivery.objects.filter(key__startswith="digest:", state="sent")
    with (
        celery_worker(tmp_path / "w1.log", hostname="digest-a", concurrency=1, env=env),
        celery_worker(tmp_path / "w2.log", hostname="digest-b", concurrency=1, env=env),
    ):
        tasks.send_digests.delay("weekly")
        assert wait_for(lambda: digests.count() == len(readers), 90)
        tasks.send_digests.delay("weekly")  # the same run again: every key is claimed

        def succeeded() -> list[int]:
            return [
                (tmp_path / name).read_text().count("digest_range") for name in ("w1.log", "w2.log")
            ]

        # A chunk logs "received" and "succeeded": 6 chunks of 2 readers (and the author), twice.
        assert wait_for(lambda: sum(succeeded()) >= 2 * 6 * 2, 90)
    assert all(succeeded())  # both workers took chunks
    recipients = sorted(address for m in _messages(outbox) for address in m["To"].split(","))
    assert recipients == sorted(user.email for user in readers)
    assert digests.count() == len(readers)
