"""Two real Celery worker processes take a digest run's chunks in parallel: every reader
gets exactly one digest, and the same run started again sends nothing.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set)."""

import re

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


@pytest.fixture
def workers(tmp_path):
    """Two worker processes (concurrency 1 each), chunks of 2 readers, emails as files."""
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {"EMAIL_FILE_PATH": str(outbox), "DIGEST_CHUNK_SIZE": "2"}
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    with (
        celery_worker(logs[0], hostname="digest-a", concurrency=1, env=env, ready_timeout=180),
        celery_worker(logs[1], hostname="digest-b", concurrency=1, env=env, ready_timeout=180),
    ):
        yield outbox, logs


def test_two_workers_send_each_reader_one_digest(workers, employee):
    outbox, logs = workers
    guild = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    readers = [make_person(f"reader{i}").user for i in range(10)]
    for person in readers:
        groups.join_group(actor=person, group=guild)
    post = feeds.create_post(actor=employee, group=guild, body="Roadmap")
    commenter = make_person("commenter").user  # seen by them: no digest for them
    feeds.create_comment(actor=commenter, post=post, body="Agreed")
    sent = EmailDelivery.objects.filter(key__startswith="digest:", state="sent")

    def chunks_done() -> list[int]:
        return [
            len(re.findall(r"digest_range\[[^\]]+\] succeeded", log.read_text())) for log in logs
        ]

    tasks.send_digests.delay("weekly")
    assert wait_for(lambda: sent.count() == len(readers), 120)
    tasks.send_digests.delay("weekly")  # the same run again: every key is claimed
    # 12 subscribers (readers, author, commenter) in chunks of 2: 6 chunks a run, two runs.
    assert wait_for(lambda: sum(chunks_done()) >= 2 * 6, 180), chunks_done()
    assert all(chunks_done())  # both workers took chunks
    digest_emails = [m for m in _messages(outbox) if "digest" in m["Subject"]]  # not the comment's
    recipients = sorted(m["To"] for m in digest_emails)
    assert recipients == sorted(user.email for user in readers)
    assert sent.count() == len(readers)
