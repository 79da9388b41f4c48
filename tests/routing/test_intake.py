"""Intake: every way in stores one question per (channel, external id), routes it, and
refuses bad input with a message naming the field."""

import threading

import pytest
from django.db import connection

from core.errors import ApplicationError
from notifications.models import Notification
from routing.models import Assignment, CustomerQuestion, Status
from routing.services import receive_question

from .conftest import ask

pytestmark = pytest.mark.django_db


def test_a_confident_question_goes_to_an_expert_of_the_department(
    trained_router, billing_expert, finance
):
    question = ask("I was charged twice, where is my refund for the invoice?")
    question.refresh_from_db()
    assert question.department == finance
    assert question.status == Status.ASSIGNED
    assert question.assigned_to == billing_expert
    assert question.routed_by == "model"
    assert question.router_version_id == trained_router.pk
    assert [slug for slug, _ in question.ranking][0] == "finance"
    assert len(question.ranking) <= 3
    assert Assignment.objects.filter(question=question, expert=billing_expert).count() == 1


def test_without_a_router_the_question_waits_in_triage(finance, billing_expert):
    question = ask()
    assert question.status == Status.TRIAGED
    assert question.department is None
    assert question.assigned_to is None


def test_an_unrelated_question_stays_in_triage(trained_router, billing_expert):
    question = ask("who won the football match yesterday")
    assert question.status == Status.TRIAGED
    assert question.department is None
    assert question.ranking  # the social team still sees the top guesses


def test_a_keyword_rule_overrides_the_model(trained_router, engineering, billing_expert):
    from routing.models import KeywordRule

    KeywordRule.objects.create(keyword="Invoice", department=engineering)
    question = ask("my invoice shows the wrong amount")
    assert question.department == engineering
    assert question.routed_by == "rule"


def test_the_same_delivery_twice_is_one_question(trained_router, billing_expert):
    first, created = receive_question(channel="twitter", external_id="t-1", text="refund please")
    again, created_again = receive_question(
        channel="twitter", external_id="t-1", text="refund please (edited)"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert CustomerQuestion.objects.count() == 1
    assert Notification.objects.filter(kind="question_assigned").count() <= 1


def test_the_same_id_on_another_channel_is_another_question(db):
    receive_question(channel="twitter", external_id="42", text="hello")
    receive_question(channel="facebook", external_id="42", text="hello")
    assert CustomerQuestion.objects.count() == 2


def test_questions_without_an_external_id_are_always_new(db):
    receive_question(channel="web", text="same words")
    receive_question(channel="web", text="same words")
    assert CustomerQuestion.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "x" * 50_000}, "text"),
        ({"channel": "myspace"}, "channel"),
        ({"priority": "whenever"}, "priority"),
        ({"customer_email": "not an email"}, "customer_email"),
        ({"external_url": "javascript:alert(1)"}, "external_url"),
        ({"external_id": "x" * 300}, "external_id"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(db, fields, field):
    values = {"channel": "twitter", "text": "A question", **fields}
    with pytest.raises(ApplicationError) as refused:
        receive_question(**values)
    assert refused.value.field == field
    assert refused.value.status == 400
    assert CustomerQuestion.objects.count() == 0


@pytest.mark.parametrize(
    "text",
    ["¿Dónde está mi reembolso? 😡💸", "我的发票金额不对", "لماذا تم خصم المبلغ مرتين", "a\x00b"],
)
def test_emoji_and_other_scripts_are_stored_as_written(trained_router, text):
    question, created = receive_question(channel="instagram", text=text)
    assert created
    question.refresh_from_db()
    assert question.text == text.replace("\x00", "")


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_store_one_question(finance, billing_expert):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: the race needs PostgreSQL")
    barrier = threading.Barrier(8)
    results = []

    def deliver():
        from django.db import connections

        try:
            barrier.wait()
            question, created = receive_question(
                channel="twitter", external_id="race-1", text="Where is my refund?"
            )
            results.append((question.pk, created))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert CustomerQuestion.objects.count() == 1
