"""What routing holds that a person wrote: answers and internal notes (core.exports).

Only their own text and the question's id: the customer's name, handle and message are
the customer's personal data, not the employee's, and stay out of the copy."""

from core import exports

from .models import Answer, Note


def answers(user):
    for answer in Answer.objects.filter(author=user).order_by("id").iterator(chunk_size=500):
        yield {"question": answer.question_id, "text": answer.text, "created_at": answer.created_at}


def notes(user):
    for note in Note.objects.filter(author=user).order_by("id").iterator(chunk_size=500):
        yield {"question": note.question_id, "text": note.text, "created_at": note.created_at}


def register() -> None:
    exports.register_exporter(
        "answers", answers, describe="your answers to customer questions (without the customer)"
    )
    exports.register_exporter("question-notes", notes, describe="your notes on customer questions")
    exports.register_erasure(
        "answers-and-notes",
        policy=exports.KEEP,
        describe="kept: the company's record of what customers were told, shown as by "
        "“Deleted account”",
    )
