"""My data: a person asks for a copy from their settings, a task builds a zip of what they
wrote (JSON per kind + their files; never what others wrote), a notification brings a signed
link that only the asker can use, for DATA_EXPORT_DAYS; an admin may ask for someone (in the
admin's audit log)."""

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import exports, retention
from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from messaging import services as messaging
from messaging.selectors import get_seat
from notifications.models import Notification
from people import personal_data
from people.models import DataExport

from ..conftest import client_for
from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def busy(employee, colleague):
    """Ana and Ben both write in a group, comment, react and message each other."""
    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    groups.join_group(actor=colleague, group=group)
    mine = feeds.create_post(
        actor=employee,
        group=group,
        body="Ana's **own** post",
        attachments=[SimpleUploadedFile("plan.txt", b"ana's plan", content_type="text/plain")],
    )
    theirs = feeds.create_post(actor=colleague, group=group, body="Ben's post, not Ana's")
    feeds.create_comment(actor=employee, post=theirs, body="Ana's comment")
    feeds.create_comment(actor=colleague, post=mine, body="Ben's comment")
    feeds.toggle_reaction(actor=employee, post=theirs, kind="like")
    chat = messaging.start_conversation(actor=employee, people=[colleague])
    messaging.send_message(
        actor=employee,
        seat=get_seat(employee, chat.pk),
        body="Ana's message",
        attachments=[SimpleUploadedFile("mine.txt", b"ana's file", content_type="text/plain")],
    )
    messaging.send_message(
        actor=colleague,
        seat=get_seat(colleague, chat.pk),
        body="Ben's private reply",
        attachments=[SimpleUploadedFile("bens.txt", b"ben's file", content_type="text/plain")],
    )
    return {"group": group, "mine": mine, "theirs": theirs, "chat": chat}


def build(actor, person) -> DataExport:
    """Ask and build (Celery runs eagerly in tests: the task ran on commit)."""
    export = personal_data.request_data_export(actor=actor, person=person)
    export.refresh_from_db()
    if export.status == DataExport.Status.PENDING:  # inside a test transaction: no commit
        personal_data.build_data_export(export_id=export.pk)
        export.refresh_from_db()
    return export


def read_zip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def test_the_zip_holds_what_i_wrote_and_nothing_of_others(employee, colleague, busy):
    export = build(employee, employee)
    assert export.status == DataExport.Status.READY and export.size > 0
    archive = read_zip(export)
    names = set(archive.namelist())
    assert {f"{e.name}.json" for e in exports.exporters()} | {"manifest.json"} <= names
    everything = b"".join(archive.read(n) for n in names)
    assert b"Ana's message" in everything and b"Ana's comment" in everything
    for others in (b"Ben's post", b"Ben's comment", b"Ben's private reply", b"ben's file"):
        assert others not in everything, others
    posts = json.loads(archive.read("posts.json"))
    assert [p["body"] for p in posts] == ["Ana's **own** post"]
    assert archive.read(posts[0]["files"][0]) == b"ana's plan"
    messages = json.loads(archive.read("messages.json"))
    assert [m["body"] for m in messages] == ["Ana's message"]
    assert archive.read(messages[0]["files"][0]) == b"ana's file"
    assert json.loads(archive.read("reactions.json"))[0]["kind"] == "like"
    profile = json.loads(archive.read("profile.json"))[0]
    assert profile["display_name"] == "Ana Garcia" and profile["skills"] == [
        "postgresql",
        "python",
    ]
    memberships = json.loads(archive.read("memberships.json"))
    assert "Guild" in {m.get("group") for m in memberships}
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["counts"]["messages"] == 1 and manifest["counts"]["files"] == 2
    # The colleague's own copy has their side only.
    their_zip = read_zip(build(colleague, colleague))
    theirs = b"".join(their_zip.read(n) for n in their_zip.namelist())
    assert b"Ben's private reply" in theirs and b"Ana's message" not in theirs


def test_a_person_asks_from_their_settings_and_is_notified(employee, busy):
    client = client_for(employee)
    settings_page = client.get("/people/me/edit/")
    assert b'href="/people/me/data/"' in settings_page.content
    response = client.post("/people/me/data/")
    assert response.status_code == 302
    export = DataExport.objects.get()
    if export.status == DataExport.Status.PENDING:
        personal_data.build_data_export(export_id=export.pk)
    export.refresh_from_db()
    note = Notification.objects.get(recipient=employee, kind=Notification.Kind.DATA_EXPORT)
    assert note.url.startswith(f"/people/me/data/{export.pk}/download/?key=")
    got = client.get(note.url)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/zip"
    assert got["Content-Disposition"].startswith('attachment; filename="socialhub-data-ana.garcia-')
    assert got["Cache-Control"] == "private, max-age=0"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content)))
    assert "posts.json" in archive.namelist()
    page = client.get("/people/me/data/")
    assert b"Download zip" in page.content


def test_asking_twice_while_preparing_makes_one_copy(employee, django_capture_on_commit_callbacks):
    first = DataExport.objects.create(person=employee, requested_by=employee)
    with django_capture_on_commit_callbacks() as queued:
        again = personal_data.request_data_export(actor=employee, person=employee)
    assert again.pk == first.pk and DataExport.objects.count() == 1
    assert queued == []  # its task is still on its way
    # A copy whose task was lost (the broker was down) is started again when asked for.
    DataExport.objects.filter(pk=first.pk).update(
        created_at=first.created_at - personal_data.RESTART_AFTER
    )
    with django_capture_on_commit_callbacks() as queued:
        personal_data.request_data_export(actor=employee, person=employee)
    assert len(queued) == 1 and DataExport.objects.count() == 1


def test_another_user_cannot_download_and_ids_reveal_nothing(employee, colleague, busy):
    export = build(employee, employee)
    url = personal_data.download_url(export)
    stranger = client_for(colleague)
    assert stranger.get(url).status_code == 404
    assert stranger.get("/people/me/data/999/download/?key=x").status_code == 404
    assert b"Download zip" not in stranger.get("/people/me/data/").content
    # The right person with a key for another copy, or a forged key: refused.
    other = build(colleague, colleague)
    forged = f"/people/me/data/{export.pk}/download/?key={personal_data.download_token(other)}"
    assert client_for(employee).get(forged).status_code == 404
    bad = f"/people/me/data/{export.pk}/download/?key={export.pk}:tampered"
    assert client_for(employee).get(bad).status_code == 404


def test_the_link_expires(employee, settings, django_capture_on_commit_callbacks):
    export = build(employee, employee)
    url = personal_data.download_url(export)
    client = client_for(employee)
    assert client.get(url).status_code == 200
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.DATA_EXPORT_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.get(url)
        assert response.status_code == 410
        assert b"expired" in response.content
        fresh = personal_data.download_url(export)  # a new key cannot revive an old copy
        assert client.get(fresh).status_code == 410
        # Retention deletes the row and its file.
        path = export.file.path
        with django_capture_on_commit_callbacks(execute=True):
            retention.run(only=["data-exports"])
    assert not DataExport.objects.exists()
    import os

    assert not os.path.exists(path)


def test_an_admin_asks_for_someone_audited_and_only_the_admin_downloads(
    employee, colleague, admin_user
):
    client = client_for(admin_user)
    response = client.post(
        "/admin/auth/user/",
        {"action": "prepare_data_copy", "_selected_action": [employee.pk]},
    )
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert (export.person, export.requested_by) == (employee, admin_user)
    entry = LogEntry.objects.get(object_id=str(employee.pk))
    assert entry.user == admin_user and "copy of their data" in entry.change_message
    if export.status == DataExport.Status.PENDING:
        personal_data.build_data_export(export_id=export.pk)
    export.refresh_from_db()
    url = personal_data.download_url(export)
    assert client.get(url).status_code == 200
    page = client.get("/people/me/data/")
    assert b"Data of <strong>Ana Garcia</strong>" in page.content
    # Not the person (the admin asked), not another employee, not another admin.
    other_admin = make_person("zoe.admin", display_name="Zoe Admin").user
    other_admin.is_staff = other_admin.is_superuser = True
    other_admin.save()
    for viewer in (employee, colleague, other_admin):
        assert client_for(viewer).get(url).status_code == 404
    # An admin who is no longer one loses the copy.
    admin_user.is_superuser = False
    admin_user.save()
    admin_user.groups.clear()
    assert client_for(admin_user).get(url).status_code == 404


def test_an_employee_cannot_ask_for_someone_else(employee, colleague):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        personal_data.request_data_export(actor=employee, person=colleague)
    assert refused.value.status == 403
    assert not DataExport.objects.exists()


def test_no_anonymous_poll_votes_or_other_apps_rows_leak(employee, colleague, busy):
    """Every exporter is given the person and returns only their rows: run each one for a
    person who wrote nothing and find nothing of anyone."""
    quiet = make_person("quiet.one", display_name="Quiet One").user
    for exporter in exporters_except_profile():
        rows = list(exporter.records(quiet))
        assert all(not r.get("body") for r in rows), exporter.name
        text = json.dumps(rows, default=str)
        assert "Ana" not in text and "Ben" not in text, exporter.name
    # A polls app, if one is added, must register an exporter that leaves anonymous votes
    # out: this test names every exporter so a new one is looked at here.
    assert {e.name for e in exports.exporters()} == {
        "answers",
        "campaigns",
        "certifications",
        "comments",
        "conversations",
        "follows",
        "memberships",
        "message-reactions",
        "messages",
        "notification-settings",
        "policy-acknowledgements",
        "posts",
        "profile",
        "question-notes",
        "reactions",
    }


def exporters_except_profile():
    return [e for e in exports.exporters() if e.name != "profile"]


def test_my_data_page_query_count_does_not_grow(employee, admin_user, colleague):
    client = client_for(admin_user)
    client.get("/people/me/data/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/people/me/data/").status_code == 200
        return len(ctx)

    build(admin_user, admin_user)
    small = count()
    for person in (employee, colleague, employee):
        DataExport.objects.create(person=person, requested_by=admin_user)
    build(admin_user, colleague)
    assert count() == small
    assert small <= 10, small


def test_the_build_streams_in_chunks(employee, busy, monkeypatch):
    """Records are read with .iterator() (chunked), never a whole table in memory: the
    feeds exporter reads posts through iterator(chunk_size=...)."""
    from django.db.models.query import QuerySet

    chunk_sizes = []
    real = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return real(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    build(employee, employee)
    assert chunk_sizes and all(size for size in chunk_sizes)


def test_xss_vectors_in_names_are_inert_on_the_page_and_the_admin_pages(admin_user):
    from ..xss import assert_inert, payloads

    people = []
    for i, vector in enumerate(payloads()[:20]):
        person = make_person(f"x{i}", display_name=vector[:120]).user
        DataExport.objects.create(person=person, requested_by=admin_user)
        people.append(person)
    client = client_for(admin_user)
    assert_inert(client.get("/people/me/data/").content.decode())
    confirm = client.post(
        "/admin/auth/user/",
        {"action": "delete_by_policy", "_selected_action": [p.pk for p in people]},
    )
    assert confirm.status_code == 200
    # The admin's own pages carry Django's meta tags: check the names came out escaped.
    import html

    text = confirm.content.decode()
    for person in people:
        name = person.profile.display_name
        assert html.escape(name) in text
        if "<" in name:
            assert name not in text
