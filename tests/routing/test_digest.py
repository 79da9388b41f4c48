"""The daily question digest: who gets one, at most once a day, and what it says (the
personal-data rule itself is held in test_personal_data.py)."""

import pytest
from django.core import mail

from groups.models import Group, Membership
from routing import tasks

from .conftest import ask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(monkeypatch):
    """Run the per-person tasks in this process, with or without a broker configured."""
    from socialhub.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_experts_and_leaders_get_one_digest_a_day(
    trained_router, billing_expert, second_billing_expert, outsider, finance
):
    ask("I was charged twice, where is my refund for the invoice?")
    Membership.objects.filter(
        group=Group.objects.get(department=finance), user=second_billing_expert
    ).update(role=Membership.Role.LEADER)
    assert tasks.send_question_digests() == 2  # Bea (assigned) and Carl (leader)
    assert sorted(m.to[0] for m in mail.outbox) == [
        billing_expert.email,
        second_billing_expert.email,
    ]
    tasks.send_question_digests()  # the beat fires again, or the task is redelivered
    assert not tasks.send_question_digest(billing_expert.pk)
    assert len(mail.outbox) == 2
    assert outsider.email not in [m.to[0] for m in mail.outbox]
