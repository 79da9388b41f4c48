"""One question as a viewer may read it: the visible questions, the question page's detail
and timeline, the customer's whole thread."""

from django.db.models import (
    Q,
    QuerySet,
)
from django.http import Http404

from .. import redaction
from ..models import (
    Assignment,
    CustomerQuestion,
    Status,
)
from .access import _known, can_see_customer, may_work_on, with_customers


def visible_questions(viewer) -> QuerySet[CustomerQuestion]:
    """The questions `viewer` may read (their text: see customer_of for the person)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return CustomerQuestion.objects.none()
    return CustomerQuestion.objects.select_related(
        "department", "predicted_department", "assigned_to__profile"
    )


def get_visible_question(viewer, question_id: int) -> CustomerQuestion:
    try:
        return visible_questions(viewer).get(pk=question_id)
    except CustomerQuestion.DoesNotExist as exc:
        raise Http404("No such question.") from exc


def question_detail(viewer, question_id: int) -> CustomerQuestion:
    """One question with its history loaded (a fixed number of queries)."""
    question = get_visible_question(viewer, question_id)
    question.answer_list = list(question.answers.select_related("author__profile"))
    # Internal notes stay with the people working on the question.
    question.may_work = may_work_on(viewer, question)
    question.note_list = (
        list(question.notes.select_related("author__profile")) if question.may_work else []
    )
    question.reply_list = list(question.public_replies.select_related("author__profile"))
    question.reroute_list = list(
        question.reroutes.select_related("from_department", "to_department", "by__profile")
    )
    question.assignment_list = list(
        question.assignments.select_related("expert__profile", "assigned_by__profile")
    )
    question.tag_list = [t.tag for t in question.tags.all()]
    with_customers(viewer, [question])
    allowed = can_see_customer(viewer, question)

    def shown(text: str) -> str:
        return text if allowed else redaction.redact(text, _known(question))

    for entry in (*question.answer_list, *question.note_list, *question.reply_list):
        entry.visible_text = shown(entry.text)
    for reply in question.reply_list:
        # The brand's reply sits in the customer's thread: its link leads to them.
        reply.visible_url = reply.url if allowed else None
    for item in (*question.reroute_list, *question.assignment_list):
        item.visible_reason = shown(item.reason)
    question.timeline = _timeline(question)
    return question


def _name(user) -> str:
    return user.profile.display_name if user is not None else "someone who left"


def _router_choice(q: CustomerQuestion) -> str:
    """A router with sentence embeddings decides on its confidence that the question belongs
    to some department; the department's own share of it is the ranking's (the classifier)."""
    share = q.ranking[0][1] if q.ranking else q.confidence
    text = f"The router chose {q.predicted_department} ({share:.0%})"
    if abs(share - q.confidence) >= 0.005:
        text += f", {q.confidence:.0%} sure it is a question for a department"
    return text


def _timeline(q: CustomerQuestion) -> list[tuple]:
    """What happened to the question, oldest first: (when, text). Built from the history
    question_detail loaded; no query. At the same instant an ending comes before the next
    start (a decline before the next assignment)."""
    events = [(q.received_at, 0, f"Received on {q.get_channel_display()}")]
    decided = min([q.created_at, *(a.assigned_at for a in q.assignment_list)])
    if q.routed_by == CustomerQuestion.RoutedBy.RULE and not q.reroute_list and q.department:
        events.append((decided, 1, f"A keyword rule chose {q.department}"))
    elif q.predicted_department and q.confidence is not None:
        events.append((decided, 1, _router_choice(q)))
    for a in q.assignment_list:
        by = _name(a.assigned_by) if a.assigned_by_id else "the router"
        events.append((a.assigned_at, 3, f"Assigned to {_name(a.expert)} by {by}"))
        if a.ended == Assignment.Ended.DECLINED:
            events.append((a.ended_at, 2, f"{_name(a.expert)} declined: “{a.visible_reason}”"))
    for r in q.reroute_list:
        source = f" from {r.from_department}" if r.from_department else ""
        text = f"Rerouted{source} to {r.to_department} by {_name(r.by)}: “{r.visible_reason}”"
        events.append((r.created_at, 2, text))
    for a in q.answer_list:
        events.append((a.created_at, 4, f"Answered by {_name(a.author)}"))
    for r in q.reply_list:
        events.append((r.posted_at, 5, f"Public reply by {_name(r.author)}"))
    if q.closed_at:
        events.append((q.closed_at, 6, "Marked as spam" if q.status == Status.SPAM else "Closed"))
    return [(when, text) for when, _, text in sorted(events, key=lambda e: (e[0], e[1]))]


THREAD_LIMIT = 50


def customer_thread(viewer, question: CustomerQuestion) -> list[CustomerQuestion]:
    """The customer's other messages on the same channel, oldest first: a channel delivers
    each message as its own question (intake is idempotent per message id), and the
    messages of one customer (same handle, or same email when there is no handle) on one
    channel are one conversation. Only for those who may see this question's customer
    (knowing which questions share a customer is personal data too); each message is then
    shown by the same rule as any question (with_customers). One query, or none."""
    if not can_see_customer(viewer, question):
        return []
    if question.customer_handle:
        same = Q(customer_handle=question.customer_handle)
    elif question.customer_email:
        same = Q(customer_email=question.customer_email)
    else:
        return []
    others = list(
        visible_questions(viewer)
        .filter(same, channel=question.channel)
        .exclude(pk=question.pk)
        .order_by("received_at", "id")[:THREAD_LIMIT]
    )
    return with_customers(viewer, others)
