"""The certification quiz: written as text or fields, validated, taken; a pass certifies a
brand representative until the next version or a revocation."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError

from .. import selectors
from ..models import (
    AuditEntry,
    Certification,
    Choice,
    PolicyVersion,
    Question,
    Quiz,
    QuizAttempt,
)
from .common import MAX_CHOICES, MAX_QUESTIONS, _audit, _require_admin


@dataclass
class QuestionInput:
    text: str
    choices: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_correct)


QUIZ_FORMAT_HELP = (
    "One question per block: a line starting with “Q:”, then one line per choice starting "
    "with “-” (wrong) or “*” (right). Leave a blank line between questions."
)


def parse_quiz_text(text: str) -> list[QuestionInput]:
    """The quiz editor's plain-text format into questions; errors name the line."""
    questions: list[QuestionInput] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^[Qq]\s*:", line):
            questions.append(QuestionInput(line.split(":", 1)[1].strip()))
        elif line[0] in "-*":
            if not questions:
                raise ApplicationError(
                    f"Line {number}: start with a question (“Q: …”).", field="questions"
                )
            questions[-1].choices.append((line[1:].strip(), line[0] == "*"))
        else:
            raise ApplicationError(
                f"Line {number}: start it with “Q:”, “-” or “*”.", field="questions"
            )
    return questions


def quiz_as_text(quiz: Quiz | None) -> str:
    """The editor's text of an existing quiz (admins only: it holds the answer key)."""
    if quiz is None:
        return ""
    blocks = []
    for question in quiz.questions.all():
        lines = [f"Q: {question.text}"]
        lines += [f"{'*' if c.is_correct else '-'} {c.text}" for c in question.choices.all()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _validate_questions(questions: list[QuestionInput]) -> None:
    if not questions:
        raise ApplicationError("Add at least one question.", field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ApplicationError(f"Keep it to {MAX_QUESTIONS} questions.", field="questions")
    for n, q in enumerate(questions, start=1):
        if not q.text or len(q.text) > 500:
            raise ApplicationError(
                f"Question {n}: write the question (under 500 characters).", field="questions"
            )
        if len(q.choices) < 2 or len(q.choices) > MAX_CHOICES:
            raise ApplicationError(
                f"Question {n}: give between 2 and {MAX_CHOICES} choices.", field="questions"
            )
        if any(not text or len(text) > 300 for text, _ in q.choices):
            raise ApplicationError(
                f"Question {n}: every choice needs a text under 300 characters.",
                field="questions",
            )
        if len({text for text, _ in q.choices}) != len(q.choices):
            raise ApplicationError(f"Question {n}: two choices are the same.", field="questions")
        right = sum(1 for _, correct in q.choices if correct)
        if right == 0:
            raise ApplicationError(
                f"Question {n} has no correct answer: mark one with “*”.", field="questions"
            )
        if right > 1:
            raise ApplicationError(
                f"Question {n} has {right} correct answers: mark exactly one.", field="questions"
            )


def set_quiz(
    *, actor, version: PolicyVersion, pass_mark: int, questions: list[QuestionInput]
) -> Quiz:
    """Attach a quiz to a version, or replace its questions. Past attempts keep their score."""
    _require_admin(actor, "Only admins write the certification quiz.")
    if version.status == PolicyVersion.Status.SUPERSEDED:
        raise ApplicationError(
            "Attach the quiz to the current version or a draft.", field="version"
        )
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
        raise ApplicationError("The pass mark is a percentage from 1 to 100.", field="pass_mark")
    _validate_questions(questions)
    with transaction.atomic():
        quiz, _ = Quiz.objects.select_for_update().get_or_create(
            version=version, defaults={"pass_mark": pass_mark, "created_by": actor}
        )
        quiz.pass_mark = pass_mark
        quiz.save(update_fields=["pass_mark", "updated_at"])
        quiz.questions.all().delete()
        for position, q in enumerate(questions):
            question = Question.objects.create(quiz=quiz, position=position, text=q.text)
            Choice.objects.bulk_create(
                Choice(question=question, position=i, text=text, is_correct=correct)
                for i, (text, correct) in enumerate(q.choices)
            )
        _audit(
            actor,
            AuditEntry.Action.SET_QUIZ,
            version=version,
            detail=f"{len(questions)} questions, pass mark {pass_mark}%",
        )
    return quiz


def submit_quiz(*, actor, quiz: Quiz, answers: dict) -> QuizAttempt:
    """Score `answers` ({question id: choice id}) on the server against the quiz's own key.

    Every question must be answered with one of its own choices: a choice id of another
    question or quiz is refused (400), so hand-made answers cannot pass. Passing certifies
    `actor` as a brand representative, in the same transaction as the attempt.
    """
    if not (actor.is_authenticated and actor.is_active):
        raise ApplicationError("Sign in to take the quiz.", status=403)
    if quiz.pk != selectors.current_quiz_id():
        raise ApplicationError("This quiz is not open.", field="quiz", status=400)
    if not selectors.has_acknowledged_current(actor):
        raise ApplicationError(
            "Read and acknowledge the current policy before taking the quiz.", status=403
        )
    if not isinstance(answers, dict):
        raise ApplicationError("Answer every question.", field="answers")
    key: dict[int, tuple[set[int], int]] = {}
    for question_id, choice_id, correct in Choice.objects.filter(question__quiz=quiz).values_list(
        "question_id", "id", "is_correct"
    ):
        choices, right = key.setdefault(question_id, (set(), 0))
        choices.add(choice_id)
        key[question_id] = (choices, choice_id if correct else right)
    given: dict[int, int] = {}
    for raw_question, raw_choice in answers.items():
        try:
            question_id, choice_id = int(raw_question), int(raw_choice)
        except (TypeError, ValueError):
            raise ApplicationError(
                "Answers are question and choice ids.", field="answers"
            ) from None
        if question_id not in key:
            raise ApplicationError("That question is not in this quiz.", field="answers")
        if choice_id not in key[question_id][0]:
            raise ApplicationError("Choose one of the question's own answers.", field="answers")
        given[question_id] = choice_id
    missing = len(key) - len(given)
    if missing:
        raise ApplicationError(
            f"Answer every question ({missing} left unanswered).", field="answers"
        )
    right = sum(1 for q, (_, correct) in key.items() if given[q] == correct)
    score = round(100 * right / len(key)) if key else 0
    passed = score >= quiz.pass_mark
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            quiz=quiz,
            user=actor,
            score=score,
            passed=passed,
            answers={str(q): c for q, c in given.items()},
        )
        if (
            passed
            and not Certification.objects.filter(user=actor, revoked_at__isnull=True).exists()
        ):
            Certification.objects.create(user=actor, version=quiz.version, attempt=attempt)
            _audit(
                actor,
                AuditEntry.Action.CERTIFY,
                target_user=actor,
                version=quiz.version,
                detail=f"Scored {score}% (pass mark {quiz.pass_mark}%)",
            )
    return attempt


def revoke_certification(*, actor, user, reason: str = "") -> Certification:
    _require_admin(actor, "Only admins revoke certifications.")
    reason = " ".join((reason or "").split())[:300]
    with transaction.atomic():
        cert = (
            Certification.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True)
            .first()
        )
        if cert is None:
            raise ApplicationError("That person is not certified.", field="username", status=404)
        cert.revoked_at, cert.revoked_by, cert.revoke_reason = timezone.now(), actor, reason
        cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _audit(actor, AuditEntry.Action.REVOKE_CERTIFICATION, target_user=user, detail=reason)
    return cert
