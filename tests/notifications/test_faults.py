"""Faults with real processes: Celery workers killed with SIGKILL, a local SMTP server, and
Redis out of reach. Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set).

- A task in flight when its worker is killed comes back after the visibility timeout (short
  here), not kombu's default hour.
- A worker killed after the SMTP server accepted a message does not send it again.
- With Redis unreachable, a comment and a new employee are saved and the calls return at
  once; the outbox sweep sends the email when the broker is back.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import tasks
from notifications.models import EmailDelivery, Notification
from people.models import Profile
from tests.processes import wait_for
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY = 8  # seconds, for these tests; production uses CELERY_VISIBILITY_TIMEOUT (600)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): real worker processes",
    ),
]


def _env(**extra) -> dict:
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
        **extra,
    }
    env.pop("EMAIL_FILE_PATH", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def workers(tmp_path, smtp):
    """start() runs a `celery worker` process sending to the test SMTP server; kill() sends
    it SIGKILL. Every worker is gone at the end."""
    from config.celery import app

    app.control.purge()  # leftovers of earlier runs on this Redis database
    redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index")
    procs = []

    class Workers:
        def start(self):
            n = len(procs)
            log_path = tmp_path / f"worker{n}.log"
            log = open(log_path, "w")  # noqa: SIM115 - closed with the process
            env = _env(
                EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
                CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY),
                CELERY_TASK_TIME_LIMIT=str(VISIBILITY - 1),
                EMAIL_SENDING_GRACE_SECONDS="2",
            )
            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                 "--concurrency", "1", "--loglevel", "INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat",
                 "--hostname", f"faults-{os.getpid()}-{n}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            procs.append((proc, log, log_path))
            ready = wait_for(lambda: "ready" in log_path.read_text(), 60, 0.2)
            assert ready, log_path.read_text()[-3000:]
            return proc

        def kill(self, proc):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

        def logs(self) -> str:
            return "\n".join(path.read_text()[-4000:] for _, _, path in procs)

    yield Workers()
    for proc, log, _ in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()


def _mention(employee, colleague) -> Notification:
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    feeds.create_post(actor=employee, group=group, body="Over to you @ben.okafor")
    return Notification.objects.get(recipient=colleague, kind=Notification.Kind.MENTION)


def test_a_task_whose_worker_was_killed_comes_back_within_the_visibility_timeout(
    employee, colleague, workers, smtp
):
    smtp.hold_at = "greeting"  # the worker has claimed the email and is connecting
    first = workers.start()
    notification = _mention(employee, colleague)
    assert smtp.reached.wait(60), workers.logs()
    workers.kill(first)
    killed_at = time.monotonic()
    claim = EmailDelivery.objects.get(key=f"notification:{notification.pk}")
    assert claim.state == EmailDelivery.State.SENDING  # what the killed worker left behind
    smtp.hold_at = None
    smtp.release.set()

    workers.start()  # compose restarts the worker; or any other worker picks it up
    assert wait_for(lambda: len(smtp.messages) >= 1, VISIBILITY + 40), workers.logs()
    redelivered_after = time.monotonic() - killed_at
    print(f"redelivered {redelivered_after:.1f} s after SIGKILL (visibility {VISIBILITY} s)")
    assert redelivered_after < VISIBILITY + 30
    time.sleep(1)
    # The server never accepted the first attempt: it is sent once, with its Message-ID.
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == colleague.email
    claim.refresh_from_db()
    assert (claim.state, claim.attempts) == (EmailDelivery.State.SENT, 2)
    assert smtp.messages[0]["Message-ID"] == claim.message_id


def test_a_worker_killed_after_the_server_accepted_does_not_send_again(
    employee, colleague, workers, smtp
):
    smtp.hold_at = "quit"  # the message is accepted; the worker waits for QUIT's answer
    first = workers.start()
    notification = _mention(employee, colleague)
    assert smtp.reached.wait(60), workers.logs()
    claim = EmailDelivery.objects.get(key=f"notification:{notification.pk}")
    assert claim.state == EmailDelivery.State.SENT  # recorded before QUIT
    workers.kill(first)
    killed_at = time.monotonic()
    smtp.hold_at = None
    smtp.release.set()

    workers.start()
    # The redelivered task runs (it takes the notification out of the outbox) and sends nothing.
    assert wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, email_due_at=None).exists(),
        VISIBILITY + 40,
    ), workers.logs()
    print(f"redelivered {time.monotonic() - killed_at:.1f} s after SIGKILL")
    time.sleep(1)
    assert len(smtp.messages) == 1
    claim.refresh_from_db()
    assert (claim.state, claim.attempts) == (EmailDelivery.State.SENT, 1)


WRITES_WITH_REDIS_DOWN = """
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from feeds import services as feeds
from feeds.models import Post
from people import services as people

User = get_user_model()
post = Post.objects.get(pk=int(sys.argv[1]))
actor = User.objects.get(pk=int(sys.argv[2]))
times = {}
start = time.monotonic()
comment = feeds.create_comment(actor=actor, post=post, body="Count me in")
times["create_comment"] = time.monotonic() - start
start = time.monotonic()
feeds.create_comment(actor=actor, post=post, body="And a second one")
times["create_comment_again"] = time.monotonic() - start
start = time.monotonic()
profile = people.create_employee(
    username="new.hire", email="new.hire@example.com", display_name="New Hire"
)
times["create_employee"] = time.monotonic() - start
print(json.dumps({"comment": comment.pk, "profile": profile.pk, "times": times}))
"""


def test_writes_succeed_with_redis_down_and_the_sweep_sends_once_it_is_back(
    employee, colleague, workers, smtp, settings
):
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    post = feeds.create_post(actor=employee, group=group, body="Lunch on Friday?")
    # A process whose Redis (broker, cache, channel layer) is a closed port.
    env = _env(REDIS_URL="redis://127.0.0.1:1/0", EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", WRITES_WITH_REDIS_DOWN, str(post.pk), str(colleague.pk)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"with Redis down: {result['times']} (process {time.monotonic() - started:.1f} s)")
    # Under a second on an idle machine (first call of the process: imports included).
    assert result["times"]["create_comment"] < 5
    assert result["times"]["create_employee"] < 5
    assert "could not enqueue notifications.email" in done.stderr
    assert Profile.objects.filter(pk=result["profile"], user__username="new.hire").exists()
    # Both comments collapse into one unread notification: one email to send.
    notification = Notification.objects.get(recipient=employee, kind=Notification.Kind.COMMENT)
    assert notification.email_due_at is not None  # in the outbox
    assert smtp.messages == []

    # The broker is back: a worker runs, and the sweep (beat's task) finds the email.
    workers.start()
    settings.OUTBOX_GRACE_SECONDS = 0
    assert tasks.sweep_outbox() == 1
    assert wait_for(lambda: len(smtp.messages) >= 1, 60), workers.logs()
    assert wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, email_due_at=None).exists(), 30
    )
    assert tasks.sweep_outbox() == 0
    time.sleep(1)
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == employee.email
