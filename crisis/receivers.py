"""What crisis does when routing says something happened (routing.signals): the timeline of
every open incident the question belongs to, and the brand activity feed. Connected in
CrisisConfig.ready; routing never imports crisis."""

from routing import signals

from . import selectors, services
from .models import TimelineEntry


def _add_question(question) -> None:
    """The question on each open incident it belongs to, once (a question received and later
    routed, or announced twice, is one entry)."""
    for incident in selectors.incidents_concerning(question):
        if incident.entries.filter(question=question, kind=TimelineEntry.Kind.QUESTION).exists():
            continue
        services.add_entry(
            incident,
            TimelineEntry.Kind.QUESTION,
            text=question.text,
            question=question,
            link=question.get_absolute_url(),
        )


def question_received(sender, *, question, **kwargs) -> None:
    _add_question(question)


def question_routed(sender, *, question, **kwargs) -> None:
    """A question routed by hand into a department joins that department's incidents."""
    _add_question(question)


def public_reply_sent(sender, *, reply, **kwargs) -> None:
    question = reply.question
    for incident in selectors.incidents_concerning(question):
        services.add_entry(
            incident,
            TimelineEntry.Kind.REPLY_SENT,
            actor=reply.author,
            text=reply.text,
            question=question,
            link=question.get_absolute_url(),
        )
    services.record_reply_activity(reply)


def public_reply_refused(sender, *, actor, question, reason, status=403, **kwargs) -> None:
    if status == 409:  # held for a second approval: the gate put it on the timeline
        return
    incidents = {i.pk: i for i in selectors.incidents_concerning(question)}
    crisis = selectors.crisis_mode_incident()
    if crisis is not None:
        incidents.setdefault(crisis.pk, crisis)
    for incident in incidents.values():
        services.add_entry(
            incident,
            TimelineEntry.Kind.REPLY_REFUSED,
            actor=actor,
            text=reason,
            question=question,
            link=question.get_absolute_url(),
        )


def connect() -> None:
    signals.question_received.connect(question_received, dispatch_uid="crisis.question")
    signals.question_routed.connect(question_routed, dispatch_uid="crisis.question_routed")
    signals.public_reply_sent.connect(public_reply_sent, dispatch_uid="crisis.reply_sent")
    signals.public_reply_refused.connect(public_reply_refused, dispatch_uid="crisis.refused")
