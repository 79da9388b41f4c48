"""The nightly retraining runs in a real Celery worker on Redis: the task the beat schedule
names (routing-retrain) trains a challenger in the worker process, compares it with the
active version on the most recent labels and stores the outcome.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set): the worker is a
separate process that must see the committed rows and the broker.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from routing import tasks, training
from routing.ml.classifier import train
from routing.models import CustomerQuestion, RouterLabel, RouterVersion, Status

from ..processes import wait_for
from .conftest import SEED

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
def worker(tmp_path):
    from config.celery import app

    app.control.purge()  # leftovers of earlier runs on this Redis database
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
        "ROUTING_EMBEDDINGS": "off",
        "ROUTING_HOLDOUT_MIN": "6",
        "ROUTING_HOLDOUT_FRACTION": "0.3",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--hostname", f"retrain-test-{os.getpid()}@%h"],
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


def test_the_nightly_task_trains_a_challenger_in_the_worker(finance, engineering, worker):
    texts = [t for texts in SEED.values() for t in texts]
    swapped = {"finance": "engineering", "engineering": "finance"}
    labels = [swapped.get(s, s) for s, texts in SEED.items() for _ in texts]
    champion = training.store_router_version(router=train(texts, labels), source="backwards")
    departments = {"finance": finance, "engineering": engineering}
    start = timezone.now()
    for i, (text, slug) in enumerate(
        (t, s) for s in ("finance", "engineering") for t in SEED[s] * 2
    ):
        question = CustomerQuestion.objects.create(
            channel="web", external_id=f"w-{i}", text=text, received_at=start,
            status=Status.ANSWERED, department=departments[slug],
        )  # fmt: skip
        RouterLabel.objects.create(
            question=question, text=text, department=departments[slug],
            source=RouterLabel.Source.ANSWERED, created_at=start + dt.timedelta(microseconds=i),
        )  # fmt: skip

    tasks.retrain_router_nightly.delay()

    def stored():
        return RouterVersion.objects.filter(source="nightly").first()

    assert wait_for(lambda: stored() is not None, 120), worker.read_text()[-3000:]
    version = stored()
    assert version.outcome == RouterVersion.Outcome.ACTIVATED and version.active
    assert version.holdout["champion_id"] == champion.pk
    assert version.holdout["challenger"]["accuracy"] > version.holdout["champion"]["accuracy"]
    assert "routing.tasks.retrain_router_nightly" in worker.read_text()
