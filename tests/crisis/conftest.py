"""Standing people of the crisis tests: the social team, the crisis lead, a certified
representative (Finance), a leader and a mentor of Finance, a leader of Engineering, an
employee with no role, and an answered customer question of Finance's."""

import pytest
from django.contrib.auth.models import Group

from crisis import services as crisis
from crisis.models import Severity
from groups.models import Membership
from groups.services import ensure_department_group
from policies import services as policies
from policies.models import PolicySettings
from routing.models import CustomerQuestion, Status

from ..factories import make_person
from ..policies.conftest import questions, right_answers
from ..routing.conftest import NEVER

CUSTOMER = ("Carla Customer", "@carla_c", "carla@example.org")


def _role(user, name):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def social(db):
    return _role(make_person("sam.social", display_name="Sam Social").user, "social team")


@pytest.fixture
def second_social(db):
    return _role(make_person("sue.social", display_name="Sue Social").user, "social team")


@pytest.fixture
def lead(admin_user):
    user = make_person("lea.lead", display_name="Lea Lead").user
    crisis.name_crisis_role(actor=admin_user, user=user, role="lead")
    return user


@pytest.fixture
def rep(finance):
    return make_person("rita.rep", display_name="Rita Rep", department=finance).user


@pytest.fixture
def other(engineering):
    return make_person("otto.other", display_name="Otto Other", department=engineering).user


def _lead_department(user, department):
    Membership.objects.update_or_create(
        group=ensure_department_group(department),
        user=user,
        defaults={"role": Membership.Role.LEADER},
    )
    return user


@pytest.fixture
def finance_leader(finance):
    """Fred leads Finance and takes no questions himself (NEVER at work)."""
    user = make_person("fred.lead", display_name="Fred Finance", department=finance, **NEVER).user
    return _lead_department(user, finance)


@pytest.fixture
def engineering_leader(engineering):
    user = make_person("emma.lead", display_name="Emma Engineering", department=engineering).user
    return _lead_department(user, engineering)


@pytest.fixture
def finance_mentor(admin_user, finance):
    user = make_person("mia.mentor", display_name="Mia Mentor", department=finance).user
    policies.name_mentor(actor=admin_user, department=finance, user=user)
    return user


@pytest.fixture
def policy(admin_user):
    version = policies.create_version(
        actor=admin_user, title="Social media policy", body="# Rules\n\nBe kind."
    )
    quiz = policies.set_quiz(actor=admin_user, version=version, pass_mark=75, questions=questions())
    version = policies.publish_version(actor=admin_user, version=version)
    return version, quiz


@pytest.fixture
def certified_rep(rep, policy):
    version, quiz = policy
    policies.acknowledge_version(actor=rep, version=version)
    assert policies.submit_quiz(actor=rep, quiz=quiz, answers=right_answers(quiz)).passed
    return rep


def set_model(admin_user, model, departments=()):
    return policies.update_settings(
        actor=admin_user,
        acknowledgement_gate=PolicySettings.Gate.NONE,
        engagement_model=model,
        reminder_days=7,
        designated_departments=list(departments),
    )


def ask(department, text="I was charged twice on my credit card, please refund"):
    """A customer question of `department`, received (and matched to open incidents). An
    admin's keyword rule routes it, whatever the router would say: the router is not what
    these tests are about."""
    from routing.models import KeywordRule

    from ..factories import receive_and_route

    KeywordRule.objects.get_or_create(keyword=department.slug, department=department)
    question, _ = receive_and_route(
        channel="twitter",
        text=f"{text} ({department.slug})\n— Carla Customer, @carla_c, carla@example.org",
        customer_name=CUSTOMER[0],
        customer_handle=CUSTOMER[1],
        customer_email=CUSTOMER[2],
    )
    assert question.department == department
    return question


def answered(question):
    """The question answered by its expert, ready for its public reply."""
    CustomerQuestion.objects.filter(pk=question.pk).update(status=Status.ANSWERED)
    question.refresh_from_db()
    return question


def declare(actor, *, severity=Severity.HIGH, departments=(), **fields):
    fields.setdefault("title", "Billing outage")
    fields.setdefault("summary", "Customers are charged twice.")
    return crisis.declare_incident(
        actor=actor, severity=severity, departments=list(departments), **fields
    )


def an_alert(department, **fields):
    """A listening alert about `department`'s volume, open now."""
    from django.utils import timezone

    from monitoring.models import Alert

    now = timezone.now()
    values = {
        "key": f"department:{department.pk}",
        "kind": Alert.Kind.DEPARTMENT,
        "title": f"Questions for {department.name}",
        "trigger": Alert.Trigger.SURGE,
        "severity": "high",
        "department": department,
        "observed": 24,
        "expected": 3.0,
        "window_minutes": 60,
        "opened_at": now,
        "updated_at": now,
        "last_activity_at": now,
    }
    values.update(fields)
    return Alert.objects.create(**values)
