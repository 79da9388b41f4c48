"""An announcement to All company tells everyone out of the request: a bulk job (core.bulk)
notifies the company's active members in chunks, once each, after the post commits."""

import dataclasses

import pytest

from core import bulk
from core.models import BulkJob
from feeds import services
from feeds.notifications import COMPANY_ANNOUNCEMENT_JOB
from notifications.models import Notification

from ..factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def test_an_all_company_announcement_is_a_bulk_job_that_tells_everyone_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    kinds = dict(bulk._kinds)
    kinds[COMPANY_ANNOUNCEMENT_JOB] = dataclasses.replace(
        kinds[COMPANY_ANNOUNCEMENT_JOB], chunk_size=2
    )
    monkeypatch.setattr(bulk, "_kinds", kinds)
    author, *others = [make_person(f"person{n}").user for n in range(6)]
    gone = make_person("gone").user
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks() as callbacks:
        post = services.post_company_announcement(actor=author, body="The office moves.")
    announcements = Notification.objects.filter(kind=Notification.Kind.ANNOUNCEMENT)
    assert not announcements.exists()  # the request did not notify anyone
    job = BulkJob.objects.get(subject=f"post:{post.pk}")
    assert (job.kind, job.total) == (COMPANY_ANNOUNCEMENT_JOB, len(others))
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert job.finished and job.chunks == 3
    assert bulk.run_chunk(job_id=job.pk, cursor=0) is False  # a redelivered first chunk
    assert sorted(announcements.values_list("recipient_id", flat=True)) == sorted(
        user.pk for user in others
    )
    assert set(announcements.values_list("url", flat=True)) == {post.get_absolute_url()}
