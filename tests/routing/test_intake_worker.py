"""Intake on the production stack: 8 senders post signed deliveries to a real server while
a real Celery worker routes them; some mentions come twice in different deliveries at once,
some deliveries are retried with the same id, and some routing tasks are delivered twice.
Nothing is lost, nothing is doubled: one question per mention, one assignment and one
notification per question.

Runs only against PostgreSQL + Redis (DATABASE_URL and REDIS_URL set).
"""

import http.client
import itertools
import json
import threading
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from core.after_commit import enqueue
from notifications.models import Notification
from routing.models import Assignment, CustomerQuestion, KeywordRule, Status
from routing.webhooks import sign

from ..factories import make_person
from ..processes import celery_worker, wait_for
from .conftest import ALWAYS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL): the embedded run "
        "has no broker for a worker process to read",
    ),
]

SECRET = "worker-test-webhook-secret"
SENDERS = 8
MENTIONS = 60
TWICE = 15  # mentions sent in two deliveries, back to back (two senders hold them at once)
RETRIED = 15  # deliveries sent again with the same delivery id (the sender's retry)


def _post(conn, body: bytes, delivery: str) -> int:
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Socialhub-Timestamp": timestamp,
        "X-Socialhub-Delivery": delivery,
        "X-Socialhub-Signature": sign(body, timestamp, SECRET),
    }
    conn.request("POST", "/api/v1/questions/webhook/", body, headers)
    response = conn.getresponse()
    response.read()
    return response.status


def test_eight_senders_redelivery_and_a_real_worker_lose_and_double_nothing(
    live_server, settings, finance, tmp_path
):
    settings.ROUTING_WEBHOOK_SECRET = SECRET
    KeywordRule.objects.create(keyword="invoice", department=finance)
    experts = [make_person(f"expert{n}", department=finance, **ALWAYS).user for n in range(3)]
    run = uuid.uuid4().hex[:8]
    bodies = [
        json.dumps(
            {"channel": "twitter", "external_id": f"{run}-{n}", "text": f"my invoice {n}"}
        ).encode()
        for n in range(MENTIONS)
    ]
    deliveries = []  # (body, delivery id)
    for n, body in enumerate(bodies):
        deliveries.append((body, f"{run}-d{n}"))
        if n < TWICE:
            deliveries.append((body, f"{run}-d{n}-again"))
        elif n < TWICE + RETRIED:
            deliveries.append((body, f"{run}-d{n}"))
    tickets = itertools.count()
    answers: Counter = Counter()
    lock = threading.Lock()
    host, port = live_server.url.removeprefix("http://").split(":")

    def sender():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while (n := next(tickets)) < len(deliveries):
            status = _post(conn, *deliveries[n])
            with lock:
                answers[status] += 1
        conn.close()

    with celery_worker(
        tmp_path / "worker.log",
        hostname=f"intake-test-{run}",
        env={"ROUTING_EXPERT_CAPACITY": "1000"},
    ):
        threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(answers) <= {200, 201, 202}, answers
        assert answers[201] == MENTIONS
        assert answers[200] + answers[202] == TWICE + RETRIED
        assert answers[202] >= RETRIED  # a retry of one delivery id is never a second question

        questions = CustomerQuestion.objects.filter(external_id__startswith=f"{run}-")
        assert wait_for(lambda: not questions.filter(status=Status.NEW).exists(), 60), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]

        def ran(task: str) -> list[str]:
            lines = (tmp_path / "worker.log").read_text().splitlines()
            return [ln for ln in lines if f"{task}[" in ln and "succeeded" in ln]

        # Intake coalesces: drain tasks ran route_question once for each question, in all (a
        # drain logs its count when its list is empty, after the last question it routed).
        def drained() -> list[int]:
            return [int(ln.rsplit(":", 1)[1]) for ln in ran("core.drain_coalesced")]

        assert wait_for(lambda: sum(drained()) == MENTIONS, 60), drained()
        # The broker redelivers some routing tasks (a worker lost before its ack): no effect.
        for pk in questions.values_list("pk", flat=True)[:20]:
            assert enqueue("routing.tasks.route_question", pk)
        assert wait_for(lambda: len(ran("routing.tasks.route_question")) == 20, 60)

    assert questions.count() == MENTIONS
    assert set(questions.values_list("status", flat=True)) == {Status.ASSIGNED}
    assert set(questions.values_list("assigned_to", flat=True)) <= {e.pk for e in experts}
    per_question = Counter(
        Assignment.objects.filter(question__in=questions).values_list("question_id", flat=True)
    )
    assert len(per_question) == MENTIONS and set(per_question.values()) == {1}
    keys = Counter(
        Notification.objects.filter(kind=Notification.Kind.QUESTION_ASSIGNED).values_list(
            "target_key", flat=True
        )
    )
    assert len(keys) == MENTIONS and set(keys.values()) == {1}
    assert all(q.sla_due_at is not None for q in questions)
