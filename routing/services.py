"""Every write to customer questions: intake, routing, assignment, the clock, answers,
public replies and insights (router versions: routing.training). `verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError 403, nothing written), validates
(ApplicationError naming the field), changes rows in one transaction with the question row
locked, and sends notifications in that transaction and events after it commits.
Notification and event text never carries the customer's personal data.
"""

import datetime as dt
import logging
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import events
from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError
from notifications.models import Notification
from notifications.services import notify
from people.models import Department, Profile
from people.roles import SOCIAL_TEAM, is_admin
from people.selectors import with_skills
from policies.selectors import may_reply_publicly

from . import business_hours, router_cache, selectors
from .connectors import get_connector
from .models import (
    CLOCK_RUNNING,
    PRIORITY_RANK,
    Answer,
    Assignment,
    Channel,
    CustomerQuestion,
    InsightTag,
    KeywordRule,
    Note,
    Priority,
    PublicReply,
    Reroute,
    SlaTarget,
    Status,
    WebhookDelivery,
)

log = logging.getLogger(__name__)
User = get_user_model()

MAX_TEXT = 10_000
MAX_REASON = 500
DEFAULT_SLA_HOURS = {
    Priority.URGENT: Decimal(1),
    Priority.HIGH: Decimal(4),
    Priority.NORMAL: Decimal(8),
    Priority.LOW: Decimal(24),
}
# SLA stages: 1 reminds the expert, 2 escalates to the leaders, 3 to the social team.
STAGE_FRACTIONS = {1: Decimal("0.5"), 2: Decimal(1), 3: Decimal("1.5")}


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, status=403)


def _locked(question: CustomerQuestion) -> CustomerQuestion:
    """The question's row, locked until the caller's transaction ends."""
    return CustomerQuestion.objects.select_for_update().get(pk=question.pk)


def _move(question: CustomerQuestion, status: str) -> None:
    if not question.can_move_to(status):
        raise ApplicationError(
            f"A question that is {question.get_status_display().lower()} cannot become "
            f"{Status(status).label.lower()}.",
            field="status",
            status=409,
        )
    question.status = status


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ApplicationError("This cannot be empty.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"Keep this under {limit:,} characters.", field=field)
    return value


def _reason(value) -> str:
    return _text(value, field="reason", limit=MAX_REASON)


def _social_users():
    return User.objects.filter(groups__name=SOCIAL_TEAM, is_active=True).distinct()


def _leaders_of(department: Department):
    from groups.models import Group, Membership

    return User.objects.filter(
        is_active=True,
        memberships__group__kind=Group.Kind.DEPARTMENT,
        memberships__group__department=department,
        memberships__role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).distinct()


def _require_social_team(actor) -> None:
    if not selectors.is_social_team(actor):
        raise _refuse("Only the social media team can do that.")


# --- Intake -----------------------------------------------------------------------------


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
    """Store an inbound question and route it; (question, created).

    The same (channel, external id) twice is one question, also when two deliveries race:
    the unique constraint decides and the loser reads the winner's row. A question without
    an external id (the web form, a phone call) is always new.
    """
    if channel not in Channel.values:
        raise ApplicationError(
            f"Unknown channel. Choose one of: {', '.join(Channel.values)}.", field="channel"
        )
    if priority not in Priority.values:
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
    try:
        with transaction.atomic():
            question = CustomerQuestion.objects.create(
                channel=channel,
                external_id=external_id,
                external_url=external_url,
                customer_name=customer_name,
                customer_handle=customer_handle,
                customer_email=customer_email,
                text=text,
                received_at=received_at,
                priority=priority,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
            _start_clock(question)
            _route(question, now=now)
    except IntegrityError:
        existing = CustomerQuestion.objects.filter(channel=channel, external_id=external_id).first()
        if existing is None:
            raise
        return existing, False
    return question, True


def receive_webhook(*, delivery_id: str, payload: dict) -> tuple[CustomerQuestion, bool]:
    """A verified webhook delivery (see routing.webhooks). A delivery id seen before is a
    replay: refused (409), nothing stored twice."""
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
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(delivery_id=delivery_id)
            question, created = receive_question(**fields)
            WebhookDelivery.objects.filter(delivery_id=delivery_id).update(question=question)
    except IntegrityError:
        if WebhookDelivery.objects.filter(delivery_id=delivery_id).exists():
            raise ApplicationError(
                "This delivery was received already.", field="delivery_id", status=409
            ) from None
        raise
    return question, created


# --- Classification and routing ---------------------------------------------------------


def _matching_rule(text: str) -> KeywordRule | None:
    lowered = text.casefold()
    for rule in KeywordRule.objects.filter(active=True).select_related("department"):
        keyword = rule.keyword.casefold().strip()
        if keyword and re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", lowered):
            return rule
    return None


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
    rule = _matching_rule(question.text)
    if rule is not None:
        question.department = rule.department
        question.routed_by = CustomerQuestion.RoutedBy.RULE
    elif question.predicted_department is not None:
        question.department = question.predicted_department
        question.routed_by = CustomerQuestion.RoutedBy.MODEL
    else:
        question.department = None


def _route(question: CustomerQuestion, *, now: dt.datetime) -> None:
    """Classify a new question, then give it to an expert or leave it in triage."""
    _classify(question)
    _move(question, Status.TRIAGED)
    if question.department_id is not None:
        _assign_automatically(question, now=now)
    question.save()


def pick_expert(
    *, department: Department, text: str, now: dt.datetime, exclude=()
) -> "User | None":
    """The expert of `department` who should take a question now, or None.

    Eligible: active, in the department, at work (working hours and days in their own time
    zone, not out of office), fewer open questions than ROUTING_EXPERT_CAPACITY. Among
    them: most of their skills named in the text, then least loaded, then least recently
    assigned (fairness between equals). One query when nobody is at work, four otherwise
    (people, loads, last assignments, skills), each one grouped query for the department.
    """
    profiles = [
        p
        for p in Profile.objects.filter(department=department, user__is_active=True)
        .exclude(user_id__in=list(exclude))
        .select_related("user")
        if p.is_working_at(now)
    ]
    if not profiles:
        return None
    ids = [p.user_id for p in profiles]
    loads = selectors.expert_loads(ids)
    last = dict(
        Assignment.objects.filter(expert_id__in=ids)
        .order_by()
        .values_list("expert_id")
        .annotate(at=Max("assigned_at"))
    )
    capacity = settings.ROUTING_EXPERT_CAPACITY
    available = [p for p in profiles if loads.get(p.user_id, 0) < capacity]
    if not available:
        return None
    with_skills(available)
    words = text.casefold()
    never = dt.datetime.min.replace(tzinfo=dt.UTC)

    def skill_match(profile: Profile) -> int:
        return sum(
            1
            for tag in profile.skill_tags
            if re.search(rf"(?<!\w){re.escape(tag.name.casefold())}(?!\w)", words)
        )

    best = min(
        available,
        key=lambda p: (
            -skill_match(p),
            loads.get(p.user_id, 0),
            last.get(p.user_id) or never,
            p.pk,
        ),
    )
    return best.user


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
    expert = pick_expert(
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
        _assign_automatically(question, now=now)
        question.save()
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
        _assign_automatically(question, now=now)
        question.save()
    return question


def decline_question(*, actor, question: CustomerQuestion, reason: str):
    """The assigned expert hands a question back: it goes to the next expert of the
    department (never back to someone who declined it), or waits."""
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if question.assigned_to_id != actor.pk:
            raise _refuse("Only the assigned expert can decline it.")
        _move(question, Status.TRIAGED)
        _end_assignment(question, now=now, ended=Assignment.Ended.DECLINED, reason=reason)
        question.assigned_to, question.assigned_at = None, None
        _assign_automatically(question, now=now)
        question.save()
    return question


def _capacity_freed(department_id: int | None) -> None:
    """An expert has one question less: their department's waiting questions need not wait
    for the beat."""
    from .tasks import assign_waiting_questions as task

    if department_id is not None:
        # If the broker is down, the `routing-waiting` beat task assigns them within a minute.
        enqueue_on_commit(task, department_id)


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


# --- Answers, notes, replies, tags ------------------------------------------------------


def answer_question(*, actor, question: CustomerQuestion, text: str) -> Answer:
    """The assigned expert's answer. The first one stops the SLA clock."""
    text = _text(text, field="text", limit=MAX_TEXT)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        if question.assigned_to_id != actor.pk and not is_admin(actor):
            raise _refuse("Only the assigned expert can answer it.")
        _move(question, Status.ANSWERED)
        answer = Answer.objects.create(question=question, author=actor, text=text)
        if question.first_answer_at is None:
            question.first_answer_at = now
        question.sla_next_at = None
        question.save()
        _capacity_freed(question.department_id)
    return answer


def add_note(*, actor, question: CustomerQuestion, text: str) -> Note:
    text = _text(text, field="text", limit=5_000)
    if not selectors.may_work_on(actor, question):
        raise _refuse("Only the social team and the department's experts can add notes.")
    return Note.objects.create(question=question, author=actor, text=text)


def record_public_reply(
    *, actor, question: CustomerQuestion, text: str, url: str = ""
) -> PublicReply:
    """The public reply: posted through the outbound connector, then recorded (who, when,
    text, link). Who may post it is the policies app's answer to "may this person speak for
    the brand?" (policies.selectors.may_reply_publicly: the engagement model, certification
    and the acknowledgement gate)."""
    text = _text(text, field="text", limit=5_000)
    url = _text(url, field="url", limit=500, required=False)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ApplicationError("Give an http(s) link.", field="url") from None
    if not may_reply_publicly(actor):
        raise _refuse("You may not speak for the brand yet: see the social media policy.")
    question.refresh_from_db(fields=["status"])
    if not question.can_move_to(Status.REPLIED):
        raise ApplicationError(
            "Only an answered question can get its public reply.", field="status", status=409
        )
    connector = get_connector()
    posted = connector.post(channel=question.channel, in_reply_to=question.external_id, text=text)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        _move(question, Status.REPLIED)
        reply = PublicReply.objects.create(
            question=question,
            author=actor,
            text=text,
            url=url or posted.url,
            connector=getattr(connector, "name", type(connector).__name__),
            posted_at=now,
        )
        question.replied_at = now
        question.save()
    return reply


def close_question(*, actor, question: CustomerQuestion, spam: bool = False):
    _require_social_team(actor)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        _move(question, Status.SPAM if spam else Status.CLOSED)
        _end_assignment(question, now=now, ended=Assignment.Ended.CLOSED)
        question.closed_at = now
        question.sla_next_at = None
        question.save()
        _capacity_freed(question.department_id)
    return question


def tag_question(*, actor, question: CustomerQuestion, tag: str, on: bool = True) -> list[str]:
    """Tag (or untag) a question as product feedback, bug, feature request or complaint."""
    if tag not in InsightTag.Tag.values:
        raise ApplicationError(f"Choose one of: {', '.join(InsightTag.Tag.values)}.", field="tag")
    if not selectors.may_work_on(actor, question):
        raise _refuse("Only the social team and the department's experts can tag it.")
    if on:
        try:
            with transaction.atomic():
                InsightTag.objects.get_or_create(
                    question=question, tag=tag, defaults={"tagged_by": actor}
                )
        except IntegrityError:  # tagged by two people at the same moment
            pass
    else:
        InsightTag.objects.filter(question=question, tag=tag).delete()
    return sorted(InsightTag.objects.filter(question=question).values_list("tag", flat=True))


# --- The clock --------------------------------------------------------------------------


def sla_target(priority: str) -> dt.timedelta:
    hours = (
        SlaTarget.objects.filter(priority=priority).values_list("business_hours", flat=True).first()
    )
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


# --- CSV import -----------------------------------------------------------------------------

IMPORT_MAX_ROWS = 5_000
IMPORT_COLUMNS = (
    "channel",
    "external_id",
    "external_url",
    "text",
    "customer_name",
    "customer_handle",
    "customer_email",
    "priority",
    "received_at",
)


def import_questions(*, actor, lines) -> dict:
    """Import a CSV of questions (an iterable of text lines, header first). Each row goes
    through receive_question, so a row seen before is a duplicate, not a second question;
    a bad row is reported with its line number and field and does not stop the others."""
    import csv

    _require_social_team(actor)
    reader = csv.DictReader(lines)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "text" not in header or "channel" not in header:
        raise ApplicationError(
            "The first line must name the columns channel and text.", field="file"
        )
    reader.fieldnames = header
    result = {"created": 0, "duplicates": 0, "errors": []}
    for number, row in enumerate(reader, start=2):
        if number - 1 > IMPORT_MAX_ROWS:
            result["errors"].append((number, "file", f"Stopped after {IMPORT_MAX_ROWS:,} rows."))
            break
        fields = {k: (row.get(k) or "").strip() for k in IMPORT_COLUMNS if k in row}
        received = fields.pop("received_at", "")
        fields.setdefault("priority", Priority.NORMAL)
        fields["priority"] = fields["priority"] or Priority.NORMAL
        try:
            if received:
                try:
                    moment = dt.datetime.fromisoformat(received)
                except ValueError:
                    raise ApplicationError(
                        "Use ISO 8601, e.g. 2026-03-01T09:30:00+00:00.", field="received_at"
                    ) from None
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment, dt.UTC)
                fields["received_at"] = moment
            _, created = receive_question(actor=actor, **fields)
        except ApplicationError as exc:
            result["errors"].append((number, exc.field or "", exc.message))
            continue
        result["created" if created else "duplicates"] += 1
    return result
