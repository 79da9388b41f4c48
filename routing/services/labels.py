"""Labels: every human decision about where a question belongs is recorded with it, in the
decision's own transaction (a refused or rolled-back decision leaves none). The router
learns from them (routing.training.retrain_router)."""

from django.utils import timezone

from ..models import CustomerQuestion, RouterLabel
from ..redaction import redact


def record_label(
    question: CustomerQuestion,
    *,
    source: str,
    department_id: int | None,
    by=None,
    wrong: bool = False,
    now=None,
) -> RouterLabel:
    """One label for `question`: it belongs to `department_id` (None: to no department), or,
    `wrong`, it does not belong there. Expects the caller's open transaction. The text is
    stored without the customer (routing.redaction)."""
    known = (question.customer_name, question.customer_handle, question.customer_email)
    return RouterLabel.objects.create(
        question=question,
        text=redact(question.text, known),
        department_id=department_id,
        wrong=wrong,
        source=source,
        by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        created_at=now or timezone.now(),
    )
