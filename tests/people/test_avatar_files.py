"""Profile photos are served by their row: `/media/avatars/<stored name>` finds the profile
whose photo has that name among the profiles the viewer may read; any other name is 404,
whatever it looks like (leak class 8 of ../shared/SECURITY.md)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people import services
from people.models import Profile

from ..conftest import client_for
from .test_profile_edit import form_data, image_bytes

pytestmark = pytest.mark.django_db

STORED = re.compile(r"avatars/[0-9a-f]{32}\.png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, name="me.jpg") -> Profile:
    upload = SimpleUploadedFile(name, image_bytes("JPEG", (120, 90)), "image/jpeg")
    response = client.post(reverse("people:edit"), {**form_data(), "avatar": upload})
    assert response.status_code == 302
    return Profile.objects.get(user=response.wsgi_request.user)


def test_photos_are_stored_under_random_names(
    client_employee, tmp_path, django_capture_on_commit_callbacks
):
    first = _upload(client_employee, "ana garcia passport.jpg").avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        second = _upload(client_employee, "ana garcia passport.jpg").avatar.name
    assert first != second
    for name in (first, second):
        assert STORED.fullmatch(name), name
        assert "passport" not in name and "ana" not in name
    assert not (tmp_path / first).exists()  # the replaced photo is deleted
    assert (tmp_path / second).is_file()


def test_a_colleague_sees_the_photo_through_its_row(client_employee, employee, colleague):
    profile = _upload(client_employee)
    response = client_for(colleague).get(profile.avatar.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="ana.garcia.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_former_employees_photo_is_gone(client_employee, employee, colleague):
    profile = _upload(client_employee)
    employee.is_active = False
    employee.save()
    assert client_for(colleague).get(profile.avatar.url).status_code == 404


def test_a_name_that_matches_no_row_is_404_even_when_the_file_exists(
    client_employee, colleague, tmp_path
):
    profile = _upload(client_employee)
    stray = tmp_path / "avatars" / "0123456789abcdef0123456789abcdef.png"
    stray.write_bytes((tmp_path / profile.avatar.name).read_bytes())
    client = client_for(colleague)
    assert client.get("/media/avatars/0123456789abcdef0123456789abcdef.png").status_code == 404
    assert client.get("/media/avatars/nobody.png").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/avatars/../avatars/{name}",
        "/media/avatars/%2e%2e/avatars/{name}",
        "/media/avatars/%252e%252e/avatars/{name}",
        "/media/avatars/.%2f{name}",
        "/media/avatars\\{name}",
        "/media/avatars/..\\avatars\\{name}",
        "/media/avatars/%5c{name}",
        "/media/avatars/{name}%00",
        "/media/avatars/{name}%00.png",
        "/media/avatars//{name}",
        "/media//avatars/{name}",
        "/media/avatars/{name}/",
        "/media/avatars/%2fetc%2fpasswd",
        "/media/avatars//etc/passwd",
        "/media/avatars/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/media/avatars/./{name}",
        "/media/avatars/{name}.",
        "/media/avatars/{name}%20",
        "/media/avatars/avatars/{name}",
    ],
)
def test_path_forms_of_a_photo_are_404(client_employee, colleague, path):
    profile = _upload(client_employee)
    name = profile.avatar.name.removeprefix("avatars/")
    url = path.format(name=name)
    response = client_for(colleague).get(url)
    assert response.status_code == 404, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert not body.startswith(b"\x89PNG")


def test_photos_stored_before_random_names_keep_working(employee, colleague, tmp_path):
    """make_avatar used to name photos `<16 hex>.png`; those rows are served unchanged."""
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "3f2a9c0d11e4b5a6.png").write_bytes(image_bytes())
    Profile.objects.filter(user=employee).update(avatar="avatars/3f2a9c0d11e4b5a6.png")
    response = client_for(colleague).get("/media/avatars/3f2a9c0d11e4b5a6.png")
    assert response.status_code == 200


def test_the_api_gives_the_photo_url_that_serves_it(client_employee, colleague):
    profile = _upload(client_employee)
    url = client_for(colleague).get("/api/v1/people/ana.garcia/").json()["avatar_url"]
    assert url.endswith(profile.avatar.name)
    assert client_for(colleague).get(url).status_code == 200


def test_removing_the_photo_ends_its_url(client_employee, employee):
    profile = _upload(client_employee)
    url = profile.avatar.url
    services.update_profile(actor=employee, profile=profile, data={}, clear_avatar=True)
    assert client_employee.get(url).status_code == 404
