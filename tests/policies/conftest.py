import pytest

from policies import services
from policies.models import PolicySettings

QUIZ = [
    ("Who owns a brand account's followers?", [("The company", True), ("The employee", False)]),
    ("Where do passwords live?", [("A spreadsheet", False), ("The company vault", True)]),
    (
        "A customer posts their order number. You…",
        [("Reply publicly", False), ("Move to a private channel", True), ("Ignore", False)],
    ),
    ("Who may reply for the brand?", [("Anyone", False), ("Certified people", True)]),
]


def questions(spec=QUIZ):
    return [services.QuestionInput(text, list(choices)) for text, choices in spec]


@pytest.fixture
def policy(admin_user):
    """Version 1, published, with a 4-question quiz (pass mark 75%)."""
    version = services.create_version(
        actor=admin_user, title="Social media policy", body="# Rules\n\nBe kind.\nSay who you are."
    )
    services.set_quiz(actor=admin_user, version=version, pass_mark=75, questions=questions())
    return services.publish_version(actor=admin_user, version=version)


@pytest.fixture
def draft(admin_user, policy):
    return services.create_version(
        actor=admin_user,
        title="Social media policy",
        body="# Rules\n\nBe kind.\nSay who you are.\nLabel AI content.",
        change_note="AI rule",
    )


def set_gate(admin_user, gate, model=PolicySettings.Engagement.COMMAND_AND_CONTROL, depts=()):
    return services.update_settings(
        actor=admin_user,
        acknowledgement_gate=gate,
        engagement_model=model,
        reminder_days=7,
        designated_departments=list(depts),
    )


def right_answers(quiz):
    return {
        str(q.pk): next(c.pk for c in q.choices.all() if c.is_correct) for q in quiz.questions.all()
    }


def wrong_answers(quiz):
    return {
        str(q.pk): next(c.pk for c in q.choices.all() if not c.is_correct)
        for q in quiz.questions.all()
    }
