"""An announcement to All company tells everyone out of the request: a bulk job (core.bulk)
notifies the company's active members in chunks, once each, after the post commits."""

import dataclasses

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import bulk
from core.models import BulkJob
from feeds import services
from feeds.models import Post
from feeds.notifications import COMPANY_ANNOUNCEMENT_JOB
from groups.services import COMPANY_SLUG
from notifications.models import Notification
from people.roles import ADMIN

from ..factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def test_an_all_company_announcement_is_a_bulk_job_that_tells_everyone_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    _small_chunks(monkeypatch)
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


def _small_chunks(monkeypatch):
    kinds = dict(bulk._kinds)
    kinds[COMPANY_ANNOUNCEMENT_JOB] = dataclasses.replace(
        kinds[COMPANY_ANNOUNCEMENT_JOB], chunk_size=2
    )
    monkeypatch.setattr(bulk, "_kinds", kinds)


def _admin(username: str):
    user = make_person(username).user
    user.groups.add(AuthGroup.objects.get_or_create(name=ADMIN)[0])
    return user


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_its_author_and_admins_follow_the_telling_on_the_posts_page(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    _small_chunks(monkeypatch)
    author, reader = make_person("author").user, make_person("reader").user
    admin = _admin("admin")
    make_person("colleague")
    with django_capture_on_commit_callbacks() as callbacks:
        post = services.post_company_announcement(actor=author, body="The office moves.")
    job = BulkJob.objects.get(subject=f"post:{post.pk}")
    page, progress = f"/posts/{post.pk}/", f"/bulk-jobs/{job.pk}/"

    client.force_login(reader)
    reader_queries = _queries(client, page)
    assert "Telling everyone" not in client.get(page).content.decode()
    assert client.get(progress).status_code == 404

    client.force_login(author)
    html = client.get(page).content.decode()
    assert "Telling everyone in the company: 0 of 3…" in html  # the reader, admin, colleague
    assert f'hx-get="{progress}" hx-trigger="every 2s"' in html  # polled while it runs
    assert _queries(client, page) == reader_queries + 1  # the job, for those who may see it

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    done = client.get(progress).content.decode()
    assert "Telling everyone in the company: done, 3 of 3." in done
    assert "hx-get" not in done  # finished: no more polling
    client.force_login(admin)
    assert "Telling everyone in the company: done, 3 of 3." in client.get(page).content.decode()
    assert client.get(progress).status_code == 200
    admin.groups.clear()  # the role taken away counts on the very next request
    assert "Telling everyone" not in client.get(page).content.decode()
    assert client.get(progress).status_code == 404


def test_an_announcement_in_another_group_shows_no_telling(client):
    from groups.models import Group

    author = _admin("author")
    group = Group.objects.create(name="Design", slug="design")
    post = services.create_post(actor=author, group=group, body="News", kind="announcement")
    client.force_login(author)
    assert "Telling everyone" not in client.get(f"/posts/{post.pk}/").content.decode()
    assert not BulkJob.objects.exists()


def test_the_compose_box_says_where_to_follow_the_telling(client):
    author = _admin("author")
    make_person("reader")
    client.force_login(author)
    compose = {"group": COMPANY_SLUG, "body": "The office moves.", "kind": "announcement"}
    html = client.post("/posts/new/", compose, HTTP_HX_REQUEST="true").content.decode()
    post = Post.objects.get(body="The office moves.")
    assert (
        '<p class="compose-status small" id="compose-status" role="status" hx-swap-oob="true">'
        "Your announcement is up. Everyone in the company is being told: "
        f'<a href="/posts/{post.pk}/">follow it on the post\'s page</a>.</p>'
    ) in html
    update = {"group": COMPANY_SLUG, "body": "Lunch is served.", "kind": "update"}
    html = client.post("/posts/new/", update, HTTP_HX_REQUEST="true").content.decode()
    assert 'role="status" hx-swap-oob="true"></p>' in html  # an update empties the status line

    plain = {**compose, "body": "The office moved."}
    html = client.post("/posts/new/", plain, follow=True).content.decode()
    moved = Post.objects.get(body="The office moved.")
    assert f'being told: <a href="/posts/{moved.pk}/">follow it' in html
