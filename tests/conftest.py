import copy

import pytest
from django.core.cache import cache
from django.test import Client

from .factories import DepartmentFactory, make_person


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within each module, the tests that share its world (_module_world) run after the
    others, in their own order: the world is built when the first of them starts and rolled
    back when the module ends, so the module's other tests never see it."""
    first = {}
    for index, item in enumerate(items):
        first.setdefault(item.path, index)
        marker = item.get_closest_marker("django_db")
        committing = {"transactional_db", "live_server"} & set(item.fixturenames) or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if committing and "_module_world" in item.fixturenames:
            raise pytest.UsageError(
                f"{item.nodeid} commits (a transactional test) and uses the module's world, "
                "which lives in a transaction that is never committed: use committed_world"
            )
    items.sort(key=lambda item: (first[item.path], "_module_world" in item.fixturenames))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached counts must not carry over from one test's company to the next, nor the
    router a process keeps (seed_demo trains one: its row goes with the test's data), nor
    the feed cards a process keeps."""
    from crisis.selectors import remember_no_crisis
    from feeds import cards
    from monitoring import matching
    from routing import router_cache
    from routing.api.intake import IntakeThrottle
    from routing.services.sla import forget_targets

    cache.clear()
    router_cache.forget()
    forget_targets()  # the SLA targets a process keeps: an earlier test's rows are gone
    matching.forget_local()  # watch rules compiled by an earlier test are gone with its rows
    cards.forget_local()  # ids and versions come again in the next test's rows
    remember_no_crisis()  # the company starts empty: no incident holds crisis mode
    IntakeThrottle.allowance.forget()  # admissions held from an earlier test's window
    yield
    cache.clear()
    router_cache.forget()
    forget_targets()
    matching.forget_local()
    cards.forget_local()
    IntakeThrottle.allowance.forget()


@pytest.fixture(scope="session", autouse=True)
def _json_support_probed(django_db_setup, django_db_blocker):
    """On SQLite, Django asks the connection once whether it has JSON functions (SAVEPOINT,
    SELECT JSON(...), RELEASE) the first time a query uses one: every signed-in page's
    session query does (core.session_reads). Asked here, before any test, so that no page's
    pinned query count depends on whether it ran first. No query on PostgreSQL."""
    from django.db import connection

    with django_db_blocker.unblock():
        assert connection.features.supports_json_field


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


def api_client_for(user):
    """A DRF test client signed in as `user` (the API's own authentication skipped)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def client_employee(employee):
    return client_for(employee)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """build_world once for a test module, inside a transaction that is rolled back after the
    module's last test that uses it: each of those tests runs in a savepoint within it (its
    `db` transaction), as a TestCase's tests do within setUpTestData's. Building the world
    took about 0.45 s, and 1,300 tests of each suite used to build their own.

    Django's TestCase marks its own atomic blocks so that a durable block inside a test is
    not refused as nested; this one is marked the same way."""
    from django.db import connection, transaction

    from .feeds.world import build_world

    def roll_back():
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    # The database is open to this fixture only while it builds and rolls back: between
    # them, a test without `db` is refused as anywhere else.
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            world = build_world()
        except BaseException:
            roll_back()
            raise
    try:
        yield world
    finally:
        roll_back()


@pytest.fixture
def world(_module_world, db):
    """Every role x every group privacy, with content (tests/feeds/world.py): the module's
    world (_module_world), each test with its own copy of the objects, its changes to the
    rows rolled back after it."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def committed_world(transactional_db):
    """A world of its own, committed, for a test that commits (transactional_db): it cannot
    run inside the module's transaction."""
    from .feeds.world import build_world

    return build_world()
