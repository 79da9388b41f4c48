import pytest
from django.core.cache import cache
from django.test import Client

from .factories import DepartmentFactory, make_person


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached counts must not carry over from one test's company to the next, nor the
    router a process keeps (seed_demo trains one: its row goes with the test's data), nor
    the feed cards a process keeps."""
    from crisis.selectors import remember_no_crisis
    from feeds import cards
    from monitoring import matching
    from routing import router_cache
    from routing.services.sla import forget_targets

    cache.clear()
    router_cache.forget()
    forget_targets()  # the SLA targets a process keeps: an earlier test's rows are gone
    matching.forget_local()  # watch rules compiled by an earlier test are gone with its rows
    cards.forget_local()  # ids and versions come again in the next test's rows
    remember_no_crisis()  # the company starts empty: no incident holds crisis mode
    yield
    cache.clear()
    router_cache.forget()
    forget_targets()
    matching.forget_local()
    cards.forget_local()


@pytest.fixture(scope="session")
def openapi_schema(tmp_path_factory) -> dict:
    """The OpenAPI schema as `manage.py spectacular --fail-on-warn` writes it (a warning
    fails it), generated once for the session: the schema tests of every app read it."""
    import yaml
    from django.core.management import call_command

    out = tmp_path_factory.mktemp("openapi") / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text())


@pytest.fixture
def tasks_in_process(monkeypatch):
    """Celery tasks run in the test's process (eager, as on the embedded setup) also when
    REDIS_URL points Celery at a broker no worker reads in this test."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def engineering(db):
    return DepartmentFactory(name="Engineering", slug="engineering")


@pytest.fixture
def finance(db):
    return DepartmentFactory(name="Finance", slug="finance")


@pytest.fixture
def employee(engineering):
    """The standing user most tests act as."""
    return make_person(
        "ana.garcia",
        display_name="Ana Garcia",
        department=engineering,
        title="Backend Engineer",
        skills=("python", "postgresql"),
    ).user


@pytest.fixture
def colleague(finance):
    return make_person(
        "ben.okafor",
        display_name="Ben Okafor",
        department=finance,
        title="Billing Specialist",
        skills=("billing", "invoices"),
    ).user


@pytest.fixture
def admin_user(db):
    from django.contrib.auth.models import Group

    user = make_person("alex.admin", display_name="Alex Admin").user
    user.is_staff = user.is_superuser = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_employee(employee):
    return client_for(employee)


@pytest.fixture
def world(db):
    """Every role x every group privacy, with content (tests/feeds/world.py)."""
    from .feeds.world import build_world

    return build_world()
