"""The clock: every question's SLA target in business hours, a reminder at 50%, escalation to
the department's leaders at 100% and to the social team at 150%; idempotent per stage."""

import datetime as dt
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify

from .. import business_hours
from ..models import (
    CLOCK_RUNNING,
    CustomerQuestion,
    Priority,
    SlaTarget,
    Status,
)
from .common import (
    _leaders_of,
    _social_users,
)

DEFAULT_SLA_HOURS = {
    Priority.URGENT: Decimal(1),
    Priority.HIGH: Decimal(4),
    Priority.NORMAL: Decimal(8),
    Priority.LOW: Decimal(24),
}
# SLA stages: 1 reminds the expert, 2 escalates to the leaders, 3 to the social team.
STAGE_FRACTIONS = {1: Decimal("0.5"), 2: Decimal(1), 3: Decimal("1.5")}


# The SLA targets (four rows, changed in the admin) as this process last read them: intake
# reads them for every question, and a query per delivery is most of the request's cost.
# Re-read every TARGETS_TTL seconds and at once in the process that saves or deletes one
# (routing.apps connects forget_targets), so a change reaches every process within a minute.
TARGETS_TTL = 60.0
_targets: dict = {"read_at": None, "hours": {}}


def forget_targets(**kwargs) -> None:
    _targets["read_at"] = None


def _target_hours() -> dict[str, Decimal]:
    now = time.monotonic()
    if _targets["read_at"] is None or now - _targets["read_at"] > TARGETS_TTL:
        _targets["hours"] = dict(SlaTarget.objects.values_list("priority", "business_hours"))
        _targets["read_at"] = now
    return _targets["hours"]


def sla_target(priority: str) -> dt.timedelta:
    """No query, but once a minute per process (see TARGETS_TTL)."""
    hours = _target_hours().get(priority)
    hours = hours if hours is not None else DEFAULT_SLA_HOURS[priority]
    return dt.timedelta(seconds=float(hours) * 3600)


def _stage_at(question: CustomerQuestion, stage: int, target: dt.timedelta) -> dt.datetime:
    return business_hours.add_business_time(
        question.received_at, target * float(STAGE_FRACTIONS[stage])
    )


def _start_clock(question: CustomerQuestion) -> None:
    target = sla_target(question.priority)
    question.sla_due_at = _stage_at(question, 2, target)
    question.sla_stage = 0
    question.sla_next_at = _stage_at(question, 1, target)


def _restart_clock(question: CustomerQuestion) -> None:
    """The question's priority changed after its clock started: the deadlines again from
    receipt for the new priority; the stages already sent stay sent."""
    target = sla_target(question.priority)
    question.sla_due_at = _stage_at(question, 2, target)
    stage = question.sla_stage
    question.sla_next_at = _stage_at(question, stage + 1, target) if stage < 3 else None


def _sla_notify(question: CustomerQuestion, stage: int) -> None:
    due = timezone.localtime(question.sla_due_at).strftime("%a %H:%M")
    where = question.department.name if question.department_id else "triage"
    url = question.get_absolute_url()
    key = f"question:{question.pk}:sla:{stage}"
    kind = Notification.Kind.SLA_REMINDER
    if stage == 1:
        if question.assigned_to_id:
            notify(
                recipient=question.assigned_to,
                kind=kind,
                text=f"Half the time is gone on a customer question for you: answer by {due}.",
                url=url,
                target_key=key,
            )
        return
    if stage == 2:
        # The department's leaders; a department without any falls back to the social team.
        recipients = (
            list(_leaders_of(question.department)) if question.department_id else []
        ) or list(_social_users())
        text = f"A customer question in {where} is past its deadline ({due}) without an answer."
    else:
        recipients = list(_social_users())
        text = f"Escalated: a customer question in {where} is far past its deadline ({due})."
    for recipient in recipients:
        notify(recipient=recipient, kind=kind, text=text, url=url, target_key=key)


def advance_sla(*, question_id: int, now: dt.datetime | None = None) -> int:
    """Send what the question's clock owes at `now`; idempotent (the stage is kept on the
    locked row, so a second run, or a second worker, sends nothing twice). The new stage."""
    now = now or timezone.now()
    with transaction.atomic():
        question = (
            CustomerQuestion.objects.select_for_update(of=("self",))
            .select_related("department", "assigned_to")
            .filter(pk=question_id)
            .first()
        )
        if question is None or question.status not in CLOCK_RUNNING:
            return 0 if question is None else question.sla_stage
        target = sla_target(question.priority)
        stage = question.sla_stage
        while stage < 3 and _stage_at(question, stage + 1, target) <= now:
            stage += 1
            _sla_notify(question, stage)
            if stage == 2 and question.can_move_to(Status.ESCALATED):
                question.status = Status.ESCALATED
        if stage == question.sla_stage:
            return stage
        question.sla_stage = stage
        question.sla_next_at = _stage_at(question, stage + 1, target) if stage < 3 else None
        question.save(update_fields=["sla_stage", "sla_next_at", "status", "updated_at"])
        return stage


def check_sla(*, now: dt.datetime | None = None) -> int:
    """Advance every question whose next SLA moment has come; how many moved."""
    now = now or timezone.now()
    due = CustomerQuestion.objects.filter(
        sla_stage__lt=3, sla_next_at__lte=now, status__in=CLOCK_RUNNING
    ).values_list("pk", flat=True)
    moved = 0
    for pk in list(due):
        before = CustomerQuestion.objects.filter(pk=pk).values_list("sla_stage", flat=True).first()
        if advance_sla(question_id=pk, now=now) != before:
            moved += 1
    return moved
