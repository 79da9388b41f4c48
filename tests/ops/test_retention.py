"""Retention: what goes, what stays, and a fixed number of queries per batch."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from core import retention
from groups.models import AuditEntry as GroupAudit
from groups.models import Group
from notifications.models import EmailDelivery, Notification
from policies.models import AuditEntry as PolicyAudit
from routing.models import RouterVersion

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days(n):
    return NOW - dt.timedelta(days=n)


def notify(user, *, read_days_ago=None):
    read_at = None if read_days_ago is None else days(read_days_ago)
    return Notification.objects.create(recipient=user, kind="mention", text="x", read_at=read_at)


def test_read_notifications_past_their_days_go_unread_ones_stay(employee, settings):
    settings.RETENTION_READ_NOTIFICATIONS_DAYS = 90
    old_read = notify(employee, read_days_ago=91)
    recent_read = notify(employee, read_days_ago=10)
    unread = notify(employee)
    Notification.objects.filter(pk=unread.pk).update(created_at=days(400))

    assert retention.run(only=["read-notifications"]) == {"read-notifications": 1}
    left = set(Notification.objects.values_list("pk", flat=True))
    assert left == {recent_read.pk, unread.pk}
    assert old_read.pk not in left


def test_email_claims_past_their_days_go(employee, settings):
    settings.RETENTION_EMAIL_DELIVERIES_DAYS = 30
    old = EmailDelivery.objects.create(
        key="a", recipient=employee, subject="s", claimed_at=days(31)
    )
    new = EmailDelivery.objects.create(key="b", recipient=employee, subject="s", claimed_at=days(2))
    retention.run(only=["email-claims"])
    assert list(EmailDelivery.objects.values_list("pk", flat=True)) == [new.pk]
    assert not EmailDelivery.objects.filter(pk=old.pk).exists()


def test_router_versions_keep_the_active_one_and_the_last_n(settings):
    settings.RETENTION_ROUTER_VERSIONS_KEEP = 3
    versions = [
        RouterVersion.objects.create(data=b"x", source=f"v{i}", trained_at=days(30 - i))
        for i in range(8)
    ]
    RouterVersion.objects.filter(pk=versions[1].pk).update(active=True)  # an old one rolled back
    retention.run(only=["router-versions"])
    left = set(RouterVersion.objects.values_list("source", flat=True))
    assert left == {"v1", "v5", "v6", "v7"}


def test_audit_entries_are_kept_for_the_configured_years(employee, settings):
    settings.RETENTION_AUDIT_YEARS = 7
    group = Group.objects.create(name="Guild", slug="guild")
    for created in (days(365 * 7 + 3), days(365 * 6)):
        entry = GroupAudit.objects.create(group=group, actor=employee, action="pin")
        GroupAudit.objects.filter(pk=entry.pk).update(created_at=created)
        entry = PolicyAudit.objects.create(actor=employee, action="certify")
        PolicyAudit.objects.filter(pk=entry.pk).update(created_at=created)
    deleted = retention.run(only=["group-audit", "policy-audit"])
    assert deleted == {"group-audit": 1, "policy-audit": 1}
    assert GroupAudit.objects.count() == PolicyAudit.objects.count() == 1


def test_zero_keeps_forever(employee, settings):
    settings.RETENTION_READ_NOTIFICATIONS_DAYS = 0
    settings.RETENTION_AUDIT_YEARS = 0
    notify(employee, read_days_ago=5000)
    result = retention.run(only=["read-notifications", "group-audit"])
    assert result == {"read-notifications": None, "group-audit": None}
    assert Notification.objects.count() == 1


def test_each_batch_costs_two_queries_whatever_its_size(employee, django_assert_num_queries):
    for _ in range(5):
        notify(employee, read_days_ago=400)
    # 3 batches (2 + 2 + 1): an id query and a DELETE each, then one id query finds none.
    with django_assert_num_queries(7):
        assert retention.run(only=["read-notifications"], batch_size=2)["read-notifications"] == 5
    for _ in range(5):
        notify(employee, read_days_ago=400)
    with django_assert_num_queries(3):
        assert (
            retention.run(only=["read-notifications"], batch_size=1000)["read-notifications"] == 5
        )


def test_router_version_batches_also_unlink_their_questions_in_one_query(
    settings, django_assert_num_queries
):
    settings.RETENTION_ROUTER_VERSIONS_KEEP = 1
    for i in range(5):
        RouterVersion.objects.create(data=b"x", source=f"v{i}", trained_at=days(10 - i))
    # 2 batches of 2: ids, the rows (ids only) for Django's collector, the questions' link
    # set to NULL, DELETE; then no more ids.
    with django_assert_num_queries(9):
        assert retention.run(only=["router-versions"], batch_size=2)["router-versions"] == 4


def test_command_reports_and_dry_run_deletes_nothing(employee):
    notify(employee, read_days_ago=400)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "read-notifications: would delete 1" in out.getvalue()
    assert Notification.objects.count() == 1
    out = StringIO()
    call_command("retention", stdout=out)
    assert "read-notifications: deleted 1" in out.getvalue()
    assert "group-audit: deleted 0" in out.getvalue()
    assert Notification.objects.count() == 0
    with pytest.raises(CommandError, match="no retention rule named nothing"):
        call_command("retention", "--only", "nothing")


def test_the_schedule_runs_it_daily(employee):
    from core.tasks import apply_retention

    entry = settings.CELERY_BEAT_SCHEDULE["core-retention"]
    assert entry["task"] == "core.retention" == apply_retention.name
    notify(employee, read_days_ago=400)
    apply_retention.apply()  # as the worker runs it
    assert Notification.objects.count() == 0
