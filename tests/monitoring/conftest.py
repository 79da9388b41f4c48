import pytest
from django.contrib.auth.models import Group

from groups.models import Membership
from monitoring import matching
from notifications import tasks as notification_tasks  # noqa: F401  (registers the email task)

from ..factories import make_person
from ..routing.conftest import ALWAYS


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    """Tasks enqueued on commit (alerts for matches, announcements, a scan) run at once,
    also in the suite with a broker: what a worker would do, in the test's process."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _fresh_rules():
    """Each test's rules, not the previous test's compiled copy."""
    matching.forget_local()
    yield
    matching.forget_local()


@pytest.fixture
def social(db):
    profile = make_person("sam.social", display_name="Sam Social", title="Social Media Specialist")
    profile.user.groups.add(Group.objects.get_or_create(name="social team")[0])
    return profile.user


def lead(user, department, role=Membership.Role.LEADER):
    from groups.services import ensure_department_group

    Membership.objects.update_or_create(
        group=ensure_department_group(department), user=user, defaults={"role": role}
    )
    return user


@pytest.fixture
def leader(finance):
    """Lena leads Finance's group."""
    return lead(
        make_person("lena.lead", display_name="Lena Lead", department=finance).user, finance
    )


@pytest.fixture
def other_leader(engineering):
    user = make_person("eric.eng", display_name="Eric Eng", department=engineering).user
    return lead(user, engineering, Membership.Role.OWNER)


@pytest.fixture
def outsider(db):
    return make_person("otto.other", display_name="Otto Other", **ALWAYS).user


@pytest.fixture
def billing_expert(finance):
    return make_person(
        "bea.billing", display_name="Bea Billing", department=finance, skills=("refund",), **ALWAYS
    ).user
