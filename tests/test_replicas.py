"""Read replicas (core/replicas.py) against two real PostgreSQL databases.

The replica is its own database here. Each test "replicates" the primary's rows into it,
then changes one row on the replica only, so every read says which database served it: a
read that must see the primary's data and comes back with the replica's fails the test.
`make test-services` runs this module with DATABASE_REPLICA_URL set.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from core.replicas import PIN_COOKIE, ReplicaMiddleware
from people.models import Department, Profile

from .conftest import client_for
from .factories import make_person

REPLICA_ON = bool(getattr(settings, "DATABASE_REPLICA_URL", ""))

pytestmark = [
    pytest.mark.skipif(
        not REPLICA_ON,
        reason="needs DATABASE_REPLICA_URL (a second PostgreSQL database); "
        "make test-services sets it",
    ),
    pytest.mark.django_db(
        transaction=True, databases=["default", "replica"] if REPLICA_ON else ["default"]
    ),
]
User = get_user_model()


@pytest.fixture
def replicated(db):
    """Ana in Engineering on the primary, copied to the replica, where the department's name
    differs: "Engineering" read from the primary, "Engineering (replica)" from the replica."""
    engineering = Department.objects.create(name="Engineering", slug="engineering")
    ana = make_person("ana.garcia", display_name="Ana Garcia", department=engineering)
    for model in (Department, User, Profile):
        model.objects.using("replica").bulk_create(list(model.objects.using("default").all()))
    Department.objects.using("replica").filter(pk=engineering.pk).update(
        name="Engineering (replica)"
    )
    return engineering, ana.user


def _run(view, method: str = "get", cookies: dict | None = None):
    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = ReplicaMiddleware(view)(request)
    return response, primary, replica


def _department_queries(captured) -> int:
    return sum('"people_department"' in q["sql"] for q in captured.captured_queries)


def test_a_directory_read_in_a_request_is_served_by_the_replica(replicated):
    engineering, _ = replicated

    def view(request):
        return HttpResponse(Department.objects.get(pk=engineering.pk).name)

    response, primary, replica = _run(view)
    assert response.content == b"Engineering (replica)"
    assert _department_queries(replica) == 1 and _department_queries(primary) == 0


def test_a_read_after_a_write_in_the_same_request_is_served_by_the_primary(replicated):
    engineering, _ = replicated

    def view(request):
        before = Department.objects.get(pk=engineering.pk).name
        Department.objects.filter(pk=engineering.pk).update(description="Builds the product")
        after = Department.objects.get(pk=engineering.pk)
        return HttpResponse(f"{before}|{after.name}|{after.description}")

    response, primary, replica = _run(view)
    # The write's own read comes from the primary: it sees the write (and the primary's name).
    assert response.content == b"Engineering (replica)|Engineering|Builds the product"
    assert _department_queries(replica) == 1  # only the read before the write
    assert _department_queries(primary) == 2  # the update and the read after it
    assert PIN_COOKIE in response.cookies


def test_a_read_inside_a_transaction_is_served_by_the_primary(replicated):
    engineering, _ = replicated

    def view(request):
        with transaction.atomic():
            return HttpResponse(Department.objects.get(pk=engineering.pk).name)

    response, _, replica = _run(view)
    assert response.content == b"Engineering"
    assert _department_queries(replica) == 0


def test_an_unsafe_request_and_the_same_clients_next_seconds_read_the_primary(replicated):
    engineering, _ = replicated

    def view(request):
        return HttpResponse(Department.objects.get(pk=engineering.pk).name)

    posted, _, replica = _run(view, method="post")
    assert posted.content == b"Engineering" and _department_queries(replica) == 0
    pin = posted.cookies[PIN_COOKIE]
    assert pin["httponly"] and pin["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    after, _, replica = _run(view, cookies={PIN_COOKIE: pin.value})
    assert after.content == b"Engineering"
    other_client, _, _ = _run(view)
    assert other_client.content == b"Engineering (replica)"


def test_other_apps_and_work_outside_requests_read_the_primary(replicated):
    engineering, ana = replicated
    User.objects.using("replica").filter(pk=ana.pk).update(first_name="Replica")
    assert Department.objects.get(pk=engineering.pk).name == "Engineering"  # a task, a command

    def view(request):
        return HttpResponse(User.objects.get(pk=ana.pk).first_name)  # accounts: never replica

    response, _, _ = _run(view)
    assert response.content == b""


def test_the_directory_page_reads_the_replica_and_a_profile_edit_reads_the_primary(replicated):
    engineering, ana = replicated
    client = client_for(ana)
    page = client.get("/people/")
    assert page.status_code == 200
    assert b"Engineering (replica)" in page.content

    edited = client.post(
        "/people/me/edit/",
        {
            "display_name": "Ana G.",
            "title": "Staff Engineer",
            "department": engineering.pk,
            "timezone": "UTC",
            "work_start": "09:00",
            "work_end": "17:00",
            "working_days": ["1", "2", "3", "4", "5"],
        },
    )
    assert edited.status_code == 302, edited.content[:2000]
    assert Profile.objects.get(user=ana).title == "Staff Engineer"
    # Redirected to her profile within the pin: the primary's row, with the change.
    profile_page = client.get(edited.url)
    assert b"Staff Engineer" in profile_page.content
    assert b"Engineering (replica)" not in profile_page.content


def test_scim_reads_the_primary(replicated, admin_user):
    from django.utils import timezone

    from directory import services
    from directory.models import ScimToken

    engineering, _ = replicated
    key = services.create_scim_token(actor=admin_user, name="Entra ID").key
    ScimToken.objects.update(last_used_at=timezone.now())  # the request writes nothing
    # A provider keeps no cookie: no pin from an earlier write helps it.
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    with CaptureQueriesContext(connections["replica"]) as replica:
        group = client.get(f"/scim/v2/Groups/{engineering.pk}").json()
    assert group["displayName"] == "Engineering"
    assert replica.captured_queries == []
