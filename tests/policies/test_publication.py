"""Publishing tells everyone out of the request: a bulk job (core.bulk) notifies the active
employees in chunks, each with a fixed number of queries, exactly once however often a
chunk's task is delivered; the version's page shows the progress to admins."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from core import bulk
from core.models import BulkJob
from notifications.models import Notification
from policies import services
from policies.services.versions import PUBLISH_JOB

from ..conftest import client_for
from ..factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 3 people, so that a handful of employees makes several chunks."""
    kinds = dict(bulk._kinds)
    kinds[PUBLISH_JOB] = dataclasses.replace(kinds[PUBLISH_JOB], chunk_size=3)
    monkeypatch.setattr(bulk, "_kinds", kinds)


@pytest.fixture
def company(db):
    return [make_person(f"person{n}").user for n in range(8)]


def _policy_notifications():
    return Notification.objects.filter(kind=Notification.Kind.POLICY)


def test_publishing_answers_before_anyone_is_notified_then_a_task_tells_everyone(
    admin_user, company, small_chunks, django_capture_on_commit_callbacks
):
    draft = services.create_version(actor=admin_user, title="Policy", body="Be kind.")
    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_version(actor=admin_user, version=draft)
    assert _policy_notifications().count() == 0
    job = BulkJob.objects.get()
    assert (job.kind, job.total, job.done, job.status) == (PUBLISH_JOB, len(company), 0, "running")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the first chunk's task; each chunk enqueues the next on commit
    job.refresh_from_db()
    assert (job.done, job.chunks, job.status) == (len(company), 3, "finished")
    notified = set(_policy_notifications().values_list("recipient_id", flat=True))
    assert notified == {user.pk for user in company}  # everyone but the admin who published


def test_a_chunk_delivered_twice_is_applied_once(admin_user, company, small_chunks):
    draft = services.create_version(actor=admin_user, title="Policy", body="Be kind.")
    services.publish_version(actor=admin_user, version=draft)  # on_commit never runs here
    job = BulkJob.objects.get()
    assert bulk.run_chunk(job_id=job.pk, cursor=0) is True
    assert bulk.run_chunk(job_id=job.pk, cursor=0) is False  # redelivered: the cursor moved
    assert _policy_notifications().count() == 3
    job.refresh_from_db()
    while not job.finished:
        bulk.run_chunk(job_id=job.pk, cursor=job.cursor)
        bulk.run_chunk(job_id=job.pk, cursor=job.cursor)  # the same chunk again, or a no-op
        job.refresh_from_db()
    assert bulk.run_chunk(job_id=job.pk, cursor=job.cursor) is False
    per_person = _policy_notifications().values_list("recipient_id", flat=True)
    assert sorted(per_person) == sorted(user.pk for user in company)


def test_a_chunk_costs_the_same_queries_whatever_its_size(
    admin_user, django_assert_num_queries, monkeypatch
):
    """Lock the job, read the chunk's ids, one INSERT of notifications, save the job; the
    savepoint pair is the test's transaction (a transaction of its own in a worker)."""
    for n in range(12):
        make_person(f"many{n}")
    draft = services.create_version(actor=admin_user, title="Policy", body="Be kind.")
    services.publish_version(actor=admin_user, version=draft)
    job = BulkJob.objects.get()
    for size in (2, 10):
        kinds = dict(bulk._kinds)
        kinds[PUBLISH_JOB] = dataclasses.replace(kinds[PUBLISH_JOB], chunk_size=size)
        monkeypatch.setattr(bulk, "_kinds", kinds)
        with django_assert_num_queries(6):
            assert bulk.run_chunk(job_id=job.pk, cursor=job.cursor)
        job.refresh_from_db()


def test_the_version_page_shows_the_progress_to_admins_only(admin_user, company, small_chunks):
    draft = services.create_version(actor=admin_user, title="Policy", body="Be kind.")
    response = client_for(admin_user).post(f"/policies/versions/{draft.number}/publish/")
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    job = BulkJob.objects.get()
    page = client_for(admin_user).get(draft.get_absolute_url()).content.decode()
    assert "Notifying every employee: 0 of 8" in page
    assert f'hx-get="/bulk-jobs/{job.pk}/"' in page
    bulk.run_chunk(job_id=job.pk, cursor=0)
    partial = client_for(admin_user).get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert "3 of 8" in partial and 'hx-trigger="every 2s"' in partial
    employee = company[0]
    assert client_for(employee).get(f"/bulk-jobs/{job.pk}/").status_code == 404
    assert "Notifying" not in client_for(employee).get(draft.get_absolute_url()).content.decode()
    job.refresh_from_db()
    while not job.finished:
        bulk.run_chunk(job_id=job.pk, cursor=job.cursor)
        job.refresh_from_db()
    partial = client_for(admin_user).get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert "done, 8 of 8" in partial and "hx-trigger" not in partial  # polling stops


def test_a_stalled_job_is_resumed_by_the_beat(
    admin_user, company, small_chunks, django_capture_on_commit_callbacks
):
    draft = services.create_version(actor=admin_user, title="Policy", body="Be kind.")
    services.publish_version(actor=admin_user, version=draft)  # its task is lost
    job = BulkJob.objects.get()
    later = timezone.now() + dt.timedelta(minutes=5)
    assert bulk.resume_stalled(older_than=dt.timedelta(minutes=10), now=later) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk.resume_stalled(older_than=dt.timedelta(minutes=2), now=later) == 1
    job.refresh_from_db()
    assert job.finished and _policy_notifications().count() == len(company)
