"""The nightly retraining runs in a real Celery worker on Redis: the task the beat schedule
names (routing-retrain) trains a challenger in the worker process, compares it with the
active version on the most recent labels and stores the outcome.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set): the worker is a
separate process that must see the committed rows and the broker.
"""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from routing import tasks, training
from routing.ml.classifier import train
from routing.models import CustomerQuestion, RouterLabel, RouterVersion, Status

from ..processes import celery_worker, wait_for
from .conftest import SEED

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
    log = tmp_path / "worker.log"
    env = {
        "ROUTING_EMBEDDINGS": "off",
        "ROUTING_HOLDOUT_MIN": "6",
        "ROUTING_HOLDOUT_FRACTION": "0.3",
    }
    with celery_worker(log, hostname=f"retrain-test-{os.getpid()}", concurrency=1, env=env):
        yield log


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
