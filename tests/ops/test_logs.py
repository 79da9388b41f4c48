"""Logs: JSON when asked, a request id on every line, and never a customer's data or a
message body (SECURITY.md: personal data stays behind its permission check)."""

import io
import json
import logging
import time

import pytest
from pythonjsonlogger.json import JsonFormatter
from rest_framework.test import APIClient

from core import request_context
from routing.webhooks import sign

from ..factories import make_person
from .worker_tasks import explode

pytestmark = pytest.mark.django_db

SECRET = "test-webhook-secret"
CUSTOMER = {
    "name": "Philippa Quincey-Marlowe",
    "handle": "@pqm_secret_handle",
    "email": "philippa.qm@customer-mail.example",
    "text": "My order 77341 arrived crushed, please call me at +44 7700 900461",
    "external_id": "1790000000000424242",
}
POST_BODY = "Quarterly numbers: zebra-marmalade-holiday figures attached"


@pytest.fixture
def captured(settings):
    """Every log record of every logger, DEBUG and up, formatted as production would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(request_context.RequestIdFilter())
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    )
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = {name: logging.getLogger(name).level for name in ("axes", "django.channels.server")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def deliver(body: dict):
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    return APIClient().post(
        "/api/v1/questions/webhook/",
        raw,
        content_type="application/json",
        HTTP_X_SOCIALHUB_TIMESTAMP=timestamp,
        HTTP_X_SOCIALHUB_DELIVERY="log-test-1",
        HTTP_X_SOCIALHUB_SIGNATURE=sign(raw, timestamp, SECRET),
        HTTP_X_REQUEST_ID="intake-req-1",
    )


def test_no_customer_data_or_message_body_in_logs(captured, settings, finance):
    settings.ROUTING_WEBHOOK_SECRET = SECRET
    author = make_person("ana.garcia", display_name="Ana Garcia", department=finance).user

    response = deliver(
        {
            "channel": "twitter",
            "external_id": CUSTOMER["external_id"],
            "external_url": f"https://x.com/pqm_secret_handle/status/{CUSTOMER['external_id']}",
            "text": CUSTOMER["text"],
            "customer_name": CUSTOMER["name"],
            "customer_handle": CUSTOMER["handle"],
            "customer_email": CUSTOMER["email"],
        }
    )
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "intake-req-1"
    question_id = response.json()["id"]

    api = APIClient()
    api.force_authenticate(author)
    group = author.memberships.first().group.slug
    created = api.post("/api/v1/posts/", {"group": group, "body": POST_BODY}, format="json")
    assert created.status_code == 201, created.content
    refused = api.post(
        "/api/v1/posts/",
        {"group": "no-such-group", "body": POST_BODY},
        format="json",
        HTTP_X_REQUEST_ID="refused-post-1",
    )
    assert refused.status_code == 400
    # A task that fails, the way a worker runs it.
    assert explode.apply(args=(question_id,), throw=False).failed()

    logs = captured.getvalue()
    assert "could not handle question" in logs  # the capture works
    assert "refused-post-1" in logs  # django.request's warning carries the request id
    for secret in (*CUSTOMER.values(), "pqm_secret_handle", "Quarterly numbers", "zebra-marmalade"):
        assert secret not in logs, secret


def test_json_lines_carry_the_request_id(settings):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(request_context.RequestIdFilter())
    config = settings.LOGGING["formatters"]["json"]
    handler.setFormatter(JsonFormatter(config["format"], rename_fields=config["rename_fields"]))
    log = logging.getLogger("tests.ops")
    log.addHandler(handler)
    try:
        token = request_context.bind("abc-123")
        log.warning("question %s waits", 42)
        request_context.unbind(token)
        log.warning("outside any request")
    finally:
        log.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "question 42 waits"
    assert first["request_id"] == "abc-123"
    assert first["level"] == "WARNING"
    assert first["logger"] == "tests.ops"
    assert second["request_id"] == "-"


def test_request_id_is_taken_when_plain_and_made_up_otherwise(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.9")["X-Request-ID"] == "lb-7f3a.9"
    for bad in ("has space", "x" * 65, 'quote"d', "new\nline"):
        made_up = client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert made_up != bad
        assert len(made_up) == 32
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_request_id_goes_into_task_headers():
    from celery import signals

    headers: dict = {}
    token = request_context.bind("req-42")
    try:
        signals.before_task_publish.send(sender="x", headers=headers, body=None)
    finally:
        request_context.unbind(token)
    assert headers["request_id"] == "req-42"


@pytest.mark.django_db(transaction=True)
def test_the_socket_handles_an_event_under_the_publishing_requests_id(employee, monkeypatch):
    from asgiref.sync import async_to_sync, sync_to_async

    from core import events
    from feeds.consumers import LiveConsumer

    from ..realtime.sockets import open_socket

    seen = []
    forward = LiveConsumer.event_forward

    async def spy(self, message):
        seen.append(request_context.current())
        await forward(self, message)

    monkeypatch.setattr(LiveConsumer, "event_forward", spy)

    def publish_in_a_request():
        token = request_context.bind("req-socket-9")
        try:
            events._send(
                events.user_audience(employee.pk),
                {"type": "event.forward", "event": {"type": "test.event"}},
            )
        finally:
            request_context.unbind(token)

    async def go():
        socket = await open_socket(employee)
        await sync_to_async(publish_in_a_request)()
        assert (await socket.receive_json_from(timeout=3)) == {"type": "test.event"}
        await socket.disconnect()

    async_to_sync(go)()
    assert seen == ["req-socket-9"]
