"""/metrics: closed to the public, and measuring what the operators watch."""

import ipaddress

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from celery import shared_task
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from feeds import services as feeds
from groups import services as groups

from ..factories import make_person
from ..realtime.sockets import open_socket
from ..routing.conftest import ask

TOKEN = "scrape-token-for-tests"
pytestmark = pytest.mark.django_db


def scrape(client=None, **headers) -> dict[str, dict]:
    """{metric name: {labels tuple: value}} as Prometheus would read it."""
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples: dict[str, dict] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []


# --- Who may read them --------------------------------------------------------------------


def test_closed_to_everyone_when_nothing_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 403


def test_anonymous_caller_gets_401(client, token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"socialhub_" not in response.content


def test_wrong_token_gets_403(client, token):
    for header in (f"Bearer {TOKEN}x", "Bearer ", f"Token {TOKEN}", TOKEN):
        response = client.get("/metrics", HTTP_AUTHORIZATION=header)
        assert response.status_code in (401, 403), header
        assert b"socialhub_" not in response.content
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 403


def test_signed_in_employee_without_token_is_refused(client_employee, token):
    assert client_employee.get("/metrics").status_code == 401


def test_allowed_networks_alone(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.5").status_code == 403
    # A forwarded address is not believed: the peer is what counts.
    outside = client.get("/metrics", REMOTE_ADDR="192.168.1.5", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert outside.status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 200


def test_token_and_network_both_needed_when_both_set(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    auth = f"Bearer {TOKEN}"
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 401
    outside = client.get("/metrics", REMOTE_ADDR="8.8.8.8", HTTP_AUTHORIZATION=auth)
    assert outside.status_code == 403
    inside = client.get("/metrics", REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION=auth)
    assert inside.status_code == 200


# --- What they measure --------------------------------------------------------------------


def test_request_latency_is_labelled_by_route_name_not_path(client_employee, employee, token):
    before = scrape()
    client_employee.get(f"/people/{employee.username}/")
    client_employee.get("/no/such/page/")
    after = scrape()
    name = "socialhub_http_request_duration_seconds_count"
    routes = {dict(k).get("route") for k in after[name]}
    assert employee.username not in str(routes)
    profile = {"route": "people:profile", "method": "GET", "status": "2xx"}
    assert value(after, name, **profile) - value(before, name, **profile) == 1
    missing = {"route": "unmatched", "method": "GET", "status": "4xx"}
    assert value(after, name, **missing) - value(before, name, **missing) == 1


def test_questions_by_status_and_sla_breaches(token, finance, time_machine):
    time_machine.move_to("2026-03-02 10:00Z")
    ask()
    ask("the app crashes")
    samples = scrape()
    by_status = {dict(k)["status"]: v for k, v in samples["socialhub_questions"].items()}
    assert sum(by_status.values()) == 2
    assert set(by_status) >= {"new", "triaged", "assigned", "closed"}
    assert samples["socialhub_questions_sla_breached"][()] == 0


def test_celery_task_durations_and_failures(token):
    @shared_task(name="tests.metrics.fails")
    def fails():
        raise ValueError("on purpose")

    @shared_task(name="tests.metrics.works")
    def works():
        return 1

    before = scrape()
    works.apply()
    # As a worker runs it (eager mode re-raises before Celery's failure signal).
    assert fails.apply(throw=False).failed()
    after = scrape()
    count = "socialhub_celery_task_duration_seconds_count"
    assert (
        value(after, count, task="tests.metrics.works", state="success")
        - value(before, count, task="tests.metrics.works", state="success")
        == 1
    )
    failures = "socialhub_celery_task_failures_total"
    assert (
        value(after, failures, task="tests.metrics.fails")
        - value(before, failures, task="tests.metrics.fails")
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_websockets_and_events(token, employee):
    author = make_person("lena.leader", display_name="Lena Leader").user
    group = groups.create_group(actor=author, name="Running club")
    groups.invite_member(actor=author, group=group, user=employee)
    before = scrape()

    async def go():
        socket = await open_socket(employee)
        await socket.send_json_to({"type": "ping"})
        assert (await socket.receive_json_from(timeout=3))["type"] == "pong"
        middle = await sync_to_async(scrape)()
        await sync_to_async(feeds.create_post)(actor=author, group=group, body="Hello")
        assert (await socket.receive_json_from(timeout=3))["type"] == "post.created"
        await socket.disconnect()
        return middle

    middle = async_to_sync(go)()
    after = scrape()
    open_now = "socialhub_websocket_connections"
    assert value(middle, open_now) - value(before, open_now) == 1
    assert value(after, open_now) == value(before, open_now)
    connects = "socialhub_websocket_connects_total"
    assert (
        value(after, connects, outcome="accepted") - value(before, connects, outcome="accepted")
        == 1
    )
    messages = "socialhub_websocket_messages_total"
    assert (
        value(after, messages, direction="in", type="ping")
        - value(before, messages, direction="in", type="ping")
        == 1
    )
    assert (
        value(after, messages, direction="out", type="post.created")
        - value(before, messages, direction="out", type="post.created")
        == 1
    )
    published = "socialhub_events_published_total"
    assert (
        value(after, published, type="post.created", outcome="sent")
        - value(before, published, type="post.created", outcome="sent")
        >= 1
    )


def test_queue_depth_on_redis(token, settings):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        samples = scrape()
        assert "socialhub_celery_queue_length" not in samples  # no queue when embedded
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    base = client.llen("celery")
    client.rpush("celery", "placeholder-1", "placeholder-2")
    try:
        samples = scrape()
        assert value(samples, "socialhub_celery_queue_length", queue="celery") == base + 2
    finally:
        client.lrem("celery", 0, "placeholder-1")
        client.lrem("celery", 0, "placeholder-2")
