"""Assignment: who answers a question. Automatic (the expert selectors.pick_expert chooses,
one department at a time), by hand (the social team, a department's leaders), reroutes,
declines, and waiting questions given to experts who became free."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core import events
from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError
from notifications.models import Notification
from notifications.services import notify
from people.models import Department, Profile

from .. import selectors, signals
from ..models import (
    PRIORITY_RANK,
    Assignment,
    CustomerQuestion,
    Reroute,
    RouterLabel,
    Status,
)
from .common import (
    MAX_REASON,
    _locked,
    _move,
    _reason,
    _refuse,
    _require_social_team,
)
from .labels import record_label


def _end_assignment(question, *, now, ended: str, reason: str = "") -> None:
    Assignment.objects.filter(question=question, ended_at__isnull=True).update(
        ended_at=now, ended=ended, reason=reason[:MAX_REASON]
    )


def _decliners(question) -> list[int]:
    return list(
        Assignment.objects.filter(question=question, ended=Assignment.Ended.DECLINED).values_list(
            "expert_id", flat=True
        )
    )


def _assign_automatically(question: CustomerQuestion, *, now: dt.datetime) -> bool:
    """Give the question to the expert pick_expert chooses, or leave it waiting.

    Expects an open transaction (every caller has one, with the question row locked). The
    department's row is locked first (FOR NO KEY UPDATE, until the caller commits), so
    automatic assignments within one department run one at a time: the loads pick_expert
    counts are those the previous assignment committed, and two simultaneous intakes (or an
    intake and assign_waiting_questions) cannot both give an expert their last free place.
    One lock per department rather than one per candidate expert: the candidates are only
    known after the count, and the department is what both racers share. NO KEY so that
    rows merely pointing at the department (new questions, profiles) are not held up.
    Manual assignment (assign_question) takes no such lock: it may exceed the cap.
    """
    list(
        Department.objects.select_for_update(no_key=True)
        .filter(pk=question.department_id)
        .values_list("pk", flat=True)
    )
    expert = selectors.pick_expert(
        department=question.department, text=question.text, now=now, exclude=_decliners(question)
    )
    if expert is None:
        question.assigned_to, question.assigned_at = None, None
        if question.status not in (Status.TRIAGED, Status.REROUTED, Status.ESCALATED):
            _move(question, Status.TRIAGED)
        return False
    _assign(question, expert, by=None, now=now)
    return True


def _assign(question: CustomerQuestion, expert, *, by, now: dt.datetime) -> None:
    """Give the question to `expert` (the caller saves the question)."""
    _end_assignment(question, now=now, ended=Assignment.Ended.REASSIGNED)
    Assignment.objects.create(question=question, expert=expert, assigned_by=by, assigned_at=now)
    if question.status != Status.ESCALATED:
        _move(question, Status.ASSIGNED)
    question.assigned_to, question.assigned_at = expert, now
    department = f" for {question.department.name}" if question.department_id else ""
    notify(
        recipient=expert,
        kind=Notification.Kind.QUESTION_ASSIGNED,
        text=(
            f"A customer question{department} is yours to answer "
            f"({question.get_channel_display()}, {question.get_priority_display().lower()} "
            "priority)."
        ),
        url=question.get_absolute_url(),
        actor=by,
        target_key=f"question:{question.pk}",
    )
    events.question_assigned(
        user_id=expert.pk, question_id=question.pk, url=question.get_absolute_url()
    )


def assign_question(*, actor, question: CustomerQuestion, expert) -> CustomerQuestion:
    """Give a question to someone by hand, over their capacity if need be (the people who
    do it see the loads; automatic assignment keeps the cap).

    The social team may give any open question to anyone. A leader (or owner) of the
    question's department's group may give that department's questions to an active
    expert of the same department only, e.g. from the department queue. Refused: 403 for
    anyone else; 400 naming `expert` for someone who left or is in another department;
    409 naming `status` for a question that is no longer open.
    """
    social = selectors.is_social_team(actor)
    if not social and not selectors.is_leader(actor):
        raise _refuse("Only the social media team and department leaders can assign questions.")
    if not expert.is_active:
        raise ApplicationError("That person has left the company.", field="expert")
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if not social:
            # Decided on the locked row: a reroute may have just moved it elsewhere.
            if not selectors.leads_department(actor, question.department_id):
                raise _refuse("You can only assign the questions of a department you lead.")
            expert_department = (
                Profile.objects.filter(user=expert).values_list("department_id", flat=True).first()
            )
            if expert_department != question.department_id:
                raise ApplicationError(
                    f"{expert.profile.display_name} is not an expert of "
                    f"{question.department.name}.",
                    field="expert",
                )
        if not question.is_open:
            raise ApplicationError(
                f"This question is {question.get_status_display().lower()}: "
                "there is nothing left to assign.",
                field="status",
                status=409,
            )
        if question.assigned_to_id == expert.pk:
            return question
        _move(question, Status.ASSIGNED)
        if question.department_id is None:
            question.department_id = (
                Profile.objects.filter(user=expert).values_list("department_id", flat=True).first()
            )
            question.routed_by = CustomerQuestion.RoutedBy.PERSON
            if question.department_id is not None:  # taken out of triage: a label
                record_label(
                    question,
                    source=RouterLabel.Source.ROUTED,
                    department_id=question.department_id,
                    by=actor,
                    now=now,
                )
        _assign(question, expert, by=actor, now=now)
        question.save()
    return question


def route_to_department(*, actor, question: CustomerQuestion, department: Department):
    """The social team takes a question out of triage into a department."""
    _require_social_team(actor)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if question.department_id == department.pk:
            return question
        if question.department_id is not None:
            raise ApplicationError(
                "This question has a department already: reroute it with a reason.",
                field="department",
            )
        _move(question, Status.TRIAGED)
        question.department = department
        question.routed_by = CustomerQuestion.RoutedBy.PERSON
        record_label(
            question,
            source=RouterLabel.Source.ROUTED,
            department_id=department.pk,
            by=actor,
            now=now,
        )
        _assign_automatically(question, now=now)
        question.save()
        signals.question_routed.send(sender=CustomerQuestion, question=question)
    return question


def reroute_question(*, actor, question: CustomerQuestion, department: Department, reason: str):
    """The assigned expert (or the social team) sends a question to another department."""
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if not (selectors.is_social_team(actor) or question.assigned_to_id == actor.pk):
            raise _refuse("Only the assigned expert or the social team can reroute it.")
        if question.department_id == department.pk:
            raise ApplicationError("It is in this department already.", field="department")
        _move(question, Status.REROUTED)
        reroute = Reroute.objects.create(
            question=question,
            from_department_id=question.department_id,
            to_department=department,
            by=actor,
            reason=reason,
        )
        now = reroute.created_at  # one instant for the reroute and what follows it
        _end_assignment(question, now=now, ended=Assignment.Ended.REROUTED, reason=reason)
        question.department = department
        question.routed_by = CustomerQuestion.RoutedBy.PERSON
        question.assigned_to, question.assigned_at = None, None
        record_label(
            question,
            source=RouterLabel.Source.REROUTED,
            department_id=department.pk,
            by=actor,
            now=now,
        )
        _assign_automatically(question, now=now)
        question.save()
        signals.question_routed.send(sender=CustomerQuestion, question=question)
    return question


def decline_question(
    *, actor, question: CustomerQuestion, reason: str, wrong_department: bool = False
):
    """The assigned expert hands a question back: it goes to the next expert of the
    department (never back to someone who declined it), or waits.

    `wrong_department`: it is not a question for this department at all. It goes back to
    the triage queue (no department) for the social team to route, and the router learns
    that it does not belong there (a "wrong" label)."""
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if question.assigned_to_id != actor.pk:
            raise _refuse("Only the assigned expert can decline it.")
        _move(question, Status.TRIAGED)
        _end_assignment(question, now=now, ended=Assignment.Ended.DECLINED, reason=reason)
        question.assigned_to, question.assigned_at = None, None
        if wrong_department and question.department_id is not None:
            record_label(
                question,
                source=RouterLabel.Source.DECLINED,
                department_id=question.department_id,
                wrong=True,
                by=actor,
                now=now,
            )
            _capacity_freed(question.department_id)
            question.department = None
            question.routed_by = CustomerQuestion.RoutedBy.NONE
        else:
            _assign_automatically(question, now=now)
        question.save()
    return question


def _capacity_freed(department_id: int | None) -> None:
    """An expert has one question less: their department's waiting questions need not wait
    for the beat."""
    if department_id is not None:
        # If the broker is down, the `routing-waiting` beat task assigns them within a minute.
        enqueue_on_commit("routing.tasks.assign_waiting_questions", department_id)


def assign_waiting_questions(
    *, now: dt.datetime | None = None, department_id: int | None = None
) -> int:
    """Give waiting questions (of one department, or all) to experts who became free: most
    urgent, then oldest first."""
    now = now or timezone.now()
    waiting = CustomerQuestion.objects.filter(
        status__in=(Status.TRIAGED, Status.REROUTED, Status.ESCALATED),
        department__isnull=False,
        assigned_to__isnull=True,
    )
    if department_id is not None:
        waiting = waiting.filter(department_id=department_id)
    waiting = list(waiting.values_list("pk", "priority", "received_at"))
    waiting.sort(key=lambda row: (PRIORITY_RANK[row[1]], row[2], row[0]))
    assigned = 0
    for pk, _, _ in waiting:
        with transaction.atomic():
            question = CustomerQuestion.objects.select_for_update().filter(pk=pk).first()
            if question is None or question.assigned_to_id or question.department_id is None:
                continue
            if question.status not in (Status.TRIAGED, Status.REROUTED, Status.ESCALATED):
                continue
            if _assign_automatically(question, now=now):
                question.save()
                assigned += 1
    return assigned
