"""My data over the API: a person asks for a copy, lists the copies they asked for with their
status and downloads one when it is ready; an admin asks for someone's copy, and that is in
the company audit log (/policies/audit/) as well as the admin's own; nobody else gets in."""

import io
import zipfile

import pytest
from django.contrib.admin.models import LogEntry

from people import personal_data
from people.models import DataExport
from policies.models import AuditEntry

from ..conftest import client_for
from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _build(export_id):
    personal_data.build_data_export(export_id=export_id)


def test_a_person_asks_lists_and_downloads_their_copy(employee, colleague):
    client = client_for(employee)
    response = client.post("/api/v1/people/me/data/")
    assert response.status_code == 202
    first = response.json()
    assert (first["person"], first["status"], first["download"]) == ("ana.garcia", "pending", None)
    assert client.post("/api/v1/people/me/data/").json()["id"] == first["id"]  # one at a time
    download = f"/api/v1/people/me/data/{first['id']}/download/"
    assert client.get(download).status_code == 409
    _build(first["id"])
    listed = client.get("/api/v1/people/me/data/").json()
    assert [row["status"] for row in listed["results"]] == ["ready"]
    assert listed["results"][0]["download"].endswith(download)
    got = client.get(download)
    assert got.status_code == 200 and got["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content)))
    assert any(name.endswith(".json") for name in archive.namelist())
    # nobody else downloads it or sees it listed
    assert client_for(colleague).get(download).status_code == 404
    assert client_for(colleague).get("/api/v1/people/me/data/").json()["results"] == []


def test_the_list_is_paged_with_a_fixed_query_count(employee, django_assert_num_queries):
    for _ in range(3):
        DataExport.objects.create(person=employee, requested_by=employee, status="failed")
    client = client_for(employee)
    with django_assert_num_queries(3):  # session, user, the page
        page = client.get("/api/v1/people/me/data/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    with django_assert_num_queries(3):
        rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert client.get("/api/v1/people/me/data/?cursor=nonsense").status_code == 400


def test_an_admin_asks_for_someone_and_it_is_in_the_company_audit_log(employee, admin_user):
    client = client_for(admin_user)
    response = client.post("/api/v1/people/ana.garcia/data/")
    assert response.status_code == 202
    assert response.json()["requested_by_me_for_someone_else"] is True
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_PERSONAL_DATA)
    assert (entry.actor, entry.target_user) == (admin_user, employee)
    assert LogEntry.objects.filter(object_id=str(employee.pk)).exists()
    page = client.get("/policies/audit/").content.decode()
    assert "Asked for a copy of someone&#x27;s data" in page or "copy of someone" in page
    # the person's own request is no admin action: not audited
    client_for(employee).post("/api/v1/people/me/data/")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_PERSONAL_DATA).count() == 1


def test_an_admin_may_export_a_deactivated_person(employee, admin_user):
    employee.is_active = False
    employee.save()
    assert client_for(admin_user).post("/api/v1/people/ana.garcia/data/").status_code == 202
    assert client_for(admin_user).post("/api/v1/people/nobody/data/").status_code == 404


@pytest.mark.parametrize("who", ["employee", "former admin", "deactivated"])
def test_who_may_not_ask_for_someone_elses_data(who, employee, colleague, admin_user):
    if who == "employee":
        asker = colleague
    elif who == "former admin":
        asker = admin_user
    else:
        asker = make_person("gone.admin", display_name="Gone").user
    client = client_for(asker)
    if who == "former admin":
        export = personal_data.request_data_export(actor=admin_user, person=employee)
        _build(export.pk)
        admin_user.is_superuser = admin_user.is_staff = False
        admin_user.save()
        admin_user.groups.clear()
        assert client.get(f"/api/v1/people/me/data/{export.pk}/download/").status_code == 404
    if who == "deactivated":
        asker.is_active = False
        asker.save()
    response = client.post("/api/v1/people/ana.garcia/data/")
    assert response.status_code in ((401, 403) if who == "deactivated" else (403,))
    assert (
        not DataExport.objects.filter(person=employee, requested_by=asker)
        .exclude(requested_by=admin_user, status="ready")
        .exists()
    )
    assert (
        not AuditEntry.objects.filter(actor=asker, target_user=employee)
        .exclude(actor=admin_user)
        .exists()
    )
