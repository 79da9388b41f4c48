"""Reminders (Celery beat task, idempotent), the banner, the department report and CSV."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from policies import selectors, services, tasks
from policies.models import PolicyReminder

from ..conftest import client_for
from ..factories import make_person

pytestmark = pytest.mark.django_db


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind="policy", text__startswith="Reminder")


def test_reminders_wait_for_the_period(employee, policy):
    assert services.send_acknowledgement_reminders(now=timezone.now()) == 0
    assert not _reminders(employee).exists()


def test_reminders_go_once_per_person_per_period(admin_user, employee, colleague, policy):
    services.acknowledge_version(actor=colleague, version=policy)
    later = policy.published_at + dt.timedelta(days=7, hours=1)
    assert services.send_acknowledgement_reminders(now=later) == 2  # employee and admin
    assert services.send_acknowledgement_reminders(now=later) == 0  # a redelivered task
    assert services.send_acknowledgement_reminders(now=later + dt.timedelta(days=3)) == 0
    assert _reminders(employee).count() == 1 and not _reminders(colleague).exists()
    # The next period reminds again whoever still has not acknowledged.
    services.acknowledge_version(actor=admin_user, version=policy)
    assert services.send_acknowledgement_reminders(now=later + dt.timedelta(days=7)) == 1
    assert PolicyReminder.objects.filter(user=employee).count() == 2


def test_reminder_task_is_on_the_beat_schedule_and_runs(employee, policy):
    entry = settings.CELERY_BEAT_SCHEDULE["policies-acknowledgement-reminders"]
    assert entry["task"] == tasks.send_acknowledgement_reminders.name
    type(policy).objects.filter(pk=policy.pk).update(
        published_at=timezone.now() - dt.timedelta(days=8)
    )
    tasks.send_acknowledgement_reminders.apply()  # as a worker runs it, twice
    tasks.send_acknowledgement_reminders.apply()  # as a worker runs it, twice
    assert _reminders(employee).count() == 1


def test_banner_until_acknowledged_costs_one_query(employee, policy, django_assert_num_queries):
    client = client_for(employee)
    assert "policy-banner" in client.get("/people/").content.decode()
    with django_assert_num_queries(1):
        assert selectors.banner_version(employee) == policy
    services.acknowledge_version(actor=employee, version=policy)
    assert "policy-banner" not in client.get("/people/").content.decode()


def test_no_banner_without_a_published_policy(client_employee):
    assert "policy-banner" not in client_employee.get("/people/").content.decode()


def test_report_counts_per_department(admin_user, employee, colleague, engineering, policy):
    make_person("eng.two", department=engineering)
    services.acknowledge_version(actor=employee, version=policy)
    body = client_for(admin_user).get("/api/v1/policies/report/").json()
    rows = {r["name"]: r for r in body["departments"]}
    assert (rows["Engineering"]["employees"], rows["Engineering"]["acknowledged"]) == (2, 1)
    assert rows["Engineering"]["pending"] == 1
    assert (rows["Finance"]["employees"], rows["Finance"]["pending"]) == (1, 1)
    assert rows["No department"]["employees"] == 1  # the admin
    page = client_for(admin_user).get("/policies/report/").content.decode()
    assert "1 of 4 acknowledged" in page


def test_report_csv_lists_everyone_with_their_status(admin_user, employee, colleague, policy):
    services.acknowledge_version(actor=employee, version=policy)
    make_person("=cmd.evil", display_name="=HYPERLINK(1)")
    response = client_for(admin_user).get("/policies/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["department", "name", "username", "status", "acknowledged_at"]
    by_user = {r[2]: r for r in rows[1:]}
    assert by_user["ana.garcia"][3] == "acknowledged" and by_user["ana.garcia"][4]
    assert by_user["ben.okafor"][3] == "pending"
    assert by_user["'=cmd.evil"][1] == "'=HYPERLINK(1)"  # no formulas from user text
    only = client_for(admin_user).get("/policies/report.csv?department=finance")
    rows = list(csv.reader(io.StringIO(b"".join(only.streaming_content).decode())))
    assert [r[2] for r in rows[1:]] == ["ben.okafor"]


def test_report_is_for_admins(employee, policy):
    client = client_for(employee)
    assert client.get("/policies/report/").status_code == 403
    assert client.get("/policies/report.csv").status_code == 403
    assert client.get("/api/v1/policies/report/").status_code == 403
