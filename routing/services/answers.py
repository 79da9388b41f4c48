"""After assignment: the expert's answer, notes, the public reply (through the connector,
if policies says this person may speak for the brand), closing and insight tags."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ApplicationError
from people.roles import is_admin
from policies.selectors import may_reply_publicly

from .. import selectors, signals
from ..connectors import get_connector
from ..models import (
    Answer,
    Assignment,
    CustomerQuestion,
    InsightTag,
    Note,
    PublicReply,
    RouterLabel,
    Status,
)
from .assignment import _capacity_freed, _end_assignment
from .common import MAX_TEXT, _locked, _move, _refuse, _require_social_team, _text
from .labels import record_label


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
        if question.department_id is not None:
            record_label(
                question,
                source=RouterLabel.Source.ANSWERED,
                department_id=question.department_id,
                by=actor,
                now=now,
            )
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
    *, actor, question: CustomerQuestion, text: str, url: str = "", approved_by=None
) -> PublicReply:
    """The public reply: posted through the outbound connector, then recorded (who, when,
    text, link). Who may post it is the policies app's answer to "may this person speak for
    the brand?" (policies.selectors.may_reply_publicly: the engagement model, certification
    and the acknowledgement gate), then every registered reply gate's (routing.signals: crisis
    mode holds replies to the social team, and may ask for `approved_by`, a second person).
    A refusal is announced (signals.public_reply_refused) before it is raised."""
    text = _text(text, field="text", limit=5_000)
    url = _text(url, field="url", limit=500, required=False)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ApplicationError("Give an http(s) link.", field="url") from None
    if not may_reply_publicly(actor):
        _refused(
            actor, question, "You may not speak for the brand yet: see the social media policy."
        )
    for gate in signals.reply_gates():
        try:
            gate(actor=actor, question=question, text=text, approved_by=approved_by)
        except ApplicationError as refusal:
            signals.public_reply_refused.send(
                sender=PublicReply,
                actor=actor,
                question=question,
                reason=refusal.message,
                status=refusal.status,
            )
            raise
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
        signals.public_reply_sent.send(sender=PublicReply, reply=reply)
    return reply


def _refused(actor, question: CustomerQuestion, reason: str):
    signals.public_reply_refused.send(
        sender=PublicReply, actor=actor, question=question, reason=reason, status=403
    )
    raise _refuse(reason)


def close_question(*, actor, question: CustomerQuestion, spam: bool = False):
    _require_social_team(actor)
    now = timezone.now()
    with transaction.atomic():
        question = _locked(question)
        _move(question, Status.SPAM if spam else Status.CLOSED)
        if spam:  # it belongs to no department
            record_label(
                question, source=RouterLabel.Source.SPAM, department_id=None, by=actor, now=now
            )
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
