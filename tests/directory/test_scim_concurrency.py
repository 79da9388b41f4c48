"""Two deliveries of the same deactivation at the same moment (a provider retrying while the
first is still running) offboard once: the account row is locked while it is decided."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from directory.models import DirectoryAuditEntry
from directory.services import create_scim_token
from policies.models import AuditEntry

from ..factories import make_person
from .conftest import ScimClient, payload

User = get_user_model()

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite serialises every writer anyway)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_deactivations_offboard_once(admin_user):
    from people.models import Department
    from policies import services as policies

    department = Department.objects.create(name="Social", slug="social")
    person = make_person("leo.leaver", department=department).user
    account = policies.create_brand_account(
        actor=admin_user,
        platform="x",
        handle="@acme",
        url="https://x.com/acme",
        department=department,
    )
    policies.authorize_person(actor=admin_user, account=account, user=person)
    key = create_scim_token(actor=admin_user, name="Okta").key
    barrier, statuses = threading.Barrier(4), []

    def deliver():
        try:
            client = ScimClient(key)
            barrier.wait()
            statuses.append(
                client.patch(f"Users/{person.pk}", payload("okta_patch_deactivate")).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * 4
    assert not User.objects.get(pk=person.pk).is_active
    assert DirectoryAuditEntry.objects.filter(action="user_deactivated").count() == 1
    assert AuditEntry.objects.filter(action="offboard", target_user=person).count() == 1
