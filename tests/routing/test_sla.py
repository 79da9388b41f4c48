"""The SLA clock, on a frozen clock: business hours only; the expert is reminded at 50%,
the department's leaders told at 100% (the question escalates), the social team at 150%;
each exactly once, however often the beat runs; the first answer stops the clock."""

import datetime as dt

import pytest
import time_machine

from groups.models import Group, Membership
from notifications.models import Notification
from routing import services
from routing.business_hours import add_business_time, business_time_between
from routing.models import SlaTarget, Status
from routing.tasks import check_sla

from .conftest import ask

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MONDAY_9 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_business_time_skips_nights_and_weekends():
    friday_4pm = at(6, 16)
    assert add_business_time(friday_4pm, dt.timedelta(hours=2)) == at(9, 10)  # Monday 10:00
    assert add_business_time(at(7, 12), dt.timedelta(hours=1)) == at(9, 10)  # from Saturday
    assert add_business_time(at(2, 7), dt.timedelta(hours=8)) == at(2, 17)  # before opening
    assert business_time_between(friday_4pm, at(9, 10)) == dt.timedelta(hours=2)
    assert business_time_between(at(9, 10), friday_4pm) == dt.timedelta(0)


def test_business_hours_follow_the_settings(settings):
    settings.ROUTING_BUSINESS_HOURS = "08:00-12:00"
    settings.ROUTING_BUSINESS_TIMEZONE = "Europe/Berlin"  # UTC+1 in March
    assert add_business_time(at(2, 7), dt.timedelta(hours=4)) == at(2, 11)


@pytest.fixture
def make_leader(finance):
    from ..factories import make_person
    from .conftest import ALWAYS

    user = make_person("lena.lead", display_name="Lena Lead", department=finance, **ALWAYS).user
    Membership.objects.filter(group=Group.objects.get(department=finance), user=user).update(
        role=Membership.Role.LEADER
    )
    return user


@pytest.fixture
def question(trained_router, billing_expert, make_leader, social):
    with time_machine.travel(MONDAY_9, tick=False):
        q = ask("I was charged twice, where is my refund for the invoice?", priority="normal")
    q.refresh_from_db()
    assert q.assigned_to == billing_expert
    Notification.objects.all().delete()  # keep only what the clock sends
    return q


def sent():
    return sorted(
        (n.recipient.username, n.kind)
        for n in Notification.objects.select_related("recipient").filter(kind="sla_reminder")
    )


def beat(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        check_sla()  # the task body, as the worker runs it


def test_the_deadline_is_eight_business_hours_for_normal_priority(question):
    assert question.sla_due_at == at(2, 17)
    assert question.sla_next_at == at(2, 13)


def test_reminder_escalation_and_social_team_in_order_and_once(question, billing_expert):
    beat(at(2, 12, 59))
    assert sent() == []

    beat(at(2, 13))
    assert sent() == [("bea.billing", "sla_reminder")]
    Notification.objects.update(read_at=at(2, 13))  # a repeat would now be a new row
    beat(at(2, 13, 1))
    beat(at(2, 16, 59))
    assert len(sent()) == 1

    beat(at(2, 17))
    question.refresh_from_db()
    assert question.status == Status.ESCALATED
    assert question.sla_stage == 2
    assert ("lena.lead", "sla_reminder") in sent()
    assert ("sam.social", "sla_reminder") not in sent()

    beat(at(3, 12, 59))  # Tuesday: 150% is Tuesday 13:00 in business time
    assert ("sam.social", "sla_reminder") not in sent()
    beat(at(3, 13))
    assert ("sam.social", "sla_reminder") in sent()
    total = len(sent())
    Notification.objects.update(read_at=at(3, 13))
    beat(at(4, 9))
    beat(at(9, 9))
    assert len(sent()) == total
    question.refresh_from_db()
    assert question.sla_stage == 3 and question.sla_next_at is None


def test_the_expert_can_still_answer_an_escalated_question(question, billing_expert):
    beat(at(2, 17))
    with time_machine.travel(at(2, 17, 30), tick=False):
        services.answer_question(actor=billing_expert, question=question, text="Refund sent.")
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert question.first_answer_at == at(2, 17, 30)
    assert question.first_answer_at > question.sla_due_at  # a missed SLA, for the dashboard


def test_an_answer_stops_the_clock(question, billing_expert):
    with time_machine.travel(at(2, 11), tick=False):
        services.answer_question(actor=billing_expert, question=question, text="Refund sent.")
    beat(at(2, 13))
    beat(at(3, 13))
    assert sent() == []
    question.refresh_from_db()
    assert question.status == Status.ANSWERED


def test_a_late_beat_sends_every_stage_it_missed_once(question):
    beat(at(4, 9))  # the beat was down for two days
    assert [kind for _, kind in sent()].count("sla_reminder") == 3
    question.refresh_from_db()
    assert question.sla_stage == 3


def test_targets_per_priority_come_from_the_admin(trained_router, billing_expert):
    SlaTarget.objects.create(priority="urgent", business_hours=2)
    with time_machine.travel(MONDAY_9, tick=False):
        q = ask("I was charged twice!!", priority="urgent")
    assert q.sla_due_at == at(2, 11)


def test_without_department_leaders_the_social_team_hears_at_100(
    trained_router, billing_expert, social
):
    with time_machine.travel(MONDAY_9, tick=False):
        q = ask("I was charged twice, where is my refund for the invoice?")
    Notification.objects.all().delete()
    beat(at(2, 17))
    q.refresh_from_db()
    assert q.status == Status.ESCALATED
    assert ("sam.social", "sla_reminder") in sent()
