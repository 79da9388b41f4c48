"""Bulk actions from the inbox: one action on many questions, each on its own.

Each question goes through the same service as on its own page (assign_question,
tag_question, close_question), in its own transaction: a question refused (closed meanwhile,
not the caller's to change) is reported and the others still happen.
"""

from dataclasses import dataclass

from core.errors import ApplicationError

from .. import selectors
from ..models import InsightTag
from .answers import close_question, tag_question
from .assignment import assign_question
from .common import _require_social_team

BULK_ACTIONS = ("assign", "tag", "spam", "close")
BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkResult:
    """What happened to one question of a bulk action: done, or refused and why."""

    question_id: int
    done: bool
    message: str = ""
    field: str = ""
    status: int = 200


def apply_bulk_action(
    *, actor, question_ids, action: str, expert=None, tag: str = ""
) -> list[BulkResult]:
    """Run `action` ("assign" to `expert`, "tag" with `tag`, "spam", "close") on each of
    `question_ids`, in the order given, and say per question what happened. The social
    team only (403 before anything happens). 400 naming the field when the action, its
    expert or tag, or the list of questions is wrong; then nothing happens either.

    Costs one query to load the questions plus what each service costs per question.
    """
    _require_social_team(actor)
    if action not in BULK_ACTIONS:
        raise ApplicationError(f"Choose one of: {', '.join(BULK_ACTIONS)}.", field="action")
    ids = list(dict.fromkeys(int(i) for i in question_ids))
    if not ids:
        raise ApplicationError("Choose at least one question.", field="questions")
    if len(ids) > BULK_LIMIT:
        raise ApplicationError(
            f"Choose at most {BULK_LIMIT} questions at a time.", field="questions"
        )
    if action == "assign" and expert is None:
        raise ApplicationError("Choose who takes them.", field="expert")
    if action == "tag" and tag not in InsightTag.Tag.values:
        raise ApplicationError(f"Choose one of: {', '.join(InsightTag.Tag.values)}.", field="tag")
    questions = selectors.visible_questions(actor).in_bulk(ids)
    results = []
    for question_id in ids:
        question = questions.get(question_id)
        if question is None:
            results.append(
                BulkResult(question_id, False, "No such question.", field="questions", status=404)
            )
            continue
        try:
            if action == "assign":
                assign_question(actor=actor, question=question, expert=expert)
            elif action == "tag":
                tag_question(actor=actor, question=question, tag=tag, on=True)
            else:
                close_question(actor=actor, question=question, spam=action == "spam")
        except ApplicationError as exc:
            refused = BulkResult(
                question_id, False, exc.message, field=exc.field or "", status=exc.status
            )
            results.append(refused)
        else:
            results.append(BulkResult(question_id, True))
    return results
