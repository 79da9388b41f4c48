"""Coalesced tasks (core.after_commit.enqueue_id_coalesced_on_commit): on Redis a burst of
ids sends one drain task, which runs the task once for each id; embedded, each id is one
task, as enqueue_on_commit sends it."""

import pytest
from celery import shared_task
from django.conf import settings

from core import after_commit

pytestmark = pytest.mark.django_db  # ids are queued when a transaction commits

on_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="coalescing needs Redis: the services suite (REDIS_URL set)"
)

RAN: list[int] = []


@shared_task(name="tests.record_id")
def record_id(item_id: int) -> None:
    if item_id == 13:
        raise RuntimeError("this id fails")
    RAN.append(item_id)


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What would reach the broker, recorded instead of sent (no worker in these tests)."""
    RAN.clear()
    messages: list[tuple] = []
    monkeypatch.setattr(
        after_commit, "enqueue", lambda task, *args: messages.append((task, *args)) or True
    )
    return messages


def _queue(*ids: int, capture) -> None:
    with capture(execute=True):
        for item_id in ids:
            after_commit.enqueue_id_coalesced_on_commit("tests.record_id", item_id)


@on_redis
def test_a_burst_of_ids_sends_one_drain_which_runs_each_id_once(
    sent, django_capture_on_commit_callbacks
):
    _queue(1, 2, 3, capture=django_capture_on_commit_callbacks)
    _queue(4, capture=django_capture_on_commit_callbacks)
    assert sent == [(after_commit.DRAIN_TASK, "tests.record_id")]
    assert after_commit.drain_coalesced("tests.record_id") == 4
    assert RAN == [1, 2, 3, 4]
    assert after_commit.drain_coalesced("tests.record_id") == 0  # nothing twice
    assert RAN == [1, 2, 3, 4]


@on_redis
def test_an_id_after_the_drain_started_sends_the_next_drain(
    sent, django_capture_on_commit_callbacks
):
    _queue(1, capture=django_capture_on_commit_callbacks)
    after_commit.drain_coalesced("tests.record_id")
    _queue(2, 3, capture=django_capture_on_commit_callbacks)
    assert sent == [(after_commit.DRAIN_TASK, "tests.record_id")] * 2
    after_commit.drain_coalesced("tests.record_id")
    assert RAN == [1, 2, 3]


@on_redis
def test_a_failing_id_is_logged_and_the_others_still_run(
    sent, django_capture_on_commit_callbacks, caplog
):
    _queue(12, 13, 14, capture=django_capture_on_commit_callbacks)
    assert after_commit.drain_coalesced("tests.record_id") == 3
    assert RAN == [12, 14]
    assert "run tests.record_id(13)" in caplog.text


@on_redis
def test_a_drain_that_could_not_be_sent_lets_the_next_id_send_one(
    monkeypatch, django_capture_on_commit_callbacks
):
    RAN.clear()
    attempts = []
    monkeypatch.setattr(after_commit, "enqueue", lambda *args: attempts.append(args) and False)
    _queue(1, 2, capture=django_capture_on_commit_callbacks)
    assert len(attempts) == 2  # the broker refused the first: the claim was given back
    after_commit.drain_coalesced("tests.record_id")
    assert RAN == [1, 2]  # still queued: a drain, or the app's sweep, finds them


def test_without_redis_each_id_is_its_own_task(sent, django_capture_on_commit_callbacks, settings):
    if settings.REDIS_URL:
        pytest.skip("the embedded path: the embedded suite (no REDIS_URL)")
    _queue(1, 2, capture=django_capture_on_commit_callbacks)
    assert sent == [("tests.record_id", 1), ("tests.record_id", 2)]
