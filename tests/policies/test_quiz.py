"""The certification quiz: server-side scoring, no answer key on the wire, bad input."""

import json

import pytest

from core.errors import ApplicationError
from policies import selectors, services
from policies.models import Certification, Choice, Quiz, QuizAttempt

from ..conftest import client_for
from .conftest import questions, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(employee, policy):
    services.acknowledge_version(actor=employee, version=policy)
    return employee


def test_passing_certifies_and_records_the_score(reader, policy):
    attempt = services.submit_quiz(
        actor=reader, quiz=policy.quiz, answers=right_answers(policy.quiz)
    )
    assert (attempt.score, attempt.passed) == (100, True)
    assert selectors.is_certified(reader)
    assert Certification.objects.get(user=reader).attempt == attempt


def test_failing_records_the_score_and_does_not_certify(reader, policy):
    answers = right_answers(policy.quiz)
    answers.update(dict(list(wrong_answers(policy.quiz).items())[:2]))  # 2 of 4 right
    attempt = services.submit_quiz(actor=reader, quiz=policy.quiz, answers=answers)
    assert (attempt.score, attempt.passed) == (50, False)
    assert not selectors.is_certified(reader)


def test_a_choice_of_another_question_cannot_pass(reader, policy):
    """Hand-made answers: every question answered with the right choice of question 1."""
    quiz = policy.quiz
    first = quiz.questions.first()
    right_of_first = next(c.pk for c in first.choices.all() if c.is_correct)
    forged = {str(q.pk): right_of_first for q in quiz.questions.all()}
    response = client_for(reader).post(
        "/api/v1/policies/quiz/attempts/", {"answers": forged}, content_type="application/json"
    )
    assert response.status_code == 400 and "answers" in response.json()
    assert not QuizAttempt.objects.exists() and not selectors.is_certified(reader)


def test_choices_of_another_quiz_cannot_pass(admin_user, reader, policy, draft):
    other = services.set_quiz(actor=admin_user, version=draft, pass_mark=50, questions=questions())
    forged = dict(
        zip(
            [str(q.pk) for q in policy.quiz.questions.all()],
            right_answers(other).values(),
            strict=True,
        )
    )
    response = client_for(reader).post(
        "/api/v1/policies/quiz/attempts/", {"answers": forged}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not selectors.is_certified(reader)


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"999999": 1},
        {"abc": "def"},
        "all of them",
        [1, 2, 3],
    ],
)
def test_malformed_answers_are_a_400_naming_answers(reader, policy, answers):
    response = client_for(reader).post(
        "/api/v1/policies/quiz/attempts/",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "answers" in response.json()
    assert not selectors.is_certified(reader)


def test_skipping_a_question_is_refused(reader, policy):
    answers = right_answers(policy.quiz)
    answers.popitem()
    response = client_for(reader).post("/policies/quiz/", {f"q{k}": v for k, v in answers.items()})
    assert response.status_code == 400
    assert "unanswered" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_posting_the_form_with_right_answers_passes(reader, policy):
    answers = right_answers(policy.quiz)
    response = client_for(reader).post("/policies/quiz/", {f"q{k}": v for k, v in answers.items()})
    assert response.status_code == 200 and "You passed" in response.content.decode()
    assert selectors.is_certified(reader)


def test_quiz_needs_the_policy_acknowledged_first(employee, policy):
    response = client_for(employee).post(
        "/api/v1/policies/quiz/attempts/",
        {"answers": right_answers(policy.quiz)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not selectors.is_certified(employee)


def test_the_answer_key_is_not_sent_to_quiz_takers(reader, policy):
    client = client_for(reader)
    page = client.get("/policies/quiz/").content.decode()
    api = client.get("/api/v1/policies/quiz/").content.decode()
    assert "correct" not in api and "is_correct" not in page
    for body in (page, api):
        for choice in Choice.objects.filter(question__quiz=policy.quiz):
            assert choice.text in body
    # Right and wrong choices are rendered alike: nothing on the page marks one.
    right = Choice.objects.filter(question__quiz=policy.quiz, is_correct=True).first()
    wrong = Choice.objects.filter(question=right.question, is_correct=False).first()

    def shape(choice) -> str:
        line = next(x for x in page.splitlines() if f'value="{choice.pk}"' in x)
        return line.replace(f'value="{choice.pk}"', "").replace(choice.text, "")

    assert shape(right) == shape(wrong)


def test_only_admins_write_quizzes(employee, policy):
    with pytest.raises(ApplicationError) as exc:
        services.set_quiz(actor=employee, version=policy, pass_mark=10, questions=questions())
    assert exc.value.status == 403
    body = {
        "pass_mark": 10,
        "questions": [{"text": "Q?", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    }
    response = client_for(employee).put(
        f"/api/v1/policies/versions/{policy.number}/quiz/", body, content_type="application/json"
    )
    assert response.status_code == 403
    assert client_for(employee).get(f"/policies/versions/{policy.number}/quiz/").status_code == 403
    assert Quiz.objects.get().pass_mark == 75 and Quiz.objects.get().questions.count() == 4


@pytest.mark.parametrize("pass_mark", [0, 101, -5, 1000])
def test_pass_mark_out_of_range_is_a_clear_error(admin_user, draft, pass_mark):
    with pytest.raises(ApplicationError) as exc:
        services.set_quiz(
            actor=admin_user, version=draft, pass_mark=pass_mark, questions=questions()
        )
    assert exc.value.field == "pass_mark"
    body = {
        "pass_mark": pass_mark,
        "questions": [{"text": "Q?", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    }
    response = client_for(admin_user).put(
        f"/api/v1/policies/versions/{draft.number}/quiz/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "pass_mark" in response.json()
    page = client_for(admin_user).post(
        f"/policies/versions/{draft.number}/quiz/",
        {"pass_mark": pass_mark, "questions": "Q: a?\n* y\n- n"},
    )
    assert page.status_code == 400 and "1 to 100" in page.content.decode()
    assert not Quiz.objects.filter(version=draft).exists()


def test_quiz_with_no_correct_answer_is_a_clear_error(admin_user, draft):
    text = "Q: Who owns the followers?\n- The employee\n- The platform"
    page = client_for(admin_user).post(
        f"/policies/versions/{draft.number}/quiz/", {"pass_mark": 80, "questions": text}
    )
    assert page.status_code == 400
    assert "Question 1 has no correct answer" in page.content.decode()
    body = {
        "pass_mark": 80,
        "questions": [{"text": "Q?", "choices": [{"text": "a"}, {"text": "b"}]}],
    }
    response = client_for(admin_user).put(
        f"/api/v1/policies/versions/{draft.number}/quiz/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "no correct answer" in response.json()["questions"][0]
    assert not Quiz.objects.filter(version=draft).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Add at least one question"),
        ("- orphan choice", "Line 1"),
        ("Q: one choice?\n* only", "between 2 and"),
        ("Q: two right?\n* a\n* b", "exactly one"),
        ("What?\n* a", "Line 1"),
    ],
)
def test_quiz_text_errors_name_the_problem(admin_user, draft, text, message):
    page = client_for(admin_user).post(
        f"/policies/versions/{draft.number}/quiz/", {"pass_mark": 80, "questions": text}
    )
    assert page.status_code == 400 and message in page.content.decode()


def test_admin_writes_a_quiz_in_the_app(admin_user, draft):
    text = "Q: Who owns the followers?\n- The employee\n* The company\n\nQ: Vault?\n* Yes\n- No"
    response = client_for(admin_user).post(
        f"/policies/versions/{draft.number}/quiz/", {"pass_mark": 50, "questions": text}
    )
    assert response.status_code == 302
    quiz = selectors.quiz_of(draft)
    assert quiz.pass_mark == 50
    assert [q.text for q in quiz.questions.all()] == ["Who owns the followers?", "Vault?"]
    assert services.quiz_as_text(quiz) == text


def test_recertification_version_ends_every_certification(admin_user, reader, policy, draft):
    services.submit_quiz(actor=reader, quiz=policy.quiz, answers=right_answers(policy.quiz))
    draft.requires_recertification = True
    draft.save()
    services.publish_version(actor=admin_user, version=draft)
    assert not selectors.is_certified(reader)
    cert = Certification.objects.get(user=reader)
    assert "re-certification" in cert.revoke_reason


def test_a_plain_new_version_keeps_certifications(admin_user, reader, policy, draft):
    services.submit_quiz(actor=reader, quiz=policy.quiz, answers=right_answers(policy.quiz))
    services.publish_version(actor=admin_user, version=draft)
    assert selectors.is_certified(reader)


def test_admin_revokes_a_certification(admin_user, employee, reader, policy):
    services.submit_quiz(actor=reader, quiz=policy.quiz, answers=right_answers(policy.quiz))
    response = client_for(admin_user).post(
        f"/api/v1/policies/representatives/{reader.username}/revoke/",
        {"reason": "Left the team"},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert not selectors.is_certified(reader)


def test_employee_cannot_revoke_a_certification(colleague, reader, policy):
    services.submit_quiz(actor=reader, quiz=policy.quiz, answers=right_answers(policy.quiz))
    response = client_for(colleague).post(
        f"/api/v1/policies/representatives/{reader.username}/revoke/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client_for(colleague)
        .post(f"/policies/representatives/{reader.username}/revoke/")
        .status_code
        == 403
    )
    assert selectors.is_certified(reader)


def test_quiz_page_without_a_quiz_says_so(client_employee):
    response = client_employee.get("/policies/quiz/")
    assert response.status_code == 200
    assert "no certification quiz yet" in response.content.decode()
    assert client_employee.post("/policies/quiz/", {"q1": "1"}).status_code == 200
