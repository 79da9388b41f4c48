"""The public-reply step asks the policies app who may speak for the brand: the engagement
model the admins chose, certification and the acknowledgement gate, for real."""

import pytest

from core.errors import ApplicationError
from policies import services as policies
from policies.models import PolicySettings
from routing import services
from routing.models import PublicReply, Status

from ..policies.conftest import questions, right_answers, set_gate
from .conftest import ask

REFUND = "I was charged twice on my credit card, please refund me"


@pytest.fixture
def answered(trained_router, billing_expert, admin_user):
    version = policies.create_version(
        actor=admin_user, title="Social media policy", body="# Rules\n\nBe kind."
    )
    quiz = policies.set_quiz(actor=admin_user, version=version, pass_mark=75, questions=questions())
    version = policies.publish_version(actor=admin_user, version=version)
    question = ask(REFUND)
    services.answer_question(actor=billing_expert, question=question, text="Refunded.")
    question.refresh_from_db()
    return question, version, quiz


def _certify(user, version, quiz):
    policies.acknowledge_version(actor=user, version=version)
    attempt = policies.submit_quiz(actor=user, quiz=quiz, answers=right_answers(quiz))
    assert attempt.passed


def _reply(actor, question):
    return services.record_public_reply(actor=actor, question=question, text="Sorted, sorry!")


def test_command_and_control_keeps_the_reply_with_the_social_team(
    answered, billing_expert, social, admin_user
):
    question, version, quiz = answered
    set_gate(admin_user, PolicySettings.Gate.NONE)
    _certify(billing_expert, version, quiz)
    with pytest.raises(ApplicationError) as refused:
        _reply(billing_expert, question)
    assert refused.value.status == 403
    assert not PublicReply.objects.exists()
    assert _reply(social, question).author == social


def test_decentralized_lets_a_certified_expert_reply_but_not_an_uncertified_one(
    answered, billing_expert, second_billing_expert, admin_user
):
    question, version, quiz = answered
    set_gate(admin_user, PolicySettings.Gate.NONE, PolicySettings.Engagement.DECENTRALIZED)
    with pytest.raises(ApplicationError):
        _reply(second_billing_expert, question)
    _certify(billing_expert, version, quiz)
    assert _reply(billing_expert, question).author == billing_expert
    question.refresh_from_db()
    assert question.status == Status.REPLIED


def test_empowered_units_need_a_designated_department(
    answered, billing_expert, admin_user, finance, engineering
):
    question, version, quiz = answered
    _certify(billing_expert, version, quiz)
    set_gate(
        admin_user,
        PolicySettings.Gate.NONE,
        PolicySettings.Engagement.EMPOWERED_UNITS,
        depts=[engineering],
    )
    with pytest.raises(ApplicationError):
        _reply(billing_expert, question)  # Finance is not designated
    set_gate(
        admin_user,
        PolicySettings.Gate.NONE,
        PolicySettings.Engagement.EMPOWERED_UNITS,
        depts=[finance],
    )
    assert _reply(billing_expert, question).author == billing_expert


def test_the_reply_gate_holds_back_even_the_social_team_until_they_acknowledge(
    answered, social, admin_user
):
    question, version, _quiz = answered
    set_gate(admin_user, PolicySettings.Gate.POSTING_AND_REPLIES)
    with pytest.raises(ApplicationError):
        _reply(social, question)
    policies.acknowledge_version(actor=social, version=version)
    assert _reply(social, question).author == social
