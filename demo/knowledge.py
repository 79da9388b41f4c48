"""Knowledge entries for the demo: the first answered questions of each department, written
up by the expert who answered them (scrubbed like any entry) and published."""

from core.markdown import shorten
from knowledge import services
from knowledge.models import Entry
from routing.models import Answer, CustomerQuestion
from routing.redaction import redact

PER_DEPARTMENT = 2


def seed_knowledge() -> int:
    """Publish up to PER_DEPARTMENT entries per department; a second run adds nothing."""
    made, per_department = 0, {}
    answered = (
        CustomerQuestion.objects.filter(status__in=("answered", "replied", "closed"))
        .exclude(knowledge_entries__isnull=False)
        .exclude(department=None)
        .select_related("department")
        .order_by("received_at", "id")
    )
    for entry in Entry.objects.exclude(department=None):
        per_department[entry.department_id] = per_department.get(entry.department_id, 0) + 1
    for question in answered:
        if per_department.get(question.department_id, 0) >= PER_DEPARTMENT:
            continue
        answer = Answer.objects.filter(question=question).exclude(author=None).last()
        if answer is None:
            continue
        known = (question.customer_name, question.customer_handle, question.customer_email)
        entry, _ = services.draft_entry(
            actor=answer.author,
            question=question,
            title=shorten(" ".join(redact(question.text, known).split()), 120),
            body=answer.text,
            topics=[question.department.slug],
        )
        services.publish_entry(actor=answer.author, entry=entry)
        per_department[question.department_id] = per_department.get(question.department_id, 0) + 1
        made += 1
    return made
