"""Customer questions in the notifications digest: the expert sees the questions assigned to
them, a department leader the ones waiting for an expert, anybody else none; never the
customer; a fixed number of queries for any number of readers."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from groups.models import Membership
from groups.services import ensure_department_group
from notifications import digests
from routing import selectors, services
from routing.models import Status

from ..factories import make_person
from .conftest import ALWAYS, ask

pytestmark = pytest.mark.django_db

SECRETS = ("Carla Customer", "@carla_c", "carla@example.org")
TEXT = "I was charged twice, where is my refund for the invoice?"


def lead(person, department):
    """Make `person` the leader of `department`'s group (a member of it or not)."""
    Membership.objects.update_or_create(
        group=ensure_department_group(department),
        user=person,
        defaults={"role": Membership.Role.LEADER},
    )
    return person


@pytest.fixture
def leader(finance):
    """Lena leads finance's group without being one of its experts."""
    return lead(make_person("lena.lead", display_name="Lena Lead", **ALWAYS).user, finance)


def digest_of(user, *, now=None):
    (digest,) = digests.build_digests(
        [user.pk], frequency="weekly", now=now or timezone.now() + dt.timedelta(minutes=5)
    )
    return digest


def test_a_question_assigned_to_an_expert_is_in_their_digest(
    trained_router, billing_expert, outsider
):
    question = ask(TEXT)
    question.refresh_from_db()
    assert question.assigned_to == billing_expert
    (shown,) = digest_of(billing_expert).questions
    assert shown.pk == question.pk
    assert shown.get_absolute_url() == question.get_absolute_url()
    assert "assigned to you" in str(shown)
    assert digest_of(outsider).questions == []


def test_a_department_leader_sees_the_waiting_ones(trained_router, leader, outsider, finance):
    question = ask(TEXT)  # finance has no expert at work: it waits
    question.refresh_from_db()
    assert question.department == finance and question.assigned_to is None
    assert question.status == Status.TRIAGED
    (shown,) = digest_of(leader).questions
    assert shown.pk == question.pk
    assert "waiting in Finance" in str(shown)
    assert digest_of(outsider).questions == []


def test_a_leader_is_not_told_about_questions_an_expert_holds(
    trained_router, billing_expert, leader
):
    ask(TEXT)
    assert selectors.questions_waiting_for([leader.pk]) == {}


def test_closed_questions_and_inactive_people_get_nothing(trained_router, billing_expert, social):
    question = ask(TEXT)
    services.close_question(actor=social, question=question)
    assert selectors.questions_waiting_for([billing_expert.pk]) == {}
    ask("my invoice shows the wrong amount", external_id="second")
    billing_expert.is_active = False
    billing_expert.save(update_fields=["is_active"])
    assert selectors.questions_waiting_for([billing_expert.pk]) == {}


def test_the_email_names_the_question_never_the_customer(
    trained_router, billing_expert, leader, outsider, finance
):
    assigned = ask(TEXT)
    waiting = ask("where can I download my invoices", external_id="waiting")
    services.decline_question(actor=billing_expert, question=waiting, reason="Not mine")
    digests.send_digests(
        [billing_expert.pk, leader.pk, outsider.pk],
        frequency="weekly",
        now=timezone.now() + dt.timedelta(minutes=5),
    )
    sent = {m.to[0]: m for m in mail.outbox}
    assert outsider.email not in sent
    for person, question in ((billing_expert, assigned), (leader, waiting)):
        message = sent[person.email]
        html = message.alternatives[0][0]
        assert "CUSTOMER QUESTIONS WAITING FOR YOU" in message.body
        assert f"Question {question.pk} (" in message.body
        assert question.get_absolute_url() in html
        for text in (message.body, html, message.subject):
            assert not any(s.casefold() in text.casefold() for s in SECRETS), text
            assert "charged twice" not in text and "download my invoices" not in text


def test_questions_waiting_for_is_batched(
    trained_router, finance, engineering, django_assert_num_queries
):
    experts = [
        make_person(f"expert{i}", department=finance, skills=(), **ALWAYS).user for i in range(4)
    ]
    for i in range(8):
        ask(f"I was charged twice on my credit card, order {i}", external_id=f"q{i}")
    leaders = [lead(make_person(f"lead{i}").user, d) for i, d in enumerate((finance, engineering))]
    ids = [p.pk for p in experts + leaders]
    with django_assert_num_queries(2):
        waiting = selectors.questions_waiting_for(ids)
    assert sum(len(waiting.get(p.pk, [])) for p in experts) == 8
    with django_assert_num_queries(2):
        selectors.questions_waiting_for(ids[:1])
    with django_assert_num_queries(0):
        assert selectors.questions_waiting_for([]) == {}
