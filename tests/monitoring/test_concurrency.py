"""Exactly one alert per key under concurrent intake and overlapping scans (PostgreSQL:
SQLite serializes writers, so the race needs a real server)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from monitoring import services
from monitoring.models import Alert
from routing import services as routing
from routing.models import Channel, CustomerQuestion, KeywordRule

WORKERS = 8


@pytest.mark.django_db(transaction=True)
def test_one_alert_per_key_under_concurrent_intake_and_scans(social, finance):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: the race needs PostgreSQL")
    KeywordRule.objects.create(keyword="invoice", department=finance)
    rule = services.create_rule(actor=social, name="Fraud", terms=["fraud"])
    now = timezone.now()
    CustomerQuestion.objects.bulk_create(
        [
            CustomerQuestion(
                channel=Channel.EMAIL,
                external_id=f"seed-{i}",
                text="my invoice",
                received_at=now - dt.timedelta(seconds=20 * i),
                department=finance,
                status="triaged",
            )
            for i in range(30)
        ]
    )
    barrier = threading.Barrier(WORKERS)
    errors = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            if i % 2:
                services.scan_volumes()
            else:
                question, _ = routing.receive_question(
                    channel=Channel.EMAIL, text=f"fraud on my invoice {i}"
                )
                # What the task enqueued on commit does (a worker may not run in tests).
                services.alert_on_matches(question_id=question.pk)
        except Exception as exc:  # noqa: BLE001  reported below, with the others
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = sorted(Alert.objects.values_list("key", flat=True))
    assert keys == sorted([f"department:{finance.pk}", f"rule:{rule.pk}"])
    assert Alert.objects.get(key=f"rule:{rule.pk}").match_count == WORKERS // 2
