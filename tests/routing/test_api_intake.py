"""Intake over HTTP: the token API for integrations and the signed webhook for
social-listening tools. Bad input is a 4xx naming the field, never a 500 or a duplicate."""

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification
from routing.models import CustomerQuestion, KeywordRule, WebhookDelivery
from routing.webhooks import sign

pytestmark = pytest.mark.django_db

SECRET = "test-webhook-secret"
HOOK = "/api/v1/questions/webhook/"
# A replayed delivery id, inside a test's transaction (savepoints), by database.
REPLAY_QUERIES = {"postgresql": 5, "sqlite": 6}


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ROUTING_WEBHOOK_SECRET = SECRET


@pytest.fixture
def token_client(social):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=social).key}")
    return client


def deliver(client, body, *, delivery="d-1", timestamp=None, secret=SECRET, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        HOOK,
        raw,
        content_type="application/json",
        HTTP_X_SOCIALHUB_TIMESTAMP=timestamp,
        HTTP_X_SOCIALHUB_DELIVERY=delivery,
        HTTP_X_SOCIALHUB_SIGNATURE=signature or sign(raw, timestamp, secret),
    )


MENTION = {
    "channel": "twitter",
    "external_id": "1790000000000",
    "external_url": "https://x.com/carla_c/status/1790000000000",
    "text": "@brand my invoice is wrong again 😡",
    "customer_name": "Carla Customer",
    "customer_handle": "@carla_c",
}


def test_a_signed_delivery_is_stored(client, finance):
    response = deliver(client, MENTION)
    assert response.status_code == 201, response.content
    question = CustomerQuestion.objects.get()
    assert response.json()["id"] == question.pk
    assert question.text == MENTION["text"]
    assert question.customer_handle == "@carla_c"
    assert WebhookDelivery.objects.get().question == question


def test_the_same_mention_in_another_delivery_is_the_same_question(client, db):
    first = deliver(client, MENTION, delivery="d-1")
    second = deliver(client, MENTION, delivery="d-2")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert CustomerQuestion.objects.count() == 1


def test_a_redelivered_delivery_is_accepted_once(client, db):
    """The sender retries after a lost answer (or someone replays a signed request): 202
    with the first delivery's question, nothing stored or routed again, whatever the body."""
    first = deliver(client, MENTION, delivery="d-1")
    assert first.status_code == 201
    for body in (MENTION, {**MENTION, "external_id": "other"}):
        again = deliver(client, body, delivery="d-1")
        assert again.status_code == 202, again.content
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["created"] is False
    assert CustomerQuestion.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_each_answer_is_the_schemas_result_for_its_question(client, token_client, finance):
    """The answers are written as plain dicts: they stay what IntakeResultSerializer (the
    OpenAPI schema's) makes of the question, for 201, 200 and 202 and for the token API."""
    from routing.serializers import IntakeResultSerializer

    answers = [
        deliver(client, MENTION, delivery="d-1"),
        deliver(client, MENTION, delivery="d-2"),
        deliver(client, MENTION, delivery="d-1"),
        token_client.post("/api/v1/questions/", {"channel": "web", "text": "hi"}, format="json"),
    ]
    assert [a.status_code for a in answers] == [201, 200, 202, 201]
    for answer, created in zip(answers, [True, False, False, True], strict=True):
        question = CustomerQuestion.objects.get(pk=answer.json()["id"])
        expected = {
            "id": question.pk,
            "created": created,
            "status": question.status,
            "url": f"http://testserver{question.get_absolute_url()}",
        }
        assert answer.json() == IntakeResultSerializer(expected).data


def test_the_sender_is_answered_before_routing_which_runs_after_commit(
    client, finance, billing_expert, django_capture_on_commit_callbacks, tasks_in_process
):
    """201 with status "new": the question is in the triage queue with its SLA clock
    started at receipt; the task enqueued on commit routes it to the expert."""
    KeywordRule.objects.create(keyword="invoice", department=finance)
    with django_capture_on_commit_callbacks() as callbacks:
        response = deliver(client, MENTION)
    assert response.status_code == 201
    assert response.json()["status"] == "new"
    question = CustomerQuestion.objects.get()
    assert (question.status, question.department, question.assigned_to) == ("new", None, None)
    assert question.sla_due_at is not None and question.sla_due_at > question.received_at
    due = question.sla_due_at
    assert question.in_triage
    assert Notification.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()  # what the worker runs after commit
    question.refresh_from_db()
    assert (question.department, question.assigned_to) == (finance, billing_expert)
    assert question.sla_due_at == due  # the clock did not restart at routing
    assert Notification.objects.filter(recipient=billing_expert).count() == 1


def test_the_webhook_costs_a_fixed_number_of_queries(
    client, finance, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """A new question: on PostgreSQL one statement (the question's insert and the delivery's,
    routing.services.webhook_rows), elsewhere the two inserts; here inside the test's
    transaction, so in a savepoint (2 more statements). The SLA targets are read once a
    minute per process, the throttle is a cache counter. The router, the rules and
    listening are not in the request."""
    new = 3 if connection.vendor == "postgresql" else 4
    deliver(client, {**MENTION, "external_id": "warm"}, delivery="warm")
    with django_capture_on_commit_callbacks(), django_assert_num_queries(new):
        assert deliver(client, MENTION, delivery="d-9").status_code == 201
    with django_capture_on_commit_callbacks(), django_assert_num_queries(7):
        # A known mention: nothing inserted; the known row is read, the delivery inserted
        # (in its savepoint).
        assert deliver(client, MENTION, delivery="d-10").status_code == 200
    with CaptureQueriesContext(connection) as replay:
        # A repeated delivery id with another body: nothing inserted (rolled back to the
        # savepoint), that delivery's question read.
        again = deliver(client, {**MENTION, "external_id": "other"}, delivery="d-9")
    assert again.status_code == 202
    assert len(replay) == REPLAY_QUERIES[connection.vendor]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement intake is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_new_question_is_one_statement(client, django_assert_num_queries):
    """Outside a test's transaction (as under gunicorn): no BEGIN, savepoint or COMMIT, one
    round trip to the database for the question and its delivery together."""
    deliver(client, {**MENTION, "external_id": "warm"}, delivery="warm")  # the SLA targets
    with django_assert_num_queries(1):
        assert deliver(client, MENTION, delivery="d-1").status_code == 201
    assert deliver(client, MENTION, delivery="d-1").status_code == 202
    assert deliver(client, MENTION, delivery="d-2").status_code == 200
    assert CustomerQuestion.objects.count() == 2
    assert WebhookDelivery.objects.count() == 3


@pytest.mark.parametrize(
    "tamper",
    [
        {"secret": "wrong secret"},
        {"signature": "sha256=" + "0" * 64},
        {"signature": "garbage"},
        {"timestamp": int(time.time()) - 3600},  # an old, validly signed request
        {"timestamp": int(time.time()) + 3600},
    ],
)
def test_a_bad_signature_or_stale_timestamp_is_401_and_nothing_is_stored(client, db, tamper):
    response = deliver(client, MENTION, **tamper)
    assert response.status_code == 401
    assert CustomerQuestion.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def test_missing_headers_are_401(client, db):
    response = client.post(HOOK, MENTION, content_type="application/json")
    assert response.status_code == 401
    assert CustomerQuestion.objects.count() == 0


def test_without_a_configured_secret_every_delivery_is_refused(client, db, settings):
    settings.ROUTING_WEBHOOK_SECRET = ""
    assert deliver(client, MENTION, secret="").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**MENTION, "text": ""}, "text"),
        ({**MENTION, "text": "x" * 50_000}, "text"),
        ({**MENTION, "channel": "myspace"}, "channel"),
        ({**MENTION, "text": None}, "text"),
        ({**MENTION, "unknown": "x"}, "unknown"),
        ([1, 2, 3], "non_field_errors"),
        (b"{not json", "non_field_errors"),
    ],
)
def test_bad_webhook_bodies_are_400_naming_the_field(client, db, body, field):
    response = deliver(client, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert CustomerQuestion.objects.count() == 0


def test_token_intake_creates_then_recognises(token_client, finance):
    body = {"channel": "email", "external_id": "msg-1@example.org", "text": "Refund please"}
    first = token_client.post("/api/v1/questions/", body, format="json")
    again = token_client.post("/api/v1/questions/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["created"] and not again.json()["created"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "email", "text": ""}, "text"),
        ({"channel": "email", "text": "x" * 50_000}, "text"),
        ({"channel": "fax", "text": "hello"}, "channel"),
        ({"channel": "email"}, "text"),
        ({"channel": "email", "text": "hi", "customer_email": "nope"}, "customer_email"),
        ({"channel": "email", "text": "hi", "priority": "asap"}, "priority"),
        ({"channel": "email", "text": "hi", "received_at": "yesterday"}, "received_at"),
        ({"channel": "email", "text": "hi", "external_url": "ftp://x"}, "external_url"),
    ],
)
def test_bad_api_input_is_400_naming_the_field(token_client, db, body, field):
    response = token_client.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert CustomerQuestion.objects.count() == 0


@pytest.mark.parametrize("text", ["Где мой возврат? 🙏", "返金はいつですか", "مرحبا، أين فاتورتي؟"])
def test_non_latin_scripts_and_emoji_are_stored(token_client, db, text):
    response = token_client.post(
        "/api/v1/questions/", {"channel": "web", "text": text}, format="json"
    )
    assert response.status_code == 201
    assert CustomerQuestion.objects.get().text == text


def test_only_the_social_team_may_send_questions(outsider, db):
    client = APIClient()
    client.force_authenticate(outsider)
    response = client.post("/api/v1/questions/", {"channel": "web", "text": "hi"}, format="json")
    assert response.status_code == 403
    assert CustomerQuestion.objects.count() == 0


def test_no_token_no_intake(db):
    response = APIClient().post("/api/v1/questions/", {"channel": "web", "text": "hi"})
    assert response.status_code == 401


def test_intake_is_throttled_politely(token_client, client, db, settings, monkeypatch):
    from routing.api.intake import IntakeThrottle

    settings.ROUTING_INTAKE_RATE = "2/min"
    monkeypatch.setattr(IntakeThrottle, "timer", lambda self: 1_800_000_010.0)  # one window
    for n in range(2):
        body = {"channel": "web", "text": "hi", "external_id": str(n)}
        assert token_client.post("/api/v1/questions/", body, format="json").status_code == 201
    body = {"channel": "web", "text": "hi", "external_id": "3"}
    assert token_client.post("/api/v1/questions/", body, format="json").status_code == 429
    assert token_client.get("/api/v1/questions/").status_code == 200  # reading is not intake
    assert deliver(client, MENTION, delivery="w-1").status_code == 201
    assert deliver(client, {**MENTION, "external_id": "2"}, delivery="w-2").status_code == 201
    assert deliver(client, {**MENTION, "external_id": "3"}, delivery="w-3").status_code == 429
    assert CustomerQuestion.objects.count() == 4
