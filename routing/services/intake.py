"""Intake: a question arrives (web form, API, signed webhook, CSV import) and is stored once,
its SLA clock running from receipt; after the intake commits, a task
(routing.tasks.route_question, coalesced on Redis: core.after_commit.enqueue_id_coalesced_on_commit)
classifies it (keyword rules first, then the router), lets listening react, and routes it to a
department and an expert. The sender's answer never waits for the router, the rules or the
notifications; a question whose task was lost is routed by the `routing-new` beat task.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.after_commit import enqueue_id_coalesced_on_commit
from core.errors import ApplicationError

from .. import router_cache, selectors
from ..models import (
    Channel,
    CustomerQuestion,
    Priority,
    Status,
    WebhookDelivery,
)
from ..signals import question_received
from . import webhook_rows
from .assignment import _assign_automatically
from .common import (
    MAX_TEXT,
    _move,
    _text,
    log,
)
from .sla import _restart_clock, _start_clock


def receive_question(
    *,
    actor=None,
    channel: str,
    text: str,
    external_id: str = "",
    external_url: str = "",
    customer_name: str = "",
    customer_handle: str = "",
    customer_email: str = "",
    received_at: dt.datetime | None = None,
    priority: str = Priority.NORMAL,
) -> tuple[CustomerQuestion, bool]:
    """Store an inbound question; (question, created). It is new (in the triage queue) with
    its SLA clock started at receipt; route_question runs after commit, in a task.

    The same (channel, external id) twice is one question, also when two deliveries race:
    the unique constraint decides and the loser reads the winner's row. A question without
    an external id (the web form, a phone call) is always new. Queries: the SLA target and
    the insert, in a savepoint (and the winner's row when it is a duplicate).
    """
    question = new_question(
        actor=actor,
        channel=channel,
        text=text,
        external_id=external_id,
        external_url=external_url,
        customer_name=customer_name,
        customer_handle=customer_handle,
        customer_email=customer_email,
        received_at=received_at,
        priority=priority,
    )
    try:
        with transaction.atomic():
            question.save(force_insert=True)
            enqueue_id_coalesced_on_commit("routing.tasks.route_question", question.pk)
    except IntegrityError:
        existing = CustomerQuestion.objects.filter(
            channel=question.channel, external_id=question.external_id
        ).first()
        if existing is None:
            raise
        return existing, False
    return question, True


CHANNELS = frozenset(Channel.values)  # Choices.values builds a list at each call
PRIORITIES = frozenset(Priority.values)


def new_question(
    *,
    actor=None,
    channel: str,
    text: str,
    external_id: str = "",
    external_url: str = "",
    customer_name: str = "",
    customer_handle: str = "",
    customer_email: str = "",
    received_at: dt.datetime | None = None,
    priority: str = Priority.NORMAL,
) -> CustomerQuestion:
    """An inbound question, checked (ApplicationError naming the field) and with its SLA
    clock started at receipt, not saved yet (receive_question, receive_webhook)."""
    if channel not in CHANNELS:
        raise ApplicationError(
            f"Unknown channel. Choose one of: {', '.join(Channel.values)}.", field="channel"
        )
    if priority not in PRIORITIES:
        raise ApplicationError(
            f"Choose a priority: {', '.join(Priority.values)}.", field="priority"
        )
    text = _text(text, field="text", limit=MAX_TEXT)
    external_id = _text(external_id, field="external_id", limit=200, required=False)
    external_url = _text(external_url, field="external_url", limit=500, required=False)
    if external_url:
        try:
            URLValidator(schemes=["http", "https"])(external_url)
        except ValidationError:
            raise ApplicationError("Give an http(s) link.", field="external_url") from None
    customer_email = _text(customer_email, field="customer_email", limit=254, required=False)
    if customer_email:
        try:
            validate_email(customer_email)
        except ValidationError:
            raise ApplicationError(
                "This email address is not valid.", field="customer_email"
            ) from None
    customer_name = _text(customer_name, field="customer_name", limit=200, required=False)
    customer_handle = _text(customer_handle, field="customer_handle", limit=200, required=False)
    now = timezone.now()
    if received_at is None or received_at > now:
        received_at = now
    external_id = external_id or f"{channel}-{uuid.uuid4().hex}"
    question = CustomerQuestion(
        channel=channel,
        external_id=external_id,
        external_url=external_url,
        customer_name=customer_name,
        customer_handle=customer_handle,
        customer_email=customer_email,
        text=text,
        received_at=received_at,
        priority=priority,
        status=Status.NEW,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _start_clock(question)  # from receipt: routing later changes nothing of it
    return question


class Received:
    """What a webhook delivery did: NEW (a question stored), KNOWN (its channel and
    external id were received before, by another delivery: that question), REDELIVERED
    (this delivery id was received before: the sender retried, nothing is done again)."""

    NEW, KNOWN, REDELIVERED = "new", "known", "redelivered"


def receive_webhook(*, delivery_id: str, payload: dict) -> tuple[CustomerQuestion, str]:
    """A verified webhook delivery (see routing.webhooks): (question, Received.*).

    Exactly once per delivery id and per (channel, external id), also when deliveries race:
    the question and the delivery row are inserted together (routing.services.webhook_rows),
    and a delivery id seen before inserts neither and answers with that delivery's question
    (a sender's retry after a lost answer, or a replay of a signed request: nothing is
    stored twice). Queries on PostgreSQL: one statement for a new question; a known one
    reads its row and inserts the delivery; a repeated delivery id reads that delivery."""
    delivery_id = _text(delivery_id, field="delivery_id", limit=200)
    fields = {
        key: payload[key]
        for key in (
            "channel",
            "text",
            "external_id",
            "external_url",
            "customer_name",
            "customer_handle",
            "customer_email",
            "priority",
        )
        if key in payload
    }
    for key, value in fields.items():
        if not isinstance(value, str):
            raise ApplicationError("Send a string.", field=key)
    fields.setdefault("channel", "")
    fields.setdefault("text", "")
    question = new_question(**fields)
    try:
        if webhook_rows.insert_new(question, delivery_id):
            enqueue_id_coalesced_on_commit("routing.tasks.route_question", question.pk)
            return question, Received.NEW
        known = webhook_rows.insert_known(question, delivery_id)
    except IntegrityError:
        earlier = (
            WebhookDelivery.objects.filter(delivery_id=delivery_id)
            .select_related("question")
            .first()
        )
        if earlier is None:
            raise
        if earlier.question is None:  # its question was deleted since (retention, spam)
            raise ApplicationError(
                "This delivery was received already.", field="delivery_id", status=409
            ) from None
        return earlier.question, Received.REDELIVERED
    return known, Received.KNOWN


def route_question(*, question_id: int, now: dt.datetime | None = None) -> bool:
    """Classify and route a new question (what the task enqueued by receive_question does);
    False when there was nothing to do. Idempotent: the row is locked and only a question
    still new is routed, so a redelivered task, a second worker or the beat's sweep routes
    it once."""
    now = now or timezone.now()
    with transaction.atomic():
        question = (
            CustomerQuestion.objects.select_for_update()
            .filter(pk=question_id, status=Status.NEW)
            .first()
        )
        if question is None:
            return False
        _route(question, now=now)
    return True


def route_new_questions(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """The outbox of intake: route every question still new `older_than` after it was
    stored (its task was lost: the broker was down, a worker died). How many were routed."""
    now = now or timezone.now()
    waiting = CustomerQuestion.objects.filter(
        status=Status.NEW, created_at__lte=now - older_than
    ).values_list("pk", flat=True)
    return sum(route_question(question_id=pk, now=now) for pk in list(waiting.order_by("pk")))


# --- Classification and routing ---------------------------------------------------------


def _classify(question: CustomerQuestion) -> None:
    """Set the ranking, the prediction and (rule, else model above threshold) the department."""
    ranking: list[list] = []
    predicted_slug = None
    question.confidence = None
    router, version_id = router_cache.current_router()
    if router is not None:
        try:
            decision = router.route(question.text)
        except Exception:  # a broken model must not lose a question: it waits in triage
            log.exception("router %s failed on question %s", version_id, question.pk)
        else:
            ranking = [[slug, round(float(conf), 4)] for slug, conf in decision.ranking[:3]]
            predicted_slug = decision.department
            question.confidence = round(float(decision.confidence), 4)
            question.router_version_id = version_id
    departments = selectors.department_ids_by_slug(
        [slug for slug, _ in ranking] + ([predicted_slug] if predicted_slug else [])
    )
    question.ranking = ranking
    question.predicted_department = departments.get(predicted_slug) if predicted_slug else None
    rule = selectors.matching_keyword_rule(question.text)
    if rule is not None:
        question.department = rule.department
        question.routed_by = CustomerQuestion.RoutedBy.RULE
    elif question.predicted_department is not None:
        question.department = question.predicted_department
        question.routed_by = CustomerQuestion.RoutedBy.MODEL
    else:
        question.department = None


def _route(question: CustomerQuestion, *, now: dt.datetime) -> None:
    """Classify a new question, let the apps above react (routing.signals: they may raise
    its priority, and then its clock restarts from receipt for the new priority), then give
    it to an expert or leave it in triage. Expects the locked row in an open transaction."""
    _classify(question)
    priority = question.priority
    question_received.send(sender=CustomerQuestion, question=question, now=now)
    if question.priority != priority:
        _restart_clock(question)
    _move(question, Status.TRIAGED)
    if question.department_id is not None:
        _assign_automatically(question, now=now)
    question.save()
