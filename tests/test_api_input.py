"""core.api.validated: the request body through an input serializer, kept per thread and
class. Each answer must be what a fresh serializer's is_valid gives: the same values, the same
errors by field, nothing carried from one request to the next."""

import threading

import pytest
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from core.api import validated
from monitoring.serializers import RuleInputSerializer
from routing.serializers import BulkInputSerializer, QuestionCreateSerializer, WebhookSerializer

factory = APIRequestFactory()


def _request(body):
    """A DRF request whose body is `body` as JSON (or raw bytes)."""
    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request

    if isinstance(body, bytes):
        django_request = factory.post("/", body, content_type="application/json")
    else:
        django_request = factory.post("/", body, format="json")
    return Request(django_request, parsers=[JSONParser()])


def _fresh(serializer_class, body):
    """What a new serializer's is_valid(raise_exception=True) answers: data, or the errors."""
    serializer = serializer_class(data=_request(body).data)
    try:
        serializer.is_valid(raise_exception=True)
    except exceptions.ValidationError as exc:
        return ("errors", exc.detail)
    return ("data", serializer.validated_data)


def _kept(serializer_class, body):
    try:
        return ("data", validated(serializer_class, _request(body)))
    except exceptions.ValidationError as exc:
        return ("errors", exc.detail)


MENTION = {"channel": "twitter", "text": "@brand where is my refund?", "external_id": "m-1"}

CASES = [
    (WebhookSerializer, MENTION),
    (WebhookSerializer, {**MENTION, "external_id": 12345}),  # a number is taken as text
    (WebhookSerializer, {**MENTION, "text": ""}),
    (WebhookSerializer, {**MENTION, "text": None}),
    (WebhookSerializer, {**MENTION, "channel": "x" * 21}),
    (WebhookSerializer, {**MENTION, "unknown": "x"}),
    (WebhookSerializer, {"text": "no channel"}),
    (WebhookSerializer, {**MENTION, "received_at": "2026-01-01T00:00:00Z"}),  # not accepted
    (WebhookSerializer, [1, 2, 3]),
    (WebhookSerializer, b"null"),
    (QuestionCreateSerializer, {**MENTION, "received_at": "yesterday"}),
    (QuestionCreateSerializer, {**MENTION, "received_at": "2026-01-01T10:00:00Z"}),
    (BulkInputSerializer, {"questions": [1, 2], "action": "close"}),
    (BulkInputSerializer, {"questions": [], "action": "close"}),
    (BulkInputSerializer, {"questions": [1, "x"], "action": "nope"}),
]


@pytest.mark.parametrize(("serializer_class", "body"), CASES)
def test_each_answer_is_what_a_fresh_serializer_gives(serializer_class, body):
    assert _kept(serializer_class, body) == _fresh(serializer_class, body)


def test_a_null_body_is_no_data_provided_by_field():
    kind, errors = _kept(WebhookSerializer, b"null")
    assert kind == "errors"
    assert errors == {"non_field_errors": ["No data provided"]}


def test_nothing_is_carried_from_one_request_to_the_next():
    """Good, bad, good again, in one thread: each answer is its own body's."""
    first = _kept(WebhookSerializer, MENTION)
    bad = _kept(WebhookSerializer, {**MENTION, "channel": "", "unknown": 1})
    again = _kept(WebhookSerializer, {**MENTION, "text": "another question"})
    assert first == ("data", {**MENTION, "priority": "normal"})
    assert bad[0] == "errors" and set(bad[1]) == {"unknown"}
    assert again == ("data", {**MENTION, "text": "another question", "priority": "normal"})
    # The default is a fresh value each time: changing one answer changes no other.
    first[1]["priority"] = "urgent"
    assert _kept(WebhookSerializer, MENTION)[1]["priority"] == "normal"


def test_threads_validating_at_once_each_get_their_own_answer():
    results: dict[int, tuple] = {}

    def work(n):
        for _ in range(50):
            body = {**MENTION, "external_id": f"t-{n}"} if n % 2 else {"text": f"t-{n}"}
            results[n] = _kept(WebhookSerializer, body)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, (kind, value) in results.items():
        if n % 2:
            assert (kind, value["external_id"]) == ("data", f"t-{n}")
        else:
            assert kind == "errors" and set(value) == {"channel"}


def test_arguments_make_a_serializer_of_their_own():
    """partial=True (a rule's PATCH) is not the kept serializer's answer: a missing required
    field is no error there."""
    request = _request({"name": "Refunds"})
    assert validated(RuleInputSerializer, request, partial=True) == {"name": "Refunds"}
    with pytest.raises(exceptions.ValidationError):
        validated(RuleInputSerializer, _request({"name": "Refunds"}))
